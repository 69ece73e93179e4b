"""Has anyone checked this before? Prior verdicts for a claim, queue marks, and the consistency warning."""


from review.claims import get_claim
from review.dates import now
from review.errors import ValidationError
from review.events import record_event
from review.matching import Match
from review.background import Budget
from review.scorers import active as active_models, rank_matches, refresh_embeddings
from review.authorship import record_author
from review.permissions import require_link_prior
from review.states import OPEN_STATES, sql_list
from review.storage import Store
from review.urls import clean_url
from review.versioning import bump, check_version

MARK_CHUNK = 16  # claims checked between two looks at the budget (their embeddings made in one batch)


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
    encoder = claim_encoder(db, [claim], keep=False)  # the claim's stored embedding, when the marks made it
    matches = [m for m in rank_matches(db, index, claim["text"], limit=limit + len(own), encoder=encoder)
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


def prior_round(db: Store) -> int:
    """Return the current round of prior verdicts: one more each time they (or the matching model) change.

    A new round embeds the new prior verdicts once (with the semantic extra) and drops the embeddings of
    claims that are closed; every open claim checked in an earlier round is then checked again.
    """
    generation = _prior_generation(db)
    stored = {r["key"]: r["value"] for r in db.query(
        "SELECT key, value FROM state WHERE key IN ('prior_generation', 'prior_round')")}
    current = int(stored.get("prior_round") or 0)
    if stored.get("prior_generation") == generation:
        if _priors_unembedded(db):  # verdicts published before the extra was installed, or before this check
            refresh_embeddings(db)
        return current
    refresh_embeddings(db)  # new prior verdicts: embedded once here, not for every claim they are compared with
    with db.transaction():
        for key, value in (("prior_generation", generation), ("prior_round", str(current + 1))):
            db.execute("INSERT INTO state (key, value) VALUES (?, ?)"
                       " ON CONFLICT(key) DO UPDATE SET value = excluded.value", [key, value])
        db.execute(f"DELETE FROM claim_embeddings WHERE claim_id IN"
                   f" (SELECT id FROM claims WHERE status NOT IN {sql_list(OPEN_STATES)})")
    return current + 1


def _priors_unembedded(db: Store) -> bool:
    """Return whether some prior verdicts lack a stored embedding the semantic matching would then make per claim."""
    if not active_models().semantic:
        return False
    from review.semantic import embeddings

    have = embeddings.counts(db)
    return have["embedded"] < have["total"]


def refresh_marks(db: Store, index, *, limit: int = 200, budget: Budget | None = None) -> int:
    """Check open claims against prior verdicts for the queue's marks; return how many were checked.

    Claims never checked (or edited since) come first, by priority; then those checked against the
    stalest round of prior verdicts, so after a publication or an import every open claim is checked
    again, and none is left behind however often verdicts are published. At most ``limit`` claims are
    checked, and with a ``budget`` the work stops once the cycle's CPU is spent (a few claims at a time).
    Each claim's embedding is made once and stored (``claim_embeddings``), so checking it again embeds nothing.
    """
    current = prior_round(db)
    todo = list(db.query(f"SELECT id, text FROM claims WHERE status IN {sql_list(OPEN_STATES)}"
                         " AND (prior_checked_round IS NULL OR prior_checked_round < ?)"
                         " ORDER BY coalesce(prior_checked_round, -1), priority DESC, id LIMIT ?", [current, limit]))
    checked = 0
    for lo in range(0, len(todo), MARK_CHUNK):
        chunk = todo[lo: lo + MARK_CHUNK]
        encoder = claim_encoder(db, chunk, keep=True)
        marks = []
        for claim in chunk:
            best = rank_matches(db, index, claim["text"], limit=1, encoder=encoder)
            top = best[0] if best and best[0].strong else None
            marks.append([top.score if top else None, top.rating_label if top else None,
                          top.publisher if top else None, top.url if top else None, now(), current, claim["id"]])
        with db.transaction():
            db.executemany(
                "UPDATE claims SET prior_match_score = ?, prior_match_label = ?, prior_match_publisher = ?,"
                " prior_match_url = ?, prior_checked_at = ?, prior_checked_round = ? WHERE id = ?", marks)
        checked += len(marks)
        if budget is not None and budget.spent():
            break
    return checked


class StoredEncoder:
    """The encoder, answering from claims' stored embeddings first: only texts it has no vector for are embedded."""

    def __init__(self, encoder, vectors: dict):
        self.encoder = encoder
        self.vectors = vectors  # text hash -> vector

    def embed(self, texts: list[str]):
        """Return one embedding row per text, as the encoder does."""
        import numpy as np

        from review.semantic.embeddings import text_hash

        if not texts:
            return self.encoder.embed([])
        hashes = [text_hash(text) for text in texts]
        missing = [n for n, key in enumerate(hashes) if key not in self.vectors]
        made = self.encoder.embed([texts[n] for n in missing]) if missing else None
        rows = [self.vectors.get(key) for key in hashes]
        for row, n in enumerate(missing):
            rows[n] = made[row]
        return np.vstack(rows).astype(np.float32)


def claim_encoder(db: Store, claims: list[dict], *, keep: bool) -> StoredEncoder | None:
    """Return an encoder that knows these claims' embeddings (None with the default models).

    Hybrid matching embeds a claim's text and, when it differs, its bare text (``semantic.matching.bare_text``).
    A claim whose stored embeddings are missing or were made from another text or model is embedded now,
    all in one batch, and with ``keep`` stored (a page being read stores nothing).
    """
    if not active_models().matching.startswith("semantic"):
        return None
    from review import semantic
    from review.semantic.embeddings import MODEL_ID, decode_vector, encode_vector, text_hash
    from review.semantic.matching import bare_text

    texts = {}  # claim id -> (text, bare text or None)
    for claim in claims:
        bare = bare_text(claim["text"])
        texts[claim["id"]] = (claim["text"], bare if bare.strip() and bare != claim["text"] else None)
    hashes = {key: (text_hash(text), text_hash(bare) if bare else None) for key, (text, bare) in texts.items()}
    vectors = {}
    marks = ", ".join("?" * len(texts))
    for row in db.query(f"SELECT claim_id, text_hash, vector, bare_hash, bare_vector FROM claim_embeddings"
                        f" WHERE claim_id IN ({marks})", list(texts)):
        if hashes.get(row["claim_id"]) == (row["text_hash"], row["bare_hash"]):
            vectors[row["text_hash"]] = decode_vector(row["vector"])
            if row["bare_hash"]:
                vectors[row["bare_hash"]] = decode_vector(row["bare_vector"])
    missing = [key for key in texts if hashes[key][0] not in vectors]
    if missing:
        batch = [text for key in missing for text in texts[key] if text]
        encoded = iter([encode_vector(v) for v in semantic.get_encoder().embed(batch)])
        rows = []
        for key in missing:
            vector, bare = next(encoded), next(encoded) if texts[key][1] else None
            rows.append([key, MODEL_ID, hashes[key][0], vector, hashes[key][1], bare, now()])
            vectors[hashes[key][0]] = decode_vector(vector)  # as stored, so a mark is the same made or read
            if bare:
                vectors[hashes[key][1]] = decode_vector(bare)
        if keep:
            with db.transaction():
                db.executemany(
                    "INSERT INTO claim_embeddings (claim_id, model, text_hash, vector, bare_hash, bare_vector,"
                    " embedded_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (claim_id) DO UPDATE SET"
                    " model = excluded.model, text_hash = excluded.text_hash, vector = excluded.vector,"
                    " bare_hash = excluded.bare_hash, bare_vector = excluded.bare_vector,"
                    " embedded_at = excluded.embedded_at", rows)
    return StoredEncoder(semantic.get_encoder(), vectors)
