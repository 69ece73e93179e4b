"""Keep the prior verdicts' sentence embeddings in the database (table ``match_embeddings``, migrations 0024, 0043).

Every imported review and every published verdict of ours is embedded once, when it is imported and when the
index is rebuilt (``refresh``), never per query: its claim and headline together, and its claim alone (stored
only when it differs from the first). A review whose text changed is embedded again (the row keeps a hash of
each text), and rows whose review or verdict is gone are dropped. They live in the database, not the index folder, so
every app node reads the same ones. Vectors are stored as base64 float16 (768 bytes for 384 dimensions).

Hybrid matching also looks for the claim's nearest neighbours among all of them, so each process keeps one
database's current embeddings as a float32 matrix (``archive``: 14,231 reviews take 22 MB; the claims alone,
read only for a lookup's candidates, are kept as float16, 11 MB), read once and
read again when the table's row count or the version ``refresh`` writes changes (any import, reindex or purge; another
process's change is seen within ``RECHECK_SECONDS``, this process's at once). ``similarities`` multiplies it by a
claim's embedding on one thread: OpenBLAS would split that product over every core and keep its threads spinning,
which costs a loaded two-core machine five times the CPU (5.5 ms against 1 ms for 14,231 reviews) and a web
worker's neighbours their share.
"""

from __future__ import annotations

import base64
import hashlib
import time
import uuid
from collections.abc import Iterator
from contextlib import nullcontext
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from review.dates import now
from review.semantic.encoder import DIMENSIONS, PINS, ENCODER_FILE

MODEL_ID = f"all-MiniLM-L6-v2-int8:{PINS[ENCODER_FILE][:12]}"
BATCH = 256
VERSION_KEY = "match_embeddings_version"  # in ``state``: written by ``refresh`` with every change it makes
Key = tuple[str, int]  # (kind, id): ("prior_review", prior_reviews.id) or ("verdict", verdicts.id)


def match_text(claim: str | None, headline: str | None) -> str:
    """Return the text a prior verdict is embedded by: its claim, then its headline (the one rule for both)."""
    return " ".join(part.strip() for part in (claim, headline) if part and part.strip())


def text_hash(text: str) -> str:
    """Return a short hash of an embedded text (and the model), to see when a review changed."""
    return hashlib.sha256(f"{MODEL_ID}\n{text}".encode("utf-8")).hexdigest()[:24]


def encode_vector(vector: np.ndarray) -> str:
    """Return a vector as base64 float16 text."""
    return base64.b64encode(np.asarray(vector, dtype="<f2").tobytes()).decode("ascii")


def decode_vector(text: str) -> np.ndarray:
    """Return the float32 vector of base64 float16 text."""
    vector = np.frombuffer(base64.b64decode(text), dtype="<f2").astype(np.float32)
    if len(vector) != DIMENSIONS:
        raise ValueError(f"an embedding of {len(vector)} numbers, expected {DIMENSIONS}")
    return vector


def sources(db) -> Iterator[tuple[Key, str, str]]:
    """Yield every prior verdict that "checked before?" may return, with the texts it is embedded by: its claim
    and headline together, and its claim alone."""
    for row in db.query("SELECT id, claim_reviewed, headline FROM prior_reviews ORDER BY id"):
        yield (("prior_review", row["id"]), match_text(row["claim_reviewed"], row["headline"]),
               match_text(row["claim_reviewed"], None))
    for row in db.query("SELECT id, claim_reviewed, conclusion FROM verdicts WHERE status = 'published' ORDER BY id"):
        yield (("verdict", row["id"]), match_text(row["claim_reviewed"], row["conclusion"]),
               match_text(row["claim_reviewed"], None))


