"""What the search index holds: the records made from our rows, and the outbox that keeps them current.

Every write that should reach the index calls ``enqueue`` inside its own
transaction; ``drain`` (the server's background loop, and commands before they
exit) hands ``load_record`` to the index's outbox drainer, which applies the
current record of each queued row, or removes it when ``load_record`` says the
row is no longer indexed.

Outbox kinds and their index keys: ``document`` -> ("document", id);
``verdict`` (our own, indexed while published) -> ("verdict", id);
``prior_review`` (imported from other fact-checkers) -> ("verdict", -id), so
both kinds of verdict share one index without their ids colliding.

Our own verdicts are indexed under the desk's organization name (the ``org_name`` desk setting, kept
in step with ``CLAIMDESK_ORG_NAME`` by :func:`set_org_name`), so ``publisher:`` finds them as it finds
another fact-checker's.
"""

from collections.abc import Iterator

from review.desk import get_setting
from review.storage import Store
from search_index import outbox
from search_index.base import Record
from search_index.outbox import IndexBusy, pending_count  # noqa: F401 - commands ask this module

KINDS = ("document", "verdict", "prior_review")
ORG_NAME = "org_name"  # the desk setting naming the organization our verdicts are published under

PUBLISHED_VERDICTS = (
    "SELECT v.*, c.claimant, r.label AS rating_label FROM verdicts v JOIN claims c ON c.id = v.claim_id"
    " LEFT JOIN rating_scale r ON r.key = v.rating_key WHERE v.status = 'published'"
)


def enqueue(db: Store, kind: str, entity_id: int) -> None:
    """Queue one row for (re)indexing; call inside the transaction that changed it.

    :param kind: ``document``, ``verdict`` or ``prior_review``.
    :raises ValueError: for any other kind (the drainer could never load it).
    """
    if kind not in KINDS:
        raise ValueError(f"unknown outbox kind {kind!r}")
    outbox.enqueue(db, kind, entity_id)


def enqueue_many(db: Store, kind: str, entity_ids: list[int]) -> None:
    """Queue rows of one kind for (re)indexing in one statement; call inside the transaction that changed them.

    :raises ValueError: for an unknown kind (see :func:`enqueue`).
    """
    if kind not in KINDS:
        raise ValueError(f"unknown outbox kind {kind!r}")
    outbox.enqueue_many(db, kind, entity_ids)


CLAIMANTS = ("SELECT DISTINCT a.document_id, c.claimant FROM claim_appearances a JOIN claims c ON c.id = a.claim_id"
             " WHERE c.claimant IS NOT NULL AND c.claimant <> ''")


def document_record(doc: dict, claimants: list[str] | None = None) -> Record:
    """Return the index record of a documents row; ``claimants`` (of its claims) make ``claimant:`` find it."""
    return Record(kind="document", id=doc["id"], title=doc["title"], body=doc["body"], source=doc["source"],
                  url=doc["url"], published=doc["published_at"], language=doc["language"],
                  claimant="; ".join(sorted(claimants or [])))


def prior_review_record(review: dict) -> Record:
    """Return the index record of a prior_reviews row: claim, headline and summary searched as one text."""
    return Record(
        kind="verdict", id=-review["id"], title=review.get("headline") or "",
        body=" ".join(filter(None, [review["claim_reviewed"], review.get("headline"), review.get("review_body")])),
        claimant=review.get("claimant") or "", rating=review.get("rating_key") or review.get("rating_label") or "",
        publisher=review.get("publisher") or "", url=review["url"], published=review.get("date_published"),
        language=review.get("language"),
        extra={"claim_reviewed": review["claim_reviewed"], "rating_label": review.get("rating_label") or "",
               "rating_key": review.get("rating_key") or "", "origin": "imported", "prior_review_id": review["id"]},
    )


def org_name(db: Store) -> str:
    """Return the organization name our own verdicts are indexed under ("" until one is set)."""
    return get_setting(db, ORG_NAME, "") or ""


def set_org_name(db: Store, name: str) -> bool:
    """Keep the organization name our verdicts are published under; return whether it changed.

    When it changes, every published verdict is queued for reindexing under the new name.
    """
    name = (name or "").strip()
    if get_setting(db, ORG_NAME) == name:
        return False
    with db.transaction():
        db.execute("INSERT INTO desk_settings (key, value) VALUES (?, ?)"
                   " ON CONFLICT (key) DO UPDATE SET value = excluded.value", [ORG_NAME, name])
        for row in db.query("SELECT id FROM verdicts WHERE status = 'published'"):
            enqueue(db, "verdict", row["id"])
    return True


