"""Verdicts from draft to publication and correction, and who may approve each revision."""

import pytest

from review import authorship, claims, evidence, verdicts, workflow
from review.errors import Forbidden, ValidationError
from tests.conftest import add_user


@pytest.fixture
def desk(db):
    people = {name: add_user(db, name, role) for name, role in
              [("cara", "checker"), ("eddie", "editor"), ("erin", "editor")]}
    claim = claims.create_manual_claim(
        db, text="Syrian media claim 2,500 terrorists were neutralized last week.", claimant="Syrian media",
        url="https://media.example/story", appeared_at="2024-12-07")
    workflow.apply_action(db, claim["id"], "accept", people["cara"])
    workflow.apply_action(db, claim["id"], "start", people["cara"])
    return people, claims.get_claim(db, claim["id"])


def draft(db, claim, user, **fields):
    values = {"rating_key": "unproven", "conclusion": "No independent confirmation of the figure",
              "claim_reviewed": "Government forces neutralized 2,500 terrorists.",
              "explanation": "Neither the **ministry** nor observers confirmed it.", **fields}
    return verdicts.save_draft(db, claims.get_claim(db, claim["id"]), user, values)


def test_draft_review_approve_publish(db, desk):
    people, claim = desk
    v = draft(db, claim, people["cara"])
    assert v["status"] == "draft" and v["revision"] == 1 and v["author_id"] == people["cara"]["id"]
    workflow.apply_action(db, claim["id"], "submit", people["cara"])
    assert verdicts.get_verdict(db, v["id"])["status"] == "in_review"
    with pytest.raises(Forbidden):
        workflow.apply_action(db, claim["id"], "approve", people["cara"])
    published = workflow.apply_action(db, claim["id"], "approve", people["eddie"])
    assert published["status"] == "published"
    stored = verdicts.get_verdict(db, v["id"])
    assert stored["status"] == "published" and stored["approver_id"] == people["eddie"]["id"]
    assert db.scalar("SELECT count(*) FROM index_outbox WHERE kind = 'verdict' AND entity_id = ?", [v["id"]])


def test_an_editor_cannot_approve_their_own_verdict(db, desk):
    people, claim = desk
    workflow.apply_action(db, claim["id"], "assign", people["eddie"], assignee_id=people["eddie"]["id"])
    draft(db, claim, people["eddie"])
    workflow.apply_action(db, claim["id"], "submit", people["eddie"])
    with pytest.raises(Forbidden, match="another editor"):
        workflow.apply_action(db, claim["id"], "approve", people["eddie"])
    workflow.apply_action(db, claim["id"], "approve", people["erin"])
    # Configurable: a one-editor desk may allow self-approval.
    other = claims.create_manual_claim(db, text="A second claim about 300 arrests in Homs.", claimant="Police",
                                       url="https://x.example/p")
    for action in ("accept", "start"):
        workflow.apply_action(db, other["id"], action, people["eddie"])
    draft(db, other, people["eddie"], claim_reviewed="Police arrested 300 people in Homs.")
    workflow.apply_action(db, other["id"], "submit", people["eddie"])
    workflow.apply_action(db, other["id"], "approve", people["eddie"], require_other_approver=False)


def test_submit_needs_a_complete_draft(db, desk):
    people, claim = desk
    with pytest.raises(ValidationError, match="draft"):
        workflow.apply_action(db, claim["id"], "submit", people["cara"])
    draft(db, claim, people["cara"], rating_key="", conclusion="")
    with pytest.raises(ValidationError) as error:
        workflow.apply_action(db, claim["id"], "submit", people["cara"])
    assert {"rating_key", "conclusion"} <= set(error.value.fields)
    assert claims.get_claim(db, claim["id"])["status"] == "in_progress"


def test_send_back_returns_the_draft_with_the_comment(db, desk):
    people, claim = desk
    draft(db, claim, people["cara"])
    workflow.apply_action(db, claim["id"], "submit", people["cara"])
    workflow.apply_action(db, claim["id"], "send_back", people["eddie"], comment="Cite the ministry statement.")
    v = verdicts.open_revision(db, claim["id"])
    assert v["status"] == "draft" and v["review_comment"] == "Cite the ministry statement."


