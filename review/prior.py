"""Has anyone checked this before? Prior verdicts for a claim, queue marks, and the consistency warning."""


from review.claims import get_claim
from review.dates import now
from review.errors import ValidationError
from review.events import record_event
from review.matching import Match
from review.scorers import active as active_models, rank_matches
from review.authorship import record_author
from review.permissions import require_link_prior
from review.states import OPEN_STATES, sql_list
from review.storage import Store
from review.urls import clean_url
from review.versioning import bump, check_version


def checked_before(db: Store, index, claim: dict, *, limit: int = 3, org_name: str = "") -> list[Match]:
    """Return the prior verdicts that strongly match this claim (never the claim's own verdict), best first.

    Only matches at or above the one calibrated strong-match threshold (``Match.strong``) count: below it a
    match is more often another claim than the same one. Our own verdicts carry ``org_name`` as publisher,
    and a match in another language than the claim's article is marked with ``foreign_language``.
    """
    own = {r["id"] for r in db.query("SELECT id FROM verdicts WHERE claim_id = ?", [claim["id"]])}
    language = None  # the claim's article's language; a manual claim is taken to be in English
    if claim.get("document_id"):
        language = db.scalar("SELECT language FROM documents WHERE id = ?", [claim["document_id"]])
    language = language or "en"
    matches = [m for m in rank_matches(db, index, claim["text"], limit=limit + len(own))
               if m.verdict_id not in own and m.strong][:limit]
    for match in matches:
        if match.origin == "own" and not match.publisher:
            match.publisher = org_name
        match.foreign_language = bool(match.language and match.language[:2].lower() != language[:2].lower())
    return matches


def consistency_warnings(matches: list[Match], rating_key: str | None, scale_labels: dict[str, str]) -> list[str]:
    """Warn when a strongly matching prior verdict reached a different rating (compared on our scale)."""
    if not rating_key:
        return []
    warnings = []
    for match in matches:
        if match.strong and match.rating_key and match.rating_key != rating_key:
            warnings.append(
                f"{match.publisher or 'A prior review'} rated a very similar claim “{match.rating_label}” "
                f"({scale_labels.get(match.rating_key, match.rating_key)} on our scale"
                f"{', ' + match.date[:4] if match.date else ''}); this draft says "
                f"{scale_labels.get(rating_key, rating_key)}. Check it before submitting.")
    return warnings


def link_prior(db: Store, claim_id: int, user: dict, *, url: str, prior_review_id: int | None = None,
               verdict_id: int | None = None, version: int | None = None) -> dict:
    """Record that a prior verdict reviewed the same claim: it becomes an appearance of this claim.

    The link is an appearance of the claim (public in its ClaimReview): it is refused on a closed
    claim (``permissions.why_not_link_prior``), and the user becomes an author of the revision being worked on.

    :raises ValidationError: neither a prior review nor a verdict, an unknown one, or a URL
        :func:`review.urls.clean_url` refuses.
    :raises Forbidden: the claim is closed, or assigned to someone else.
    """
    if not (prior_review_id or verdict_id):
        raise ValidationError({"prior": "choose the prior verdict that reviews this claim"})
    url = clean_url(url, "url")
    table, key = ("prior_reviews", prior_review_id) if prior_review_id else ("verdicts", verdict_id)
    if not db.one(f"SELECT id FROM {table} WHERE id = ?", [key]):
        raise ValidationError({"prior": f"{table[:-1].replace('_', ' ')} {key} does not exist"})
    with db.transaction():
        claim = get_claim(db, claim_id)
        check_version(db, claim, version)
        require_link_prior(user, claim)
        db.execute("INSERT INTO claim_appearances (claim_id, prior_review_id, verdict_id, url, created_at)"
                   " VALUES (?, ?, ?, ?, ?)", [claim_id, prior_review_id, verdict_id, url, now()])
        bump(db, claim_id, claim["version"], {"appearance_count": claim["appearance_count"] + 1})
        record_author(db, claim_id, user["id"])
        record_event(db, user["id"], "claim.link_prior", "claim", claim_id, prior_review_id=prior_review_id,
                     verdict_id=verdict_id, url=url)
    return get_claim(db, claim_id)


def linked_priors(db: Store, claim_id: int) -> set[str]:
    """Return the URLs of prior verdicts already linked to the claim as the same claim."""
    return {r["url"] for r in db.query("SELECT url FROM claim_appearances WHERE claim_id = ? AND"
                                      " (prior_review_id IS NOT NULL OR verdict_id IS NOT NULL)", [claim_id])}


def _prior_generation(db: Store) -> str:
    found = db.one("SELECT (SELECT count(*) || ':' || coalesce(max(updated_at), '') FROM prior_reviews) || '/' ||"
                    " (SELECT count(*) || ':' || coalesce(max(published_at), '') FROM verdicts"
                    "  WHERE status = 'published') AS g")
    return f"{found['g']}/{active_models().matching}"  # another matching model marks every open claim again


def refresh_marks(db: Store, index, *, limit: int = 200) -> int:
    """Check the highest-priority unchecked open claims against prior verdicts; return how many were checked.

    When prior verdicts change (an import, a publication), every open claim is checked again.
    """
    generation = _prior_generation(db)
    stored = db.one("SELECT value FROM state WHERE key = 'prior_generation'")
    if not stored or stored["value"] != generation:
        with db.transaction():
            db.execute(f"UPDATE claims SET prior_checked_at = NULL WHERE status IN {sql_list(OPEN_STATES)}")
            db.execute("INSERT INTO state (key, value) VALUES ('prior_generation', ?)"
                       " ON CONFLICT(key) DO UPDATE SET value = excluded.value", [generation])
    todo = list(db.query(f"SELECT id, text FROM claims WHERE prior_checked_at IS NULL AND status IN {sql_list(OPEN_STATES)}"
                         " ORDER BY priority DESC LIMIT ?", [limit]))
    marks = []
    for claim in todo:
        best = rank_matches(db, index, claim["text"], limit=1)
        top = best[0] if best and best[0].strong else None
        marks.append([top.score if top else None, top.rating_label if top else None, top.publisher if top else None,
                      top.url if top else None, now(), claim["id"]])
    if marks:
        with db.transaction():
            db.executemany(
                "UPDATE claims SET prior_match_score = ?, prior_match_label = ?, prior_match_publisher = ?,"
                " prior_match_url = ?, prior_checked_at = ? WHERE id = ?", marks)
    return len(marks)
