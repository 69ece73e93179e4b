"""Stored text: one normalization (review.text) at every entry point; NUL and non-strings never stored."""

import json
import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from review import claims, evidence, users, verdicts, workflow
from review.claimreview.store import import_paths
from review.errors import ValidationError
from review.ingest.store import add_document
from review.text import clean_text, require_text
from tests.conftest import CHEAP_HASH, add_user


@pytest.mark.parametrize("raw, multiline, stored", [
    ("a\x00b", False, "ab"),
    ("  two\t words \n here ", False, "two words here"),
    ("line one\r\nline two\rline three\u2028four", True, "line one\nline two\nline three\nfour"),
    ("bell\x07 esc\x1b del\x7f c1\x85x", False, "bell esc del c1 x"),
    ("\ufeffbom", False, "bom"),
    ("safe\u202eevil\u2066", False, "safeevil"),
    ("Cafe\u0301", False, "Caf\u00e9"),  # NFC
    ("10\u00b2 km", False, "10\u00b2 km"),  # not NFKC: the square stays a square
    ("\U0001F469\u200d\U0001F52C and \u200cZWNJ", False, "\U0001F469\u200d\U0001F52C and \u200cZWNJ"),
    ("para\n\n\n\nnext  ", True, "para\n\nnext"),
    ("tab\tkept", True, "tab\tkept"),
    ("cr\r\r\nlf", True, "cr\n\nlf"),  # a lone CR, then CR LF: two breaks
    ("vt\x0bff\x0cnel\x85end", True, "vt\nff\nnel\nend"),
    ("blank \n \t\n\u3000\nafter", True, "blank\n\nafter"),  # lines of spaces become blank lines, then fold
    ("a\r\n\r\n\r\n\r\nb", True, "a\n\nb"),
    ("one\u2029line\r\nonly", False, "one line only"),
    ("\x85\u2028\r", True, ""),
])
def test_clean_text(raw, multiline, stored):
    assert clean_text(raw, multiline=multiline) == stored


@pytest.mark.parametrize("line_break", ["\r", "\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\r\n"])
def test_each_line_break_alone_is_a_new_line(line_break):
    assert clean_text(f"one{line_break}two", multiline=True) == "one\ntwo"
    assert clean_text(f"one{line_break}two") == "one two"


def spelled_out(value: str, multiline: bool) -> str:
    """The normalization as the module's docstring states it, one pattern per step with no shortcut."""
    text = re.sub(r"\r\n|[\r\u2028\u2029\x85\x0b\x0c]", "\n", value)
    text = re.sub("[\x00-\x08\x0e-\x1f\x7f-\x9f\ufeff\ufff9-\ufffb\u202a-\u202e\u2066-\u2069]", "",
                  unicodedata.normalize("NFC", text))
    if multiline:
        return re.sub(r"\n{3,}", "\n\n", "\n".join(line.rstrip() for line in text.split("\n"))).strip()
    return re.sub(r"\s+", " ", text).strip()


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab \t\n\r\x0b\x0c\x85\u2028\u2029\x00\x1f\x7f\ufeff\u202e\u0301e\xa0\u3000", max_size=40),
       st.booleans())
def test_clean_text_skips_only_patterns_with_nothing_to_replace(value, multiline):
    assert clean_text(value, multiline=multiline) == spelled_out(value, multiline)


@pytest.mark.parametrize("value", [["a"], {"a": 1}, 5, 1.5, True, b"bytes"])
def test_non_strings_are_refused(value):
    with pytest.raises(ValidationError) as caught:
        require_text(value, "claimant")
    assert caught.value.fields == {"claimant": "must be text"}


def test_a_manual_claim_is_stored_clean_and_a_list_claimant_refused(db):
    claim = claims.create_manual_claim(db, text="The river\x00 rose 3\u00a0metres in 2024.\x1b", claimant=" The\x00 mayor ")
    assert claim["text"] == "The river rose 3 metres in 2024." and claim["claimant"] == "The mayor"
    with pytest.raises(ValidationError) as caught:
        claims.create_manual_claim(db, text="The river rose 3 metres in 2024.", claimant=["a"])
    assert caught.value.fields["claimant"] == "must be text"
    assert db.scalar("SELECT count(*) FROM claims") == 1


