"""Verdicts: revisions of a claim's rating, from draft through review to publication and correction.

The claim's status is the workflow (review/workflow.py); verdict rows are its revisions:
draft -> in_review -> published, and a published revision becomes superseded when a
correction is approved. Until then the previous revision stays public.
"""

import re

import markdown_it
import nh3

from review.claimreview.build import Publisher
from review.claimreview.validate import readiness
from review.authorship import record_author, with_authors
from review.claims import get_claim, update_claim
from review.dates import now
from review.errors import NotFound, ValidationError
from review.events import record_event
from review.indexing import enqueue
from review.permissions import require_approve, require_draft
from review.ratings import get_rating, list_scale
from review.versioning import bump, check_version
from review.storage import Store
from review.urls import clean_url_field
from review.text import text_field

CLAIM_REVIEWED_MAX = 75
ALLOWED_TAGS = {"p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "code", "pre", "h3", "h4"}
_markdown = markdown_it.MarkdownIt("commonmark", {"html": False, "linkify": False})


def render_explanation(text: str) -> str:
    """Render Markdown to HTML, then sanitize it (no scripts, no event handlers, safe links)."""
    html = _markdown.render(text or "")
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes={"a": {"href", "title"}},
                     url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer nofollow")


def open_revision(db: Store, claim_id: int) -> dict | None:
    """Return the revision being worked on (draft or in review), if any."""
    return db.one("SELECT * FROM verdicts WHERE claim_id = ? AND status IN ('draft', 'in_review')"
                   " ORDER BY revision DESC LIMIT 1", [claim_id])


def published_revision(db: Store, claim_id: int) -> dict | None:
    """Return the revision the public sees now, if any."""
    return db.one("SELECT * FROM verdicts WHERE claim_id = ? AND status = 'published'"
                   " ORDER BY revision DESC LIMIT 1", [claim_id])


def revisions(db: Store, claim_id: int) -> list[dict]:
    """Return every revision of a claim's verdict, newest first, with author, authors and approver names."""
    rows = db.query(
        "SELECT v.*, a.username AS author, p.username AS approver, r.label AS rating_label FROM verdicts v"
        " LEFT JOIN users a ON a.id = v.author_id LEFT JOIN users p ON p.id = v.approver_id"
        " LEFT JOIN rating_scale r ON r.key = v.rating_key WHERE v.claim_id = ? ORDER BY v.revision DESC",
        [claim_id])
    authors: dict[int, list[str]] = {}
    for r in db.query("SELECT ra.revision, u.username FROM revision_authors ra JOIN users u ON u.id = ra.user_id"
                      " WHERE ra.claim_id = ? ORDER BY ra.first_at, u.username", [claim_id]):
        authors.setdefault(r["revision"], []).append(r["username"])
    return [{**r, "authors": authors.get(r["revision"]) or ([r["author"]] if r["author"] else [])} for r in rows]


def get_verdict(db: Store, verdict_id: int) -> dict:
    """Return one verdict revision.

    :raises NotFound: no such verdict.
    """
    verdict = db.one("SELECT * FROM verdicts WHERE id = ?", [verdict_id])
    if not verdict:
        raise NotFound(f"verdict {verdict_id} not found")
    return verdict


def warnings_for(db: Store, verdict: dict) -> list[str]:
    """Return advice on a draft that does not block it (length, rating words in the claim)."""
    notes = []
    reviewed = verdict.get("claim_reviewed") or ""
    if len(reviewed) > CLAIM_REVIEWED_MAX:
        notes.append(f"The claim as reviewed is {len(reviewed)} characters; aggregators show about "
                     f"{CLAIM_REVIEWED_MAX}. Shorten it to the checkable core.")
    labels = [r["label"].lower() for r in list_scale(db)]
    lowered = reviewed.lower()
    for label in labels:
        if re.search(rf"\b{re.escape(label)}\b", lowered):
            notes.append(f"The claim as reviewed contains the rating word “{label}”; state the claim, not the verdict.")
            break
    return notes


def _validate(db: Store, fields: dict) -> dict:
    errors = {}
    clean = {k: text_field(fields, k, errors, multiline=k in ("explanation", "correction_note")) or "" for k in fields}
    if clean.get("rating_key"):
        try:
            rating = get_rating(db, clean["rating_key"])
            if not rating["active"]:
                errors["rating_key"] = "this rating is no longer in use"
        except NotFound as error:
            errors["rating_key"] = error.message
    if "article_url" in clean:
        clean_url_field(clean, "article_url", errors)
    if "claim_reviewed" in clean and not clean["claim_reviewed"]:
        errors["claim_reviewed"] = "state the claim being reviewed"
    if errors:
        raise ValidationError(errors)
    return clean


EDITABLE = ("rating_key", "conclusion", "claim_reviewed", "explanation", "article_url", "language",
            "correction_note")
# The claim's own fields the verdict form also offers: who made it, and where and when it appeared.
CLAIM_FIELDS = ("claimant", "claimant_kind", "appeared_url", "appeared_at")


def edit_draft(db: Store, claim_id: int, user: dict, fields: dict, *, version: int | None) -> dict:
    """Save the claim's draft verdict if the claim is still at ``version`` (what the web and the API call).

    ``fields`` may also carry the claim's ``CLAIM_FIELDS`` (claimant, where and when it appeared),
    saved with the draft in one transaction, so the verdict form can fix what ClaimReview needs.

    :raises NotFound: no such claim.
    :raises Conflict: the claim changed since ``version``.
    :raises Forbidden: the user may not draft this verdict now (``permissions.why_not_draft``).
    :raises ValidationError: an unknown rating or a malformed URL.
    """
    with db.transaction():
        claim = get_claim(db, claim_id)
        check_version(db, claim, version)
        claim_changes = {k: fields[k] for k in CLAIM_FIELDS if fields.get(k) is not None}
        if claim_changes:
            require_draft(user, claim, open_revision(db, claim_id))
            claim = update_claim(db, claim_id, user, version=claim["version"], **claim_changes)
        return save_draft(db, claim, user, fields)


def save_draft(db: Store, claim: dict, user: dict, fields: dict) -> dict:
    """Create or update the claim's draft verdict (only while the claim is in progress).

    Whoever saves a change becomes an author of the revision (an editor included).

    :raises Forbidden: the user may not draft it: not the assignee, the claim is not in progress,
        or the revision is already in review.
    :raises ValidationError: an unknown rating or a malformed URL.
    """
    require_draft(user, claim)
    values = _validate(db, {k: fields.get(k) for k in EDITABLE if k in fields})
    with db.transaction():
        draft = open_revision(db, claim["id"])
        stamp = now()
        require_draft(user, claim, draft)
        if draft is None:
            base = published_revision(db, claim["id"]) or {}
            revision = db.one("SELECT coalesce(max(revision), 0) + 1 AS n FROM verdicts WHERE claim_id = ?",
                           [claim["id"]])["n"]
            start = {k: base.get(k) for k in EDITABLE if k != "correction_note"}
            start.setdefault("claim_reviewed", claim["text"])
            start["claim_reviewed"] = start.get("claim_reviewed") or claim["text"]
            start["language"] = start.get("language") or "en"
            draft_id = db.insert(
                "INSERT INTO verdicts (claim_id, revision, rating_key, conclusion, claim_reviewed, explanation,"
                " article_url, language, author_id, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [claim["id"], revision, start.get("rating_key"), start.get("conclusion") or "",
                 start["claim_reviewed"], start.get("explanation") or "", start.get("article_url"),
                 start["language"], user["id"], stamp, stamp])
            draft = get_verdict(db, draft_id)
            record_author(db, claim["id"], user["id"], revision=revision)
            record_event(db, user["id"], "verdict.create", "claim", claim["id"], verdict_id=draft["id"],
                         revision=revision)
        changes = {k: (v if v != "" else None) if k in ("rating_key", "article_url") else v
                   for k, v in values.items() if v is not None and draft.get(k) != v}
        bump(db, claim["id"], claim["version"], {})
        if changes:
            assignments = ", ".join(f"{k} = ?" for k in changes)
            db.execute(f"UPDATE verdicts SET {assignments}, updated_at = ? WHERE id = ?",
                       [*changes.values(), stamp, draft["id"]])
            record_author(db, claim["id"], user["id"], revision=draft["revision"])
            record_event(db, user["id"], "verdict.edit", "claim", claim["id"], verdict_id=draft["id"],
                         before={k: draft.get(k) for k in changes}, after=changes)
        return get_verdict(db, draft["id"])