def verdict_record(verdict: dict, publisher: str = "") -> Record:
    """Return the index record of a published verdict; ``publisher`` is our organization's name."""
    return Record(
        kind="verdict", id=verdict["id"], title=verdict["conclusion"] or "",
        body=" ".join(filter(None, [verdict["claim_reviewed"], verdict["conclusion"], verdict["explanation"]])),
        claimant=verdict.get("claimant") or "", rating=verdict["rating_key"] or "",
        publisher=publisher, url=verdict.get("article_url"),
        published=verdict.get("published_at"), language=verdict.get("language"),
        extra={"claim_reviewed": verdict["claim_reviewed"], "rating_label": verdict.get("rating_label") or "",
               "rating_key": verdict["rating_key"] or "", "origin": "own", "claim_id": verdict["claim_id"]},
    )


def load_record(db: Store, kind: str, entity_id: int) -> Record | None:
    """Return the index record of one queued row, or None when it should not be (or no longer be) indexed.

    :raises ValueError: for an unknown outbox kind.
    """
    if kind == "document":
        doc = db.one("SELECT * FROM documents WHERE id = ?", [entity_id])
        if not doc:
            return None
        return document_record(doc, [r["claimant"] for r in db.query(f"{CLAIMANTS} AND a.document_id = ?", [entity_id])])
    if kind == "prior_review":
        review = db.one("SELECT * FROM prior_reviews WHERE id = ?", [entity_id])
        return prior_review_record(review) if review else None
    if kind == "verdict":
        verdict = db.one(f"{PUBLISHED_VERDICTS} AND v.id = ?", [entity_id])
        return verdict_record(verdict, org_name(db)) if verdict else None
    raise ValueError(f"unknown outbox kind {kind!r}")


def load_records(db: Store, kind: str, entity_ids: list[int]) -> dict[int, Record | None]:
    """Return the index record (or None, as :func:`load_record`) of each of many queued rows of one kind.

    Documents are read with one query for the rows and one for their claimants, not two a document (an
    import queues thousands); the records are those :func:`load_record` makes. Other kinds are read one by one.

    :raises ValueError: for an unknown outbox kind.
    """
    if kind != "document":
        return {entity_id: load_record(db, kind, entity_id) for entity_id in entity_ids}
    found: dict[int, Record | None] = dict.fromkeys(entity_ids)
    for start in range(0, len(entity_ids), outbox.PARAMETERS):
        chunk = entity_ids[start:start + outbox.PARAMETERS]
        marks = ",".join("?" * len(chunk))
        claimants: dict[int, list[str]] = {}
        for row in db.query(f"{CLAIMANTS} AND a.document_id IN ({marks})", chunk):
            claimants.setdefault(row["document_id"], []).append(row["claimant"])
        for doc in db.query(f"SELECT * FROM documents WHERE id IN ({marks})", chunk):
            found[doc["id"]] = document_record(doc, claimants.get(doc["id"]))
    return found


def index_key(kind: str, entity_id: int) -> tuple[str, int]:
    """Return the index (kind, id) of an outbox entry; imported reviews use negative ids."""
    if kind == "prior_review":
        return ("verdict", -entity_id)
    return (kind, entity_id)


def all_records(db: Store) -> Iterator[Record]:
    """Yield every record the index should hold."""
    claimants: dict[int, list[str]] = {}
    for row in db.query(CLAIMANTS):
        claimants.setdefault(row["document_id"], []).append(row["claimant"])
    for doc in db.query("SELECT * FROM documents ORDER BY id"):
        yield document_record(doc, claimants.get(doc["id"]))
    for review in db.query("SELECT * FROM prior_reviews ORDER BY id"):
        yield prior_review_record(review)
    publisher = org_name(db)
    for verdict in db.query(PUBLISHED_VERDICTS):
        yield verdict_record(verdict, publisher)


def drain(db: Store, index_path: str, *, wait: float = 0.0, procs: int = 1, rebuild: bool = True,
          engine: str = "whoosh") -> int:
    """Apply the queued rows to the index at ``index_path``; return how many (0 while another process drains).

    An index that is missing (its folder deleted) or of an older schema is first rebuilt from the database.

    :param wait: seconds to wait for another drainer to finish.
    :param procs: worker processes that analyze big backlogs (commands pass the core count; the server's
        background thread keeps 1, as workers are forked).
    :param rebuild: False to leave a needed rebuild to a later drain (``serve`` starts without waiting for it).
    :param engine: ``whoosh`` (the folder ``index_path``) or ``postgres`` (the search table of ``db``).
    """
    return outbox.drain(db, index_path, load_record, index_key=index_key, all_records=all_records if rebuild else None,
                        wait=wait, procs=procs, engine=engine, load_records=load_records)


def reindex(db: Store, index_path: str, *, wait: float = 60.0, procs: int = 1, engine: str = "whoosh") -> int:
    """Rebuild the whole index from the database, swap it in and return the record count.

    :raises IndexBusy: another process kept the index lock for ``wait`` seconds.
    """
    return outbox.reindex(db, index_path, all_records, wait=wait, procs=procs, engine=engine)
