import os

from review import users
from review.storage import open_store
from tests.conftest import PASSWORD


def test_user_add_with_password_from_stdin(runner, db):
    result = runner.invoke(args=["user", "add", "alice", "--role", "editor", "--password-stdin"], input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert users.authenticate(db, "alice", PASSWORD)["role"] == "editor"


def test_user_add_unknown_role_is_a_one_line_error(runner):
    result = runner.invoke(args=["user", "add", "alice", "--role", "boss", "--password-stdin"], input=PASSWORD + "\n")
    assert result.exit_code != 0
    assert "unknown role 'boss'" in result.output
    assert "Traceback" not in result.output


def test_user_add_duplicate_is_a_clean_error(runner, make_user):
    make_user("alice")
    result = runner.invoke(args=["user", "add", "alice", "--role", "checker", "--password-stdin"], input=PASSWORD + "\n")
    assert result.exit_code != 0
    assert "already exists" in result.output and "Traceback" not in result.output


def test_user_token_prints_a_working_token(runner, client, make_user):
    make_user("bot")
    result = runner.invoke(args=["user", "token", "bot"])
    assert result.exit_code == 0
    token = result.output.strip()
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).json["username"] == "bot"


def test_user_token_unknown_user(runner):
    result = runner.invoke(args=["user", "token", "nobody"])
    assert result.exit_code != 0 and "no user named 'nobody'" in result.output


def test_backup_writes_a_readable_copy(runner, make_user, tmp_path):
    make_user("alice")
    target = tmp_path / "copy.db"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert open_store(target).scalar("SELECT username FROM users") == "alice"


def test_backup_to_an_unwritable_place_is_a_clean_error(runner, tmp_path):
    result = runner.invoke(args=["backup", str(tmp_path / "missing-folder" / "copy.db")])
    assert result.exit_code != 0
    assert "does not exist" in result.output and "Traceback" not in result.output


def test_db_upgrade_and_check(runner):
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0 and "up to date" in result.output
    result = runner.invoke(args=["db", "check"])
    assert "ok" in result.output


def test_commands_honour_claimdesk_db(tmp_path, monkeypatch):
    """The console script reads CLAIMDESK_* variables: nothing lands in the working directory."""
    from click.testing import CliRunner

    from app.cli import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CLAIMDESK_INSTANCE", str(tmp_path / "inst"))
    monkeypatch.setenv("CLAIMDESK_DB", str(tmp_path / "elsewhere.db"))
    result = CliRunner().invoke(main, ["user", "add", "alice", "--role", "admin", "--password-stdin"],
                                input=PASSWORD + "\n")
    assert result.exit_code == 0, result.output
    assert users.find_user(open_store(tmp_path / "elsewhere.db"), "alice")
    assert not (tmp_path / "instance").exists()
    assert not (tmp_path / "inst" / "claimdesk.db").exists()
    assert (tmp_path / "inst" / "secret_key").exists()


def test_secret_key_is_generated_once_and_kept(tmp_path):
    from app.config import load_or_create_secret

    first = load_or_create_secret(str(tmp_path))
    assert load_or_create_secret(str(tmp_path)) == first and len(first) >= 32
    assert oct(os.stat(tmp_path / "secret_key").st_mode & 0o777) == "0o600"


def test_every_command_has_help_and_is_in_the_readme():
    from app.cli import main
    from tests.conftest import ROOT

    readme = (ROOT / "README.md").read_text()
    import click

    def walk(group, prefix):
        for name, command in group.commands.items():
            if isinstance(command, click.Group):
                yield from walk(command, prefix + [name])
            else:
                yield " ".join(prefix + [name]), command

    for name, command in walk(main, []):
        assert command.help, f"{name} has no help text"
        assert f"claimdesk {name}" in readme, f"README does not list `claimdesk {name}`"


ARTICLE = ("Harbor City (Demo Wire) - The harbor master said on Monday that cargo traffic rose 12 percent in 2024. "
           "Officials said the port handled 4.1 million containers last year, a record.")


def test_demo_loads_the_articles_it_ships_and_the_ones_given(runner, db, tmp_path):
    extra = tmp_path / "extra.txt"
    extra.write_text(ARTICLE, encoding="utf-8")
    result = runner.invoke(args=["demo", "--article", str(extra)])
    assert result.exit_code == 0, result.output
    assert "Loaded 3 new demo article(s)" in result.output
    bodies = [r["body"] for r in db.query("SELECT body FROM documents WHERE origin = 'demo' ORDER BY id")]
    assert len(bodies) == 3 and bodies[-1].startswith("Harbor City (Demo Wire)")
    assert {r["username"] for r in db.query("SELECT username FROM users")} == {"admin", "editor", "checker", "checker2"}
    again = runner.invoke(args=["demo", "--article", str(extra)])
    assert again.exit_code == 0 and "Loaded 0 new demo article(s)" in again.output


def test_demo_without_articles_loads_only_what_ships(runner, db):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    assert db.scalar("SELECT count(*) FROM documents WHERE origin = 'demo'") == 2


def test_demo_refuses_an_article_that_is_not_utf8(runner, db, tmp_path):
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("Caf\xe9 prices rose 40 percent.".encode("latin-1"))
    result = runner.invoke(args=["demo", "--article", str(bad)])
    assert result.exit_code == 1 and "is not UTF-8 text" in result.output
    assert db.scalar("SELECT count(*) FROM users") == 0
