"""Evidence on a claim: documents with excerpts, external URLs, soft removal in the history."""

import pytest

from review import claims, evidence, workflow
from review.errors import Forbidden, ValidationError
from tests.conftest import add_user


@pytest.fixture
def claim(db):
    return claims.create_manual_claim(db, text="The minister said 4,000 homes were rebuilt in 2023.")


def add_doc(db, body="The ministry's own report lists 1,200 rebuilt homes in 2023, not 4,000."):
    from review.ingest.store import add_document

    return add_document(db, body=body, title="Ministry report", source="Gazette", url="https://gazette.example/r")


def test_attach_document_with_excerpt_and_external_url(db, claim):
    user = add_user(db, "cara")
    workflow.apply_action(db, claim["id"], "take", user)
    doc = add_doc(db)
    first = evidence.add_evidence(db, claim["id"], user, document_id=doc.document_id, excerpt="1,200 rebuilt homes",
                                  stance="refutes")
    assert first["title"] == "Ministry report" and first["url"] == "https://gazette.example/r"
    second = evidence.add_evidence(db, claim["id"], user, url="https://stats.example/t1", title="Housing table",
                                   excerpt="Completions: 1,187", archive_url="https://archive.example/x", note="Official")
    listed = evidence.list_evidence(db, claim["id"])
    assert [e["id"] for e in listed] == [first["id"], second["id"]]
    assert listed[0]["stance"] == "refutes" and listed[1]["archive_url"] == "https://archive.example/x"


@pytest.mark.parametrize("fields,field", [
    ({"url": "not a url"}, "url"),
    ({"url": "https://ok.example", "archive_url": "ftp://x"}, "archive_url"),
    ({"url": "https://ok.example", "title": "x", "stance": "agrees"}, "stance"),
    ({"url": "https://ok.example"}, "title"),
    ({"document_id": 999}, "document_id"),
])
def test_bad_evidence_is_refused_with_the_field(db, claim, fields, field):
    user = add_user(db, "cara")
    with pytest.raises(ValidationError) as error:
        evidence.add_evidence(db, claim["id"], user, **fields)
    assert field in error.value.fields
    assert evidence.list_evidence(db, claim["id"]) == []


def test_removal_is_soft_and_in_the_history(db, claim):
    user = add_user(db, "cara")
    workflow.apply_action(db, claim["id"], "take", user)
    item = evidence.add_evidence(db, claim["id"], user, url="https://x.example", title="X")
    evidence.remove_evidence(db, item["id"], user)
    assert evidence.list_evidence(db, claim["id"]) == []
    assert evidence.list_evidence(db, claim["id"], include_removed=True)[0]["removed_by"] == user["id"]
    actions = [r["action"] for r in db.query("SELECT action FROM events WHERE entity_id = ? AND entity_type = 'claim'",
                                             [claim["id"]])]
    assert "evidence.add" in actions and "evidence.remove" in actions


def test_only_the_assignee_changes_evidence(db, claim):
    owner, other = add_user(db, "owner"), add_user(db, "other")
    with pytest.raises(Forbidden, match="take the claim first"):  # a checker changes only their own claims
        evidence.add_evidence(db, claim["id"], owner, url="https://x.example", title="X")
    workflow.apply_action(db, claim["id"], "take", owner)
    with pytest.raises(Forbidden):
        evidence.add_evidence(db, claim["id"], other, url="https://x.example", title="X")
    item = evidence.add_evidence(db, claim["id"], owner, url="https://x.example", title="X")
    with pytest.raises(Forbidden):
        evidence.update_evidence(db, item["id"], other, stance="supports")
    assert evidence.update_evidence(db, item["id"], owner, stance="supports")["stance"] == "supports"


# -- passages: the exact sentences of a stored document ------------------------------------------------------
PASSAGE_BODY = ("The council met on Monday. The city budget lists $31 million for the bridge.\n\n"
                "Officials confirmed the figure. Critics disagreed.")


def test_a_passage_is_whole_sentences_of_the_document(db):
    from review import documents

    document_id = add_doc(db, body=PASSAGE_BODY).document_id
    found = documents.find_passage(db, document_id, "bridge budget")
    assert found["text"] == "The city budget lists $31 million for the bridge." == \
        PASSAGE_BODY[found["start"]:found["end"]]
    assert found["has_before"] and found["has_after"]
    grown = documents.extend_passage(db, document_id, found["start"], found["end"], before=1, after=1)
    assert grown["text"] == PASSAGE_BODY[grown["start"]:grown["end"]]
    assert grown["text"].startswith("The council met") and grown["text"].endswith("Officials confirmed the figure.")
    whole = documents.extend_passage(db, document_id, 0, 5, before=5, after=9)
    assert whole["start"] == 0 and not whole["has_before"] and not whole["has_after"]
    assert documents.find_passage(db, document_id, "zebra")["text"] == "The council met on Monday."


@pytest.mark.parametrize("typed,found", [
    ("budget lists $31 million", "budget lists $31 million"),
    ("the bridge.\r\n\r\nOfficials   confirmed", "the bridge.\n\nOfficials confirmed"),  # whitespace typed differently
])
def test_an_edited_excerpt_is_stored_as_the_documents_own_text(db, claim, typed, found):
    owner = add_user(db, "owner2")
    workflow.apply_action(db, claim["id"], "take", owner)
    document_id = add_doc(db, body=PASSAGE_BODY).document_id
    item = evidence.add_evidence(db, claim["id"], owner, document_id=document_id, excerpt=typed, excerpt_start=20)
    assert item["excerpt"] == found == PASSAGE_BODY[item["excerpt_start"]:item["excerpt_end"]]
    edited = evidence.update_evidence(db, item["id"], owner, excerpt="Critics disagreed.")
    assert edited["excerpt"] == PASSAGE_BODY[edited["excerpt_start"]:edited["excerpt_end"]] == "Critics disagreed."
    with pytest.raises(ValidationError, match="the article's own words"):
        evidence.update_evidence(db, item["id"], owner, excerpt="Critics agreed.")