def test_an_edited_claim_refuses_a_list_and_drops_nul(db):
    user = add_user(db, "ana")
    claim = claims.create_manual_claim(db, text="The river rose 3 metres in 2024.")
    for action in ("accept", "start"):
        claim = workflow.apply_action(db, claim["id"], action, user)
    with pytest.raises(ValidationError) as caught:
        claims.update_claim(db, claim["id"], user, version=claim["version"], claimant=["a"])
    assert caught.value.fields == {"claimant": "must be text"}
    edited = claims.update_claim(db, claim["id"], user, version=claim["version"], claimant="Ana\x00 Lopez")
    assert edited["claimant"] == "Ana Lopez"


def test_a_document_with_a_nul_keeps_its_whole_text_and_its_claims(db):
    body = ("The harbor master said cargo traffic rose 12 percent in 2024.\x00 "
            "Officials said the port handled 4.1 million containers last year, a record.")
    outcome = add_document(db, body=body, title="Port\x00 figures\x07")
    stored = db.one("SELECT title, body FROM documents WHERE id = ?", [outcome.document_id])
    assert stored["title"] == "Port figures" and "\x00" not in stored["body"]
    assert stored["body"].endswith("a record.")
    texts = " ".join(r["text"] for r in db.query("SELECT text FROM claims"))
    assert "4.1 million containers" in texts  # extraction no longer stops at the NUL


def test_notes_evidence_verdicts_and_names_are_stored_clean(db):
    user = add_user(db, "ana")
    claim = claims.create_manual_claim(db, text="The river rose 3 metres in 2024.")
    for action in ("accept", "start"):
        claim = workflow.apply_action(db, claim["id"], action, user)
    note = workflow.add_note(db, claim["id"], user["id"], "Call\x00 the\r\nauthority\x1b")
    assert db.scalar("SELECT body FROM notes WHERE id = ?", [note]) == "Call the\nauthority"
    item = evidence.add_evidence(db, claim["id"], user, url="https://river.example/a", title="Gauge\x00 data",
                                 note="as\x07 read")
    assert (item["title"], item["note"]) == ("Gauge data", "as read")
    with pytest.raises(ValidationError) as caught:
        evidence.add_evidence(db, claim["id"], user, url="https://river.example/b", title=["x"])
    assert caught.value.fields["title"] == "must be text"
    draft = verdicts.edit_draft(db, claim["id"], user, {"conclusion": "It rose 2\x00 metres",
                                                          "explanation": "Gauge\x00 data.\r\n\r\nSee the log."},
                                version=claim["version"])
    assert draft["conclusion"] == "It rose 2 metres" and draft["explanation"] == "Gauge data.\n\nSee the log."
    with pytest.raises(ValidationError) as caught:
        verdicts.edit_draft(db, claim["id"], user, {"rating_key": ["false"]}, version=claim["version"] + 1)
    assert caught.value.fields["rating_key"] == "must be text"
    made = users.create_user(db, "bob", "checker", "long enough pw", display_name="Bob\x00 \u202eB", hash_method=CHEAP_HASH)
    assert made["display_name"] == "Bob B"


def test_imported_claimreview_text_is_stored_clean(db, tmp_path):
    record = {"@context": "https://schema.org", "@type": "ClaimReview", "url": "https://checker.example/r/1",
              "claimReviewed": "The bridge\x00 cost $48 million.\u202e", "author": {"@type": "Organization",
                                                                                     "name": "Checker\x07"},
              "datePublished": "2016-05-02", "reviewRating": {"@type": "Rating", "alternateName": "False\x00"}}
    path = tmp_path / "reviews.json"
    path.write_text(json.dumps([record]), encoding="utf-8")
    import_paths(db, [str(path)])
    row = db.one("SELECT claim_reviewed, rating_label FROM prior_reviews")
    assert row == {"claim_reviewed": "The bridge cost $48 million.", "rating_label": "False"}
