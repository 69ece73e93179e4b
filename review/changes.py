"""What changed in a verdict since an editor last saw it: snapshots of what is reviewed, views, diffs.

An editor reviewing a resubmission or a correction sees each reviewed field beside the version
they last saw (each distinct content an editor views is recorded), or, when they saw none, the
published revision. Text fields come with a word diff.
"""

import difflib
import hashlib
import json
import re

from review.dates import now
from review.errors import NotFound
from review.evidence import STANCES, list_evidence
from review.permissions import is_editor
from review.storage import Store

FIELDS = (("rating", "Rating"), ("conclusion", "Conclusion"), ("claim_reviewed", "Claim as reviewed"),
          ("explanation", "Explanation"), ("claimant", "Claimant"), ("appeared_url", "Where it appeared"),
          ("article_url", "Fact-check URL"), ("correction_note", "Correction note"), ("evidence", "Evidence"))
TOKEN = re.compile(r"\s+|[^\s]+")


def snapshot(db: Store, claim: dict, verdict: dict) -> dict:
    """Return the reviewed content of a verdict revision as plain strings (the rating by its label)."""
    rating = db.one("SELECT label FROM rating_scale WHERE key = ?", [verdict.get("rating_key")]) \
        if verdict.get("rating_key") else None
    evidence = [f"{STANCES.get(e['stance'], e['stance'])}: {e['title'] or e['url'] or ''}"
                + (f" — “{e['excerpt']}”" if e["excerpt"] else "") for e in list_evidence(db, claim["id"])]
    return {
        "rating": rating["label"] if rating else "", "conclusion": verdict.get("conclusion") or "",
        "claim_reviewed": verdict.get("claim_reviewed") or "", "explanation": verdict.get("explanation") or "",
        "claimant": claim.get("claimant") or "", "appeared_url": claim.get("appeared_url") or "",
        "article_url": verdict.get("article_url") or "", "correction_note": verdict.get("correction_note") or "",
        "evidence": "\n".join(evidence),
    }


def _digest(content: dict) -> str:
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode("utf-8")).hexdigest()


def record_view(db: Store, claim_id: int, user_id: int, revision: int, content: dict) -> None:
    """Record that the user saw this content of the claim's verdict (seeing it again moves the time)."""
    db.execute("INSERT INTO review_views (claim_id, user_id, revision, digest, snapshot, viewed_at)"
               " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (claim_id, user_id, digest) DO UPDATE"
               " SET viewed_at = excluded.viewed_at, revision = excluded.revision",
               [claim_id, user_id, revision, _digest(content), json.dumps(content), now()])


def baseline(db: Store, claim_id: int, user_id: int, content: dict, published: dict | None,
             published_content: dict | None) -> dict | None:
    """Return what to compare the content with: the last different version the user saw, else the published one.

    Gives ``{"label", "at", "content"}``, or None for a first submission nobody has seen.
    """
    seen = db.one("SELECT snapshot, viewed_at, revision FROM review_views WHERE claim_id = ? AND user_id = ?"
                  " AND digest != ? ORDER BY viewed_at DESC, id DESC LIMIT 1", [claim_id, user_id, _digest(content)])
    if seen:
        return {"label": "the version you last saw", "at": seen["viewed_at"], "content": json.loads(seen["snapshot"])}
    if published and published_content is not None:
        return {"label": f"the published revision {published['revision']}", "at": published.get("published_at"),
                "content": published_content}
    return None


def word_diff(before: str, after: str) -> list[dict]:
    """Return a word diff as segments ``{"op": "same" | "del" | "ins", "text"}``."""
    old, new = TOKEN.findall(before or ""), TOKEN.findall(after or "")
    segments: list[dict] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            segments.append({"op": "same", "text": "".join(old[i1:i2])})
            continue
        if i2 > i1:
            segments.append({"op": "del", "text": "".join(old[i1:i2])})
        if j2 > j1:
            segments.append({"op": "ins", "text": "".join(new[j1:j2])})
    return segments


def compare(before: dict | None, after: dict) -> list[dict]:
    """Return each reviewed field with its value, whether it changed since ``before``, and the diff."""
    rows = []
    for key, label in FIELDS:
        value = after.get(key, "")
        old = (before or {}).get(key, "")
        changed = before is not None and old != value
        rows.append({"key": key, "label": label, "value": value, "before": old, "changed": changed,
                     "diff": word_diff(old, value) if changed else []})
    return rows


def review_changes(db: Store, claim: dict, user_id: int, draft: dict, published: dict | None) -> dict:
    """Return the revision in review field by field, marked where it changed since the user last saw it.

    Reading writes nothing: the page then posts back that the user saw this content (``record_seen``),
    with its ``digest``, so what is compared stays what is new to this user until then.
    """
    content = snapshot(db, claim, draft)
    published_content = snapshot(db, claim, published) if published else None
    base = baseline(db, claim["id"], user_id, content, published, published_content)
    rows = compare(base["content"] if base else None, content)
    return {"rows": rows, "baseline": base, "changed": [r["label"] for r in rows if r["changed"]],
            "revision": draft["revision"], "digest": _digest(content)}


def record_seen(db: Store, claim_id: int, user: dict, digest: str) -> bool:
    """Record that an editor saw the revision in review, if it still reads as the page they were shown.

    ``digest`` is the one ``review_changes`` gave the page; a revision changed since then is not
    recorded as seen (the editor has not seen it), nor is a checker's view (only editors are shown what
    changed). Returns whether a view was recorded.

    :raises NotFound: no such claim.
    """
    claim = db.one("SELECT * FROM claims WHERE id = ?", [claim_id])
    if claim is None:
        raise NotFound(f"Claim {claim_id} does not exist.")
    if not is_editor(user):
        return False
    draft = db.one("SELECT * FROM verdicts WHERE claim_id = ? AND status = 'in_review' ORDER BY revision DESC LIMIT 1",
                   [claim_id])
    if draft is None:
        return False
    content = snapshot(db, claim, draft)
    if _digest(content) != digest:
        return False
    record_view(db, claim_id, user["id"], draft["revision"], content)
    return True