def submit_check(db: Store, claim_id: int, draft: dict | None, publisher: Publisher | None = None) -> dict:
    """Return what blocks submitting a draft for review, per form field in plain words, and the advice.

    ``blockers`` maps a field (rating_key, conclusion, claim_reviewed, claimant, correction_note,
    article_url, or publisher for the desk's settings) to what to do; ``warnings`` lists what is
    recommended but does not block (an appearance, a short claim as reviewed).
    """
    if draft is None:
        return {"blockers": {"verdict": "Write and save a draft verdict first."}, "warnings": []}
    blockers = {}
    if not draft["rating_key"]:
        blockers["rating_key"] = "Choose a rating."
    if not (draft["conclusion"] or "").strip():
        blockers["conclusion"] = "Write the conclusion readers will see (one short line)."
    if draft["revision"] > 1 and not (draft["correction_note"] or "").strip():
        blockers["correction_note"] = "Say what this correction changes."
    found = readiness(db, claim_id, draft, publisher)
    for field, message in found["blockers"].items():
        blockers.setdefault(field, message)
    return {"blockers": blockers, "warnings": found["warnings"] + warnings_for(db, draft)}


def blocked_message(blockers: dict) -> str:
    """Return one sentence listing what blocks a verdict."""
    return "Not ready yet: " + " ".join(blockers.values())