def refresh(db, encoder) -> dict[str, int]:
    """Embed the prior verdicts that have no current embedding, drop the ones whose source is gone.

    :returns: counts: ``embedded`` (new or changed: either text), ``kept`` and ``dropped``.
    """
    stored = {(row["kind"], row["ref_id"]): (row["text_hash"], row["claim_hash"])
              for row in db.query("SELECT kind, ref_id, text_hash, claim_hash FROM match_embeddings")}
    todo, seen = [], set()
    for key, text, claim in sources(db):
        seen.add(key)
        if stored.get(key) != (text_hash(text), text_hash(claim)):
            todo.append((key, text, claim))
    for lo in range(0, len(todo), BATCH):
        chunk = todo[lo: lo + BATCH]
        apart = [n for n, (_, text, claim) in enumerate(chunk) if claim != text]  # a claim alone differs
        vectors = encoder.embed([text for _, text, _ in chunk] + [chunk[n][2] for n in apart])
        claims = dict(zip(apart, vectors[len(chunk):]))
        stamp = now()
        with db.transaction():
            db.executemany(
                "INSERT INTO match_embeddings (kind, ref_id, model, text_hash, vector, claim_hash, claim_vector,"
                " embedded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (kind, ref_id) DO UPDATE SET"
                " model = excluded.model, text_hash = excluded.text_hash, vector = excluded.vector,"
                " claim_hash = excluded.claim_hash, claim_vector = excluded.claim_vector,"
                " embedded_at = excluded.embedded_at",
                [[kind, ref_id, MODEL_ID, text_hash(text), encode_vector(vectors[n]), text_hash(claim),
                  encode_vector(claims[n]) if n in claims else None, stamp]
                 for n, ((kind, ref_id), text, claim) in enumerate(chunk)])
    gone = [key for key in stored if key not in seen]
    if gone:
        with db.transaction():
            db.executemany("DELETE FROM match_embeddings WHERE kind = ? AND ref_id = ?", [list(k) for k in gone])
    if todo or gone:
        with db.transaction():
            db.execute("INSERT INTO state (key, value) VALUES (?, ?)"
                       " ON CONFLICT(key) DO UPDATE SET value = excluded.value", [VERSION_KEY, uuid.uuid4().hex])
        forget(db)
    return {"embedded": len(todo), "kept": len(seen) - len(todo), "dropped": len(gone)}


@dataclass
class Archive:
    """Every current embedding of one database as one matrix, and where each prior verdict's row is."""

    signature: tuple
    keys: list[Key]
    rows: dict[Key, int]
    matrix: np.ndarray  # float32, len(keys) x DIMENSIONS: each one's claim and headline
    claims: np.ndarray  # float16, the same rows: each one's claim alone (its row of ``matrix`` without a headline)
    checked: float = 0.0  # time.monotonic() of the last signature check


# The archives this process has read, by database path (a worker serves one database; tests open many).
_ARCHIVES: dict[str, Archive] = {}
RECHECK_SECONDS = 2.0  # how stale another process's import may look here (this process's own are seen at once)


def archive(db, *, recheck: float = RECHECK_SECONDS) -> Archive:
    """Return the database's current embeddings, read from it again only when they changed.

    Whether they changed is asked at most every ``recheck`` seconds, by the table's row count (rows added or
    deleted) and the version ``refresh`` writes in ``state`` whenever it changes a row (a text embedded again):
    two lookups in indexes, where the latest embedding time read the whole table (7 ms CPU, 140 ms wall with
    its 15 MB out of the page cache).
    """
    held = _ARCHIVES.get(db.path)
    if held is not None and time.monotonic() - held.checked < recheck:
        return held
    signature = (int(db.scalar("SELECT count(*) FROM match_embeddings") or 0),
                 db.scalar("SELECT value FROM state WHERE key = ?", [VERSION_KEY]) or "")
    if held is None or held.signature != signature:
        rows = db.query("SELECT kind, ref_id, vector, claim_vector FROM match_embeddings WHERE model = ?"
                        " ORDER BY kind, ref_id", [MODEL_ID])
        keys = [(row["kind"], int(row["ref_id"])) for row in rows]
        matrix = np.zeros((len(rows), DIMENSIONS), dtype=np.float32)
        claims = np.zeros((len(rows), DIMENSIONS), dtype=np.float16)
        for n, row in enumerate(rows):
            matrix[n] = decode_vector(row["vector"])
            claims[n] = decode_vector(row["claim_vector"]) if row["claim_vector"] else matrix[n]
        held = Archive(signature, keys, {key: n for n, key in enumerate(keys)}, matrix, claims)
        _ARCHIVES[db.path] = held
    held.checked = time.monotonic()
    return held


@lru_cache(maxsize=1)
def _blas():
    """Return the process's BLAS thread pools (threadpoolctl; None without it)."""
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:
        return None
    return ThreadpoolController()


def similarities(matrix: np.ndarray, vector: np.ndarray) -> np.ndarray:
    """Return ``matrix @ vector`` (each stored embedding's cosine to a claim's), computed on one BLAS thread."""
    pools = _blas()
    with pools.limit(limits=1, user_api="blas") if pools is not None else nullcontext():
        return matrix @ vector


def forget(db) -> None:
    """Drop this process's copy of the database's embeddings (after it changed them itself)."""
    _ARCHIVES.pop(db.path, None)


def counts(db) -> dict[str, int]:
    """Return how many prior verdicts have current embeddings (their claim alone too), and how many could."""
    current = db.scalar("SELECT count(*) FROM match_embeddings WHERE model = ? AND claim_hash IS NOT NULL",
                        [MODEL_ID]) or 0
    total = (db.scalar("SELECT count(*) FROM prior_reviews") or 0) + (
        db.scalar("SELECT count(*) FROM verdicts WHERE status = 'published'") or 0)
    return {"embedded": int(current), "total": int(total)}