def test_correction_keeps_the_old_revision_public_until_approved(db, desk):
    people, claim = desk
    first = draft(db, claim, people["cara"])
    workflow.apply_action(db, claim["id"], "submit", people["cara"])
    workflow.apply_action(db, claim["id"], "approve", people["eddie"])
    workflow.apply_action(db, claim["id"], "correct", people["eddie"])
    assert verdicts.published_revision(db, claim["id"])["id"] == first["id"]  # still public
    workflow.apply_action(db, claim["id"], "assign", people["erin"], assignee_id=people["cara"]["id"])
    second = draft(db, claim, people["cara"], rating_key="false", conclusion="The ministry later denied the figure")
    assert second["revision"] == 2
    with pytest.raises(ValidationError, match="Say what this correction changes") as refused:
        workflow.apply_action(db, claim["id"], "submit", people["cara"])
    assert set(refused.value.fields) == {"correction_note"}
    draft(db, claim, people["cara"], correction_note="Updated after the ministry's denial on 9 December.")
    workflow.apply_action(db, claim["id"], "submit", people["cara"])
    assert verdicts.published_revision(db, claim["id"])["id"] == first["id"]
    with pytest.raises(Forbidden, match="another editor"):  # eddie opened the correction: an author
        workflow.apply_action(db, claim["id"], "approve", people["eddie"])
    workflow.apply_action(db, claim["id"], "approve", people["erin"])
    assert verdicts.get_verdict(db, first["id"])["status"] == "superseded"
    assert verdicts.published_revision(db, claim["id"])["revision"] == 2
    log = verdicts.corrections(db, claim["id"])
    assert log[0]["correction_note"].startswith("Updated after")


def publish(db, people, claim):
    """Publish cara's first verdict on the claim, approved by eddie."""
    draft(db, claim, people["cara"])
    workflow.apply_action(db, claim["id"], "submit", people["cara"])
    workflow.apply_action(db, claim["id"], "approve", people["eddie"])


def test_an_editor_cannot_publish_a_correction_they_wrote_alone(db, desk):
    people, claim = desk
    publish(db, people, claim)
    workflow.apply_action(db, claim["id"], "correct", people["eddie"])
    corrected = draft(db, claim, people["eddie"], rating_key="false", conclusion="The ministry denied the figure",
                      correction_note="Rated false after the ministry's denial.")
    workflow.apply_action(db, claim["id"], "submit", people["eddie"])
    with pytest.raises(Forbidden, match="another editor"):
        workflow.apply_action(db, claim["id"], "approve", people["eddie"])
    assert corrected["revision"] == 2 and corrected["author_id"] == people["eddie"]["id"]
    assert verdicts.published_revision(db, claim["id"])["revision"] == 1  # the public still sees revision 1
    workflow.apply_action(db, claim["id"], "approve", people["erin"])
    assert verdicts.published_revision(db, claim["id"])["rating_key"] == "false"


def test_the_corrector_is_an_author_even_when_a_checker_writes_the_correction(db, desk):
    people, claim = desk
    publish(db, people, claim)
    workflow.apply_action(db, claim["id"], "correct", people["eddie"])
    draft(db, claim, people["cara"], correction_note="Adds the ministry's statement.")
    revision = verdicts.open_revision(db, claim["id"])
    authors = authorship.authors_of(db, claim["id"], revision["revision"])
    assert sorted(authors) == sorted([people["eddie"]["id"], people["cara"]["id"]])
    assert sorted(verdicts.revisions(db, claim["id"])[0]["authors"]) == ["cara", "eddie"]


def test_an_editor_who_changes_a_verdict_after_sending_it_back_cannot_approve_it(db, desk):
    people, claim = desk
    draft(db, claim, people["cara"])
    workflow.apply_action(db, claim["id"], "submit", people["cara"])
    workflow.apply_action(db, claim["id"], "send_back", people["eddie"], comment="The rating is too soft.")
    changed = draft(db, claim, people["eddie"], rating_key="false")
    assert changed["rating_key"] == "false"
    workflow.apply_action(db, claim["id"], "submit", people["eddie"])
    with pytest.raises(Forbidden, match="another editor"):
        workflow.apply_action(db, claim["id"], "approve", people["eddie"])
    assert claims.get_claim(db, claim["id"])["status"] == "in_review"
    workflow.apply_action(db, claim["id"], "approve", people["erin"])  # another editor may
    assert verdicts.published_revision(db, claim["id"])["rating_key"] == "false"


def test_sending_back_alone_does_not_make_an_editor_an_author(db, desk):
    people, claim = desk
    draft(db, claim, people["cara"])
    workflow.apply_action(db, claim["id"], "submit", people["cara"])
    workflow.apply_action(db, claim["id"], "send_back", people["eddie"], comment="Cite the ministry.")
    draft(db, claim, people["cara"], explanation="The ministry's statement of 9 December.")
    workflow.apply_action(db, claim["id"], "submit", people["cara"])
    assert workflow.apply_action(db, claim["id"], "approve", people["eddie"])["status"] == "published"


