"""The rating scale and the mapping of other fact-checkers' labels onto it."""

import re
import unicodedata



from review.errors import Conflict, NotFound, ValidationError
from review.events import record_event
from review.indexing import enqueue
from review.storage import Store

KEY_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
APOSTROPHES = "'\u2019\u02bc`"  # dropped, so "didn't" and "didnt" compare equal


def list_scale(db: Store, *, active_only: bool = False) -> list[dict]:
    """Return the rating labels in their configured order."""
    where = "WHERE active = 1" if active_only else ""
    return list(db.query(f"SELECT * FROM rating_scale {where} ORDER BY position, key"))


def scale_bounds(db: Store) -> tuple[int | None, int | None]:
    """Return (worstRating, bestRating) of the ordered part of the scale, or (None, None)."""
    found = db.one("SELECT min(rating_value) AS worst, max(rating_value) AS best FROM rating_scale"
                    " WHERE active = 1 AND rating_value IS NOT NULL")
    return found["worst"], found["best"]


def get_rating(db: Store, key: str) -> dict:
    """Return one rating label.

    :raises NotFound: no such key.
    """
    rating = db.one("SELECT * FROM rating_scale WHERE key = ?", [key])
    if not rating:
        raise NotFound(f"rating {key!r} is not on the scale")
    return rating


def save_rating(db: Store, *, key: str, label: str, rating_value: str | int | None,
                description: str = "", position: int | None = None, active: bool = True,
                actor_id: int | None = None) -> dict:
    """Create or update a label; ratingValue is optional (labels off the scale carry none).

    :raises ValidationError: a malformed key, an empty label, or a value below 1.
    """
    key = (key or "").strip().lower()
    label = (label or "").strip()
    errors = {}
    if not KEY_RE.match(key):
        errors["key"] = "lower-case letters, digits and '-', up to 40 characters"
    if not label:
        errors["label"] = "required: the label published as alternateName"
    value = None
    if rating_value not in (None, ""):
        try:
            value = int(rating_value)
            if value < 1:
                raise ValueError
        except (TypeError, ValueError):
            errors["rating_value"] = "a whole number of 1 or more, or empty for labels off the scale"
    if errors:
        raise ValidationError(errors)
    with db.transaction():
        existing = db.one("SELECT * FROM rating_scale WHERE key = ?", [key])
        if position is None:
            position = existing["position"] if existing else db.one("SELECT coalesce(max(position), -1) + 1 AS p FROM rating_scale")["p"]
        db.execute(
            "INSERT INTO rating_scale (key, label, rating_value, description, position, active)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO UPDATE SET label = excluded.label,"
            " rating_value = excluded.rating_value, description = excluded.description,"
            " position = excluded.position, active = excluded.active",
            [key, label, value, description.strip(), position, 1 if active else 0],
        )
        record_event(db, actor_id, "rating.save", "rating", None, key=key, label=label, rating_value=value,
                     before=existing)
    return get_rating(db, key)


def list_mappings(db: Store) -> list[dict]:
    """Return the label mappings, with the label each maps to."""
    return list(db.query("SELECT m.label, m.rating_key, r.label AS rating_label FROM rating_mappings m"
                         " JOIN rating_scale r ON r.key = m.rating_key ORDER BY m.rating_key, m.label"))


def normalize_label(label: str | None) -> str:
    """Return the one form rating labels are compared in: case folded, punctuation as spaces, spaces collapsed.

    Underscores and hyphens are punctuation too, and apostrophes are dropped, so "Four Pinocchios!",
    "four-pinocchios" and "FOUR PINOCCHIOS" are one label, and "False." is "false". Admins' mappings
    are saved in this form, and every lookup (:func:`label_lookup`, the ClaimReview import)
    normalizes both sides, so mappings saved in an older form keep working.
    """
    text = unicodedata.normalize("NFKC", label or "").casefold()
    text = "".join("" if char in APOSTROPHES else " " if unicodedata.category(char).startswith("P") else char
                   for char in text)
    return " ".join(text.split())


def label_lookup(db: Store) -> dict[str, str]:
    """Return rating keys by normalized label: our scale's keys and labels, with the admins' mappings over them."""
    scale = db.query("SELECT key, label FROM rating_scale ORDER BY position, key")
    lookup = {normalize_label(r["key"]): r["key"] for r in scale}
    lookup |= {normalize_label(r["label"]): r["key"] for r in scale}
    mappings = db.query("SELECT label, rating_key FROM rating_mappings ORDER BY label")
    return lookup | {normalize_label(m["label"]): m["rating_key"] for m in mappings}


def map_label(db: Store, label: str | None) -> str | None:
    """Map another publisher's rating label to a key on our scale, or None when unmapped."""
    key = normalize_label(label)
    return label_lookup(db).get(key) if key else None


def _stored_spellings(db: Store, label: str) -> list[str]:
    """Return the mapping labels as stored that normalize to ``label`` (older forms included)."""
    return [m["label"] for m in db.query("SELECT label FROM rating_mappings") if normalize_label(m["label"]) == label]


def save_mapping(db: Store, label: str, rating_key: str, *, actor_id: int | None = None) -> None:
    """Map a published label (in its normalized form) to one of our keys; remaps imported reviews too.

    :raises ValidationError: empty label or unknown key.
    """
    label = normalize_label(label)
    if not label:
        raise ValidationError({"label": "type the label as other fact-checkers publish it"})
    with db.transaction():
        get_rating(db, rating_key)
        for spelling in _stored_spellings(db, label):  # an older form of the same label gives way
            if spelling != label:
                db.execute("DELETE FROM rating_mappings WHERE label = ?", [spelling])
        db.execute("INSERT INTO rating_mappings (label, rating_key) VALUES (?, ?)"
                   " ON CONFLICT(label) DO UPDATE SET rating_key = excluded.rating_key", [label, rating_key])
        changed = list(db.query("SELECT id, rating_label FROM prior_reviews"))
        for review in changed:
            if normalize_label(review["rating_label"] or "") == label:
                db.execute("UPDATE prior_reviews SET rating_key = ? WHERE id = ?", [rating_key, review["id"]])
                enqueue(db, "prior_review", review["id"])
        record_event(db, actor_id, "rating.map", "rating", None, label=label, rating_key=rating_key)


def delete_mapping(db: Store, label: str, *, actor_id: int | None = None) -> None:
    """Remove a label mapping.

    :raises Conflict: the mapping does not exist.
    """
    with db.transaction():
        spellings = _stored_spellings(db, normalize_label(label))
        if not spellings:
            raise Conflict(f"no mapping for {label!r}")
        db.executemany("DELETE FROM rating_mappings WHERE label = ?", [[spelling] for spelling in spellings])
        record_event(db, actor_id, "rating.unmap", "rating", None, label=label)
