"""The PostgreSQL engine (``CLAIMDESK_SEARCH=postgres``): search shared by every app node.

Records live in the ``search_records`` table (migrations/postgres/0028): the outbox drainer
applies them here as it applies them to Whoosh, so what is indexed, and when, does not depend on
the engine. Words are a weighted tsvector under a GIN index (``postgres_queries`` builds it and
translates the query language); matches are ranked with ``ts_rank_cd`` (title words weigh more
than body words), snippets come from ``ts_headline`` and are escaped as Whoosh's are. "Checked
before?" lookups (``similar``) score the BM25 of Whoosh's claim tables in SQL, so both engines
hand the same candidates to the re-ranker (``postgres_similar``), with the features it reads computed
when each verdict is written (``postgres_features``).

The engine is given the store (the domain's database connection: ``query``, ``scalar``,
``execute``, ``executemany``, ``transaction``); it imports no driver and nothing of ``review``.
"""

import json

from markupsafe import Markup, escape

from search_index import postgres_features, postgres_similar, postgres_terms
from search_index.analysis import ANALYSIS_VERSION
from search_index.words import POSTGRES_TEXT_CONFIG as TEXT_CONFIG
from search_index.base import KINDS, Hit, Record, Results
from search_index.postgres_queries import (WEIGHTS, filter_conditions, rank_query, translate,
                                           tsvector_text)
from search_index.query_text import parse_datetime, parse_day, read_query
from search_index.whoosh_queries import date_range, read_tree
from search_index.whoosh_results import HIGHLIGHT_CHARS, SNIPPET_CHARS
from search_index.whoosh_schema import exact_value, index_kind, make_schema, record_fields
from search_index.snippets import BETWEEN

# Private-use characters: ts_headline marks matches and joins passages with the first three; angle brackets
# travel as the last two, or PostgreSQL's parser would read "<script>" as a tag and leave it out.
START, STOP, GAP, LT, GT = "\ue000", "\ue001", "\ue002", "\ue003", "\ue004"
HEADLINE = (f"StartSel={START}, StopSel={STOP}, FragmentDelimiter={GAP}, MaxFragments=2, MaxWords=30, "
            "MinWords=12, ShortWord=2")
BATCH = 500
UPSERT = (
    "INSERT INTO search_records (kind, id, source, rating, publisher, language, day, words, terms, fields, features)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::tsvector, ?::jsonb, ?)"
    " ON CONFLICT (kind, id) DO UPDATE SET source = excluded.source, rating = excluded.rating,"
    " publisher = excluded.publisher, language = excluded.language, day = excluded.day, words = excluded.words,"
    " terms = excluded.terms, fields = excluded.fields, features = excluded.features"
)
_SCHEMA = make_schema()  # the query parser reads field names and word analysis from it


