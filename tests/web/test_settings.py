"""Publishing settings: PUBLIC_URL and ORG_URL go into every published ClaimReview, so they follow the one URL rule."""

import json
import os
import subprocess
import sys

import pytest

from app.config import BadSetting
from app.publishing import publisher
from tests.conftest import ROOT, make_app


def test_a_javascript_org_url_in_the_instance_settings_stops_the_desk_naming_the_setting(tmp_path):
    (tmp_path / "settings.json").write_text(json.dumps({"ORG_URL": "javascript:alert(1)"}))
    env = {**os.environ, "CLAIMDESK_INSTANCE": str(tmp_path), "CLAIMDESK_SECRET_KEY": "test"}
    env.pop("CLAIMDESK_ORG_URL", None)
    result = subprocess.run([sys.executable, "-c", "from app.cli import main; main()", "db", "check"], env=env,
                            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "Error: the setting ORG_URL must be a web address starting with http:// or https:// (got "
        "'javascript:alert(1)'); set CLAIMDESK_ORG_URL, or ORG_URL in settings.json in the instance folder"]
    assert "All checks passed" not in result.stdout


@pytest.mark.parametrize("value, message", [
    ("", "required: a web address starting with http:// or https://"),
    ('https://desk.example/"><script>', "must not contain quotes, angle brackets, backticks or backslashes"),
    ("desk.example", "must be a web address starting with http:// or https://"),
])
def test_a_public_url_the_url_rule_refuses_is_named_at_start(tmp_path, value, message):
    with pytest.raises(BadSetting) as refused:
        make_app(tmp_path, PUBLIC_URL=value)
    assert str(refused.value).startswith(f"the setting PUBLIC_URL {message} (got {value!r})")


def test_published_reviews_carry_the_addresses_cleaned(tmp_path):
    app = make_app(tmp_path, PUBLIC_URL="HTTPS://Desk.Example:443", ORG_URL=" https://Desk.Example/about ")
    with app.app_context():
        chosen = publisher()
    assert (chosen.public_url, chosen.url) == ("https://desk.example", "https://desk.example/about")


def test_no_org_url_stays_empty(tmp_path):
    app = make_app(tmp_path)
    with app.app_context():
        assert publisher().url == ""