# -- transitions called by review.workflow inside its transaction ------------------
def on_submit(db: Store, claim: dict, user: dict, publisher: Publisher | None = None) -> None:
    """Move the draft into review; it needs a rating, a conclusion and nothing blocking its ClaimReview."""
    draft = open_revision(db, claim["id"])
    if draft is None or draft["status"] != "draft":
        raise ValidationError({"verdict": "write a draft verdict first"}, "Write a draft verdict before submitting.")
    blockers = submit_check(db, claim["id"], draft, publisher)["blockers"]
    if blockers:
        raise ValidationError(blockers, blocked_message(blockers))
    db.execute("UPDATE verdicts SET status = 'in_review', submitted_at = ?, review_comment = NULL, updated_at = ?"
               " WHERE id = ?", [now(), now(), draft["id"]])


def on_send_back(db: Store, claim: dict, comment: str) -> None:
    """Return the verdict in review to its author as a draft, with the editor's comment."""
    draft = open_revision(db, claim["id"])
    if draft:
        db.execute("UPDATE verdicts SET status = 'draft', review_comment = ?, updated_at = ? WHERE id = ?",
                   [comment, now(), draft["id"]])


def on_approve(db: Store, claim: dict, user: dict, *, require_other_approver: bool,
               publisher: Publisher | None = None) -> dict:
    """Publish the verdict in review: the previous public revision becomes superseded.

    :raises Forbidden: the user wrote or changed this revision (unless self-approval is allowed).
    """
    draft = open_revision(db, claim["id"])
    if draft is None or draft["status"] != "in_review":
        raise ValidationError({"verdict": "no verdict is waiting for review"}, "There is no verdict in review.")
    require_approve(user, claim, with_authors(db, draft), require_other_approver=require_other_approver)
    blockers = readiness(db, claim["id"], draft, publisher)["blockers"]
    if blockers:
        raise ValidationError(blockers, "Cannot publish yet: " + " ".join(blockers.values()))
    stamp = now()
    previous = published_revision(db, claim["id"])
    if previous:
        db.execute("UPDATE verdicts SET status = 'superseded', updated_at = ? WHERE id = ?", [stamp, previous["id"]])
        enqueue(db, "verdict", previous["id"])
    db.execute("UPDATE verdicts SET status = 'published', approver_id = ?, approved_at = ?, published_at = ?,"
               " updated_at = ? WHERE id = ?", [user["id"], stamp, stamp, stamp, draft["id"]])
    enqueue(db, "verdict", draft["id"])
    return get_verdict(db, draft["id"])


