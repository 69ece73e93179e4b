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
from review.evidence import STANCES, list_evidence
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
    """Return the revision in review field by field, marked where it changed, and record that the user saw it.

    The comparison is made before the view is recorded, so it shows what is new to this user.
    """
    content = snapshot(db, claim, draft)
    published_content = snapshot(db, claim, published) if published else None
    base = baseline(db, claim["id"], user_id, content, published, published_content)
    rows = compare(base["content"] if base else None, content)
    record_view(db, claim["id"], user_id, draft["revision"], content)
    return {"rows": rows, "baseline": base, "changed": [r["label"] for r in rows if r["changed"]]}