def test_an_editor_who_changes_the_claim_or_its_evidence_in_review_cannot_approve(db, desk):
    people, claim = desk
    draft(db, claim, people["cara"])
    workflow.apply_action(db, claim["id"], "submit", people["cara"])
    current = claims.get_claim(db, claim["id"])
    claims.update_claim(db, claim["id"], people["eddie"], version=current["version"], claimant="Syrian state media")
    evidence.add_evidence(db, claim["id"], people["erin"], url="https://x.example/denial", title="Denial")
    for editor in ("eddie", "erin"):
        with pytest.raises(Forbidden, match="another editor"):
            workflow.apply_action(db, claim["id"], "approve", people[editor])
    third = add_user(db, "ezra", "editor")
    assert workflow.apply_action(db, claim["id"], "approve", third)["status"] == "published"


def test_a_checker_drafts_only_a_claim_assigned_to_them(db, desk):
    people, claim = desk
    other = add_user(db, "cole", "checker")
    with pytest.raises(Forbidden, match="assigned to cara"):
        draft(db, claim, other)
    with pytest.raises(Forbidden, match="assigned to cara"):
        verdicts.edit_draft(db, claim["id"], other, {"conclusion": "x"}, version=claim["version"])
    saved = verdicts.edit_draft(db, claim["id"], people["cara"], {"conclusion": "Not confirmed"},
                                version=claim["version"])
    assert saved["conclusion"] == "Not confirmed"


def test_explanation_markdown_is_sanitized():
    html = verdicts.render_explanation("**Bold** <script>alert(1)</script> [x](javascript:alert(1)) [ok](https://a.example)")
    assert "<strong>Bold</strong>" in html and "<script>" not in html and "&lt;script&gt;" in html
    assert "href=\"javascript" not in html
    assert 'href="https://a.example"' in html


def test_warnings_on_the_claim_as_reviewed(db, desk):
    people, claim = desk
    v = draft(db, claim, people["cara"], claim_reviewed="It is false that government forces neutralized 2,500 "
              "terrorists with the help of Russian air support last week in Idlib")
    notes = verdicts.warnings_for(db, v)
    assert any("characters" in n for n in notes) and any("rating word" in n for n in notes)


# -- what blocks submitting, in plain words per field; an appearance is advice ------------------------------
def test_submit_check_names_each_blocker_by_field_in_plain_words(db):
    cara = add_user(db, "cara2", "checker")
    claim = claims.create_manual_claim(db, text="The council said crime fell 30% in 2024.", claimant="", url="")
    for action in ("accept", "start"):
        workflow.apply_action(db, claim["id"], action, cara)
    assert verdicts.submit_check(db, claim["id"], None)["blockers"] == {
        "verdict": "Write and save a draft verdict first."}
    v = verdicts.save_draft(db, claims.get_claim(db, claim["id"]), cara, {"explanation": "Police say 4%."})
    check = verdicts.submit_check(db, claim["id"], v)
    assert check["blockers"] == {"rating_key": "Choose a rating.",
                                 "conclusion": "Write the conclusion readers will see (one short line).",
                                 "claimant": "Say who made the claim (Claimant)."}
    with pytest.raises(ValidationError) as refused:
        workflow.apply_action(db, claim["id"], "submit", cara)
    assert refused.value.fields == check["blockers"] and "itemReviewed" not in refused.value.message
    # The verdict form fixes the claimant itself; no appearance is only advice.
    claim = claims.get_claim(db, claim["id"])
    verdicts.edit_draft(db, claim["id"], cara, {"rating_key": "false", "conclusion": "Police say 4%",
                                                "claimant": "Riverton City Council", "claimant_kind": "organization"},
                        version=claim["version"])
    check = verdicts.submit_check(db, claim["id"], verdicts.open_revision(db, claim["id"]))
    assert check["blockers"] == {} and any("where the claim appeared" in w for w in check["warnings"])
    assert claims.get_claim(db, claim["id"])["claimant"] == "Riverton City Council"
    workflow.apply_action(db, claim["id"], "submit", cara)
    assert claims.get_claim(db, claim["id"])["status"] == "in_review"


def test_public_slugs_end_at_a_word():
    from review.claimreview.build import public_path, slugify

    text = "The mayor said the new Riverton bridge cost forty eight million dollars in twenty twenty four"
    slug = slugify(text)
    assert slug == "the-mayor-said-the-new-riverton-bridge-cost-forty-eight" and len(slug) <= 60
    assert text.lower().replace(" ", "-").startswith(slug + "-")
    assert slugify("Antidisestablishmentarianism" * 3, limit=20) == "antidisestablishment"  # one long word: cut
    assert slugify("¿?") == "fact-check" and public_path(7, "Crime fell") == "/fact-checks/7/crime-fell"