def on_correct(db: Store, claim: dict, user: dict) -> None:
    """Open a correction: a new draft revision copied from the public one, authored by the corrector."""
    published = published_revision(db, claim["id"])
    if published is None:
        raise ValidationError({"verdict": "nothing is published"}, "There is no published verdict to correct.")
    revision = published["revision"] + 1
    stamp = now()
    db.execute(
        "INSERT INTO verdicts (claim_id, revision, rating_key, conclusion, claim_reviewed, explanation, article_url,"
        " language, author_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [claim["id"], revision, published["rating_key"], published["conclusion"], published["claim_reviewed"],
         published["explanation"], published["article_url"], published["language"],
         user["id"], stamp, stamp])
    record_author(db, claim["id"], user["id"], revision=revision)


def on_retract(db: Store, claim: dict) -> None:
    """Withdraw the public revision: it becomes retracted and leaves the search index."""
    published = published_revision(db, claim["id"])
    if published is None:
        raise ValidationError({"verdict": "nothing is published"}, "There is no published verdict to retract.")
    db.execute("UPDATE verdicts SET status = 'retracted', updated_at = ? WHERE id = ?", [now(), published["id"]])
    enqueue(db, "verdict", published["id"])


def retracted_revision(db: Store, claim_id: int) -> dict | None:
    """Return the revision that was public when the fact-check was retracted, if it was."""
    return db.one("SELECT * FROM verdicts WHERE claim_id = ? AND status = 'retracted'"
                  " ORDER BY revision DESC LIMIT 1", [claim_id])


def corrections(db: Store, claim_id: int) -> list[dict]:
    """Return the correction log: each published revision after the first, with its note."""
    return list(db.query(
        "SELECT revision, published_at, correction_note, status FROM verdicts WHERE claim_id = ? AND revision > 1"
        " AND published_at IS NOT NULL ORDER BY revision DESC", [claim_id]))


def inbox(db: Store, *, limit: int = 50) -> dict:
    """Return the editor's inbox: in review, corrections pending, drafts, recently published."""
    base = ("SELECT v.*, c.text AS claim_text, c.claimant, c.second_rating, a.username AS author,"
            " r.label AS rating_label"
            " FROM verdicts v JOIN claims c ON c.id = v.claim_id LEFT JOIN users a ON a.id = v.author_id"
            " LEFT JOIN rating_scale r ON r.key = v.rating_key")
    return {
        "in_review": list(db.query(f"{base} WHERE v.status = 'in_review' AND v.revision = 1 ORDER BY v.submitted_at LIMIT ?", [limit])),
        "corrections": list(db.query(f"{base} WHERE v.status IN ('draft', 'in_review') AND v.revision > 1 ORDER BY v.updated_at DESC LIMIT ?", [limit])),
        "drafts": list(db.query(f"{base} WHERE v.status = 'draft' AND v.revision = 1 ORDER BY v.updated_at DESC LIMIT ?", [limit])),
        "published": list(db.query(f"{base} WHERE v.status = 'published' ORDER BY v.published_at DESC LIMIT ?", [limit])),
    }


def published_since(db: Store, since: str | None = None) -> list[dict]:
    """Return the public revision of every published claim, modified since a date (for export)."""
    params: list = []
    where = ""
    if since:
        where = "AND v.published_at >= ?"
        params.append(since)
    return list(db.query(
        f"SELECT v.* FROM verdicts v WHERE v.status = 'published' {where} ORDER BY v.published_at, v.id", params))


def retracted_since(db: Store, since: str | None = None) -> list[dict]:
    """Return the retracted revision of every retracted claim, retracted since a date (for export)."""
    params: list = []
    where = ""
    if since:
        where = "AND c.retracted_at >= ?"
        params.append(since)
    return list(db.query(
        "SELECT v.* FROM verdicts v JOIN claims c ON c.id = v.claim_id WHERE v.status = 'retracted'"
        f" AND c.status = 'retracted' {where} ORDER BY c.retracted_at, v.id", params))