class PostgresSearch:
    """The ``SearchIndex`` over the ``search_records`` table of a PostgreSQL store."""

    def __init__(self, store):
        self.store = store

    # -- writing ---------------------------------------------------------------------------------
    def apply(self, records, removals: list[tuple[str, int]]) -> None:
        """Add or replace ``records`` and delete ``removals`` in one transaction (idempotent), keeping the
        verdicts' word counts (``postgres_terms``); one writer at a time."""
        records = list(records)
        with self.store.transaction():
            self.store.execute(postgres_terms.WRITER_LOCK)
            postgres_terms.count_changes(self.store, [r for r in records if index_kind(r.kind) == "verdict"],
                                         [i for kind, i in removals if index_kind(kind) == "verdict"])
            for kind, entity_id in removals:
                self.store.execute("DELETE FROM search_records WHERE kind = ? AND id = ?",
                                   [index_kind(kind), entity_id])
            self._write(records)

    def add(self, records: list[Record]) -> None:
        """Add or replace records."""
        self.apply(records, [])

    def remove(self, keys: list[tuple[str, int]]) -> None:
        """Delete records by (kind, id)."""
        self.apply([], keys)

    def rebuild(self, records, *, procs: int = 1, recovering: bool = False) -> int:
        """Replace every record with ``records`` in one transaction (searches see the old ones until it
        commits); return the count."""
        with self.store.transaction():
            self.store.execute(postgres_terms.WRITER_LOCK)
            self.store.execute("DELETE FROM search_records")
            count = self._write(records)
            postgres_terms.recount(self.store)
            return count

    def _write(self, records) -> int:
        count, rows = 0, []
        for record in records:
            rows.append(row_of(record))
            count += 1
            if len(rows) >= BATCH:
                self.store.executemany(UPSERT, rows)
                rows = []
        if rows:
            self.store.executemany(UPSERT, rows)
        return count

    # -- reading ---------------------------------------------------------------------------------
    def status(self) -> str:
        """Return ``ready``, ``missing`` while the table holds no record (never filled, or emptied), or
        ``outdated`` when its words were analysed by another version of ``analysis`` (a rebuild
        rewrites every row at once, so one row tells) or a verdict lacks its re-ranking features
        (written before they were kept: ``postgres_features``)."""
        found = self.store.one("SELECT fields->>'analysis' AS analysis FROM search_records LIMIT 1")
        if found is None:
            return "missing"
        if found["analysis"] != str(ANALYSIS_VERSION) or self.store.one(postgres_features.UNFEATURED):
            return "outdated"
        return "ready"

    def exists(self) -> bool:
        """Return True: the table is the database's own (a migration made it)."""
        return True

    def stats(self) -> dict:
        """Return the record counts per kind and the table's size with its indexes."""
        counts = {row["kind"]: row["records"] for row in self.store.query(
            "SELECT kind, count(*) AS records FROM search_records GROUP BY kind")}
        size = self.store.scalar("SELECT pg_total_relation_size('search_records')")
        return {"documents": counts.get("document", 0), "verdicts": counts.get("verdict", 0), "bytes": size,
                "generation": "postgres"}

    def close(self) -> None:
        """Nothing to close: the store belongs to the caller."""

    def search(self, q: str, *, kind: str = "document", filters: dict | None = None,
               sort: str = "relevance", page: int = 1, page_size: int = 20) -> Results:
        """Search one kind of record with the query language (see ``postgres_queries``)."""
        kind = index_kind(kind)
        page, page_size = max(1, _int(page, 1)), max(1, min(_int(page_size, 20), 100))
        filters = filters or {}
        read = read_query(q)
        notices = read.notices
        parsed = read_tree(read.text, _SCHEMA, notices)
        part = translate(parsed, notices) if parsed is not None else None
        date_from, date_to = date_range(read, filters, notices)
        conditions, params = filter_conditions(filters, date_from, date_to)
        restricted = bool(conditions)
        ranked = rank_query(part)
        if parsed is not None:
            if part is None:  # only stop words or operators: nothing to look for
                conditions.append("FALSE")
            else:
                condition, extra = part.condition()
                conditions.append(condition)
                params += extra
        total, rows = self._page(kind, conditions, params, ranked, sort if parsed is not None else "date",
                                 page, page_size)
        hits = [self._hit(row) for row in rows]
        if not total and parsed is not None and restricted:
            notices.append("Nothing matched with these filters; try a wider date range or fewer filters.")
        return Results(total=total, estimated=False, hits=hits, notice=" ".join(notices) or None, page=page,
                       page_size=page_size)

    def _page(self, kind: str, conditions: list[str], params: list, ranked: str | None, sort: str, page: int,
              page_size: int) -> tuple[int, list[dict]]:
        """Return the number of matches and one page of rows (with score and headline)."""
        where = " AND ".join(["r.kind = ?", *conditions])
        score = f"ts_rank_cd('{WEIGHTS}', r.terms, ?::tsquery, 1)" if ranked else "0.0"
        score_params = [ranked] if ranked else []
        order = "r.day DESC, score DESC, r.id" if sort == "date" else "score DESC, r.id"
        text = f"translate(left(coalesce(nullif(p.fields->>'body', ''), p.fields->>'title', ''), {HIGHLIGHT_CHARS}), ?, ?)"
        headline = f"ts_headline('{TEXT_CONFIG}', {text}, ?::tsquery, ?)" if ranked else "NULL"
        headline_params = ["<>" + START + STOP + GAP, LT + GT, ranked, HEADLINE] if ranked else []
        rows = self.store.query(
            f"SELECT p.id, p.fields, p.score, p.total, {headline} AS headline FROM ("
            f" SELECT r.id, r.fields, r.day, {score} AS score, count(*) OVER () AS total"
            f" FROM search_records r WHERE {where} ORDER BY {order} LIMIT ? OFFSET ?) AS p"
            f" ORDER BY {order.replace('r.', 'p.')}",
            [*headline_params, *score_params, kind, *params, page_size, (page - 1) * page_size])
        if rows:
            return int(rows[0]["total"]), rows
        if page == 1:
            return 0, []
        return int(self.store.scalar(f"SELECT count(*) FROM search_records r WHERE {where}", [kind, *params])), []

    @staticmethod
    def _hit(row: dict) -> Hit:
        fields = stored_fields(row["fields"])
        if row["headline"] is not None:
            marked = str(escape(row["headline"].strip()))
            for mark, markup in ((START, "<mark>"), (STOP, "</mark>"), (GAP, BETWEEN), (LT, "&lt;"), (GT, "&gt;")):
                marked = marked.replace(mark, markup)
            snippet = Markup(marked)
        else:
            snippet = Markup(escape((fields.get("body") or fields.get("title") or "")[:SNIPPET_CHARS]))
        return Hit(kind=fields["kind"], id=fields["entity_id"], score=float(row["score"] or 0.0), fields=fields,
                   snippet=snippet)

    def similar(self, text: str, *, kind: str = "verdict", limit: int = 10, rerank=None) -> list[Hit]:
        """Rank records of ``kind`` by BM25 over any of the words of ``text`` (see ``postgres_similar``)."""
        found = postgres_similar.similar(self.store, text, kind=index_kind(kind), limit=limit, rerank=rerank)
        return [Hit(kind=fields["kind"], id=fields["entity_id"], score=score, fields=stored_fields(fields))
                for score, fields in found]


def row_of(record: Record) -> list:
    """Return the search_records row of a record."""
    fields = record_fields(record)
    stored = {name: value for name, value in fields.items() if name not in ("content", "source", "rating",
                                                                              "publisher", "day")}
    stored["published"] = stored["published"].isoformat() if stored.get("published") else None
    stored["analysis"] = ANALYSIS_VERSION
    terms, words = tsvector_text(record.title, record.claimant, record.body)
    day = parse_day(record.published)
    kind = index_kind(record.kind)
    stored_json = json.dumps(stored, default=str)
    # A verdict's re-ranking features, from its fields exactly as a lookup reads them back.
    features = postgres_features.pack(stored_fields(stored_json)) if kind == "verdict" else None
    return [kind, record.id, exact_value(record.source), exact_value(record.rating),
            exact_value(record.publisher), exact_value(record.language), day.toordinal() if day else 0, words,
            terms, stored_json, features]


def stored_fields(fields) -> dict:
    """Return a row's stored fields as Whoosh gives them (the publication time as a datetime)."""
    fields = dict(json.loads(fields) if isinstance(fields, str) else fields)
    fields["published"] = parse_datetime(fields.get("published"))
    return fields


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


__all__ = ["KINDS", "PostgresSearch"]
