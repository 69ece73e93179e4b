"""The one analyzer definition (search_index/words.py): Whoosh, the queue's FTS5 table and PostgreSQL's
'claimdesk' configuration read every word alike, and a migrated database holds the definition's settings."""

import importlib
import json

import pytest

from review import claims
from search_index import words
from tests.conftest import SHARED

VOCABULARY = ("neutralized neutralizing neutrality neutralization Neutralized.The terrorists terrorism Syrian media "
              "claim 2,500 were near Idlib Zürich ÉLAN café naïve U.S. US as is has ponies caresses generalizations "
              "negotiations happiness rating rates bank of England foo_bar covid19 2024-05-02 Lavrov's "
              "sanctioned relational conditional hopefully electricity").split()


def engine_terms(db, texts: list[str]) -> list[list[str]]:
    """Return the terms the store's full-text engine makes of each text, in order."""
    if db.dialect == "postgres":
        from review.storage.postgres import POSTGRES_SEPARATORS, TEXT_CONFIG

        found = []
        for text in texts:
            rows = db.query(f"SELECT lexeme, unnest(positions) AS p FROM unnest(to_tsvector('{TEXT_CONFIG}', "
                            f"regexp_replace(?, '{POSTGRES_SEPARATORS}', ' ', 'g'))) ORDER BY p", [text])
            found.append([row["lexeme"] for row in rows])
        return found
    db.execute(f"CREATE VIRTUAL TABLE temp.probe USING fts5(x, tokenize='{words.FTS5_TOKENIZE}')")
    db.execute("CREATE VIRTUAL TABLE temp.probe_terms USING fts5vocab(temp, probe, instance)")
    db.executemany("INSERT INTO temp.probe (rowid, x) VALUES (?, ?)", [(i + 1, t) for i, t in enumerate(texts)])
    rows = db.query("SELECT doc, term FROM temp.probe_terms ORDER BY doc, col, \"offset\"")
    found = [[] for _ in texts]
    for row in rows:
        found[row["doc"] - 1].append(row["term"])
    return found


def known_difference(db, word: str) -> bool:
    """PostgreSQL's snowball dictionary stems words of one or two letters too ("us" is "u") and keeps to
    Snowball's Porter where FTS5 follows Porter's C version ("technology"); the definition follows FTS5."""
    folded = words.fold(word)
    return db.dialect == "postgres" and (len(folded) < words.UNSTEMMED_BELOW
                                         or words.stem(folded) != words.snowball_stem(folded))


def test_the_engines_read_each_word_as_the_definition_does(db):
    texts = [word for word in VOCABULARY]
    for text, terms in zip(texts, engine_terms(db, texts)):
        expected = words.analyze(text)
        if not any(known_difference(db, w) for w in words.WORD.findall(text)):
            assert terms == expected, text


def test_the_engines_agree_on_the_words_of_a_real_corpus(db):
    path = SHARED / "data" / "news" / "reuters21578.jsonl"
    if not path.exists():
        pytest.skip("../shared/data is absent (a user's clone): the fixed vocabulary above still runs")
    vocabulary = set()
    with path.open() as lines:
        for _, line in zip(range(300), lines):
            vocabulary |= set(words.WORD.findall(json.loads(line).get("body") or ""))
    texts = sorted(w for w in vocabulary if not known_difference(db, w))
    mismatches = [(t, got, words.analyze(t)) for t, got in zip(texts, engine_terms(db, texts)) if got != words.analyze(t)]
    assert len(texts) > 3000 and mismatches == []


def test_a_migrated_database_holds_the_definition(db):
    if db.dialect == "postgres":
        mapping = db.query("SELECT alias, dictionaries::text AS d FROM ts_debug(?, 'neutralized')",
                           [words.POSTGRES_TEXT_CONFIG])
        assert mapping[0]["d"] == f"{{unaccent,{words.POSTGRES_TEXT_CONFIG}_{words.STEMMER}}}"
        return
    assert importlib.import_module("migrations.0014_one_analyzer").fts_tokenizer(db.sqlite_database()) \
        == words.FTS5_TOKENIZE


def test_the_migration_rebuilds_an_fts_table_made_with_another_tokenizer(db):
    claim = claims.create_manual_claim(db, text="Syrian media claim 2,500 terrorists were neutralized.")
    migration = importlib.import_module("migrations.0014_one_analyzer")
    sqlite = db.sqlite_database()
    with db.transaction():  # as an older desk made it: no stemmer
        sqlite.execute("DROP TABLE claims_fts")
        sqlite.execute("CREATE VIRTUAL TABLE claims_fts USING fts5(text, claimant, content='claims',"
                       " content_rowid='id', tokenize='unicode61')")
        sqlite.execute("INSERT INTO claims_fts (claims_fts) VALUES ('rebuild')")

    def found(typed):
        condition, params = db.text_match("claims", "c.id", {None: typed})
        return [row["id"] for row in db.query(f"SELECT c.id FROM claims c WHERE {condition}", params)]

    assert found("neutralizing terrorist") == []
    with db.transaction():
        migration.up(sqlite)
    assert migration.fts_tokenizer(sqlite) == words.FTS5_TOKENIZE
    assert found("neutralizing terrorist") == [claim["id"]]
    claims.create_manual_claim(db, text="Officials neutralized the claim.")  # the triggers are back
    assert len(found("neutraliz*")) == 2


@pytest.mark.parametrize("prefix, finds, misses", [
    ("neutraliz", ["neutralized", "neutralizing", "neutrality", "neutral"], ["neutron"]),
    ("negotiat", ["negotiations", "negotiated"], ["neglect"]),
    ("terrori", ["terrorists", "terrorism"], ["terrain"]),
    ("happ", ["happiness", "happy", "happened"], ["hope"]),
    ("rati", ["rating", "ratio"], ["ratchet"]),
])
def test_a_prefix_finds_the_words_it_begins(prefix, finds, misses):
    assert all(words.prefix_matches(prefix, words.normalized(word)) for word in finds), prefix
    assert not any(words.prefix_matches(prefix, words.normalized(word)) for word in misses), prefix


@pytest.mark.parametrize("typed, clauses, fields", [
    ('neutralized "terrorists were" terror*', [(("neutralized",), False), (("terrorists", "were"), False),
                                              (("terror",), True)], {}),
    ("claimant:lavrov idlib", [(("idlib",), False)], {"claimant": "lavrov"}),
    ('claimant:"sergei lavrov" source:sana', [], {"claimant": "sergei lavrov", "source": "sana"}),
    ("U.S. trade", [(("U",), False), (("S",), False), (("trade",), False)], {}),
])
def test_a_typed_query_is_read_into_words_phrases_prefixes_and_fields(typed, clauses, fields):
    read, values = words.read_query(typed, fields=("claimant", "source"))
    assert [(c.words, c.prefix) for c in read] == clauses and values == fields


@pytest.mark.parametrize("text", [
    "", "   ", "U.S. trade_deficit fell 2,500 mln dlrs\tin\r\nJan\x0bFeb\x0cMar\x1cApr\x1fMay\x7f",
    "___a__b_", "end.", "Zürich café naïve", "ÉLAN and ascii", "½ ﬁne", "x\u00a0y\u2003z", "日本 trade",
    "".join(map(chr, range(128))),
])
def test_the_writer_reads_the_words_the_rule_finds(text):
    # The index writer's fast reading of ASCII text must split exactly where WORD does, and leave other text to it.
    assert words.words_of(text) == words.WORD.findall(text)
