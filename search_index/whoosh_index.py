"""Whoosh implementation of the search interface.

The index lives in generations: ``INDEX/gen-NNNN`` directories with a ``current``
symlink naming the live one. ``rebuild`` fills a new generation and swaps the
symlink atomically; every open resolves the link again, so searchers pick up a
new generation without a restart.
"""

import datetime as dt
import os
import re
import shutil

from markupsafe import Markup, escape
from whoosh import highlight, index, qparser, query, sorting
from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import DATETIME, ID, NUMERIC, STORED, TEXT, Schema
from whoosh.searching import Searcher

from search_index.base import Hit, Record, Results

WRITER_TIMEOUT = 30.0
MAX_QUERY_CHARS = 1000
MIN_PREFIX = 3
MAX_PREFIX_TERMS = 200
SEARCH_FIELDS = ["title", "body", "claimant"]


def make_schema() -> Schema:
    analyzer = StemmingAnalyzer()
    return Schema(
        key=ID(stored=True, unique=True),
        kind=ID(stored=True),
        entity_id=NUMERIC(int, bits=64, stored=True),
        title=TEXT(analyzer=analyzer, stored=True, field_boost=2.0),
        body=TEXT(analyzer=analyzer, stored=True),
        claimant=TEXT(analyzer=analyzer, stored=True),
        source=ID(stored=False),
        source_name=STORED(),
        rating=ID(),
        rating_label=STORED(),
        publisher=ID(),
        publisher_name=STORED(),
        language=ID(stored=True),
        url=STORED(),
        published=DATETIME(stored=True, sortable=True),
        extra=STORED(),
    )


class EscapingFormatter(highlight.Formatter):
    """Wrap matched terms in <mark> and escape every other character."""

    between = "\u2009…\u2009"

    def format_token(self, text, token, replace=False):
        return f"<mark>{escape(highlight.get_text(text, token, replace))}</mark>"

    def format_fragment(self, fragment, replace=False):
        output, index_ = [], fragment.startchar
        text = fragment.text
        for t in fragment.matches:
            if t.startchar is None or t.startchar < index_:
                continue
            output.append(str(escape(text[index_:t.startchar])))
            output.append(self.format_token(text, t, replace))
            index_ = t.endchar
        output.append(str(escape(text[index_:fragment.endchar])))
        return "".join(output)


def _norm(value: str | None) -> str:
    return (value or "").strip().lower()


def _parse_date(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    text = str(value).strip()
    for length, fmt in ((19, "%Y-%m-%dT%H:%M:%S"), (10, "%Y-%m-%d"), (7, "%Y-%m"), (4, "%Y")):
        try:
            return dt.datetime.strptime(text[:length], fmt)
        except ValueError:
            continue
    return None


class WhooshIndex:
    """The embedded index: documents and verdicts in one Whoosh index."""

    def __init__(self, path: str):
        self.path = os.path.abspath(path)
        self._ix = None
        self._searcher: Searcher | None = None

    # -- generations -------------------------------------------------------
    @property
    def current_dir(self) -> str:
        return os.path.join(self.path, "current")

    def _new_generation(self) -> str:
        os.makedirs(self.path, exist_ok=True)
        existing = [int(n[4:]) for n in os.listdir(self.path) if re.fullmatch(r"gen-\d+", n)]
        target = os.path.join(self.path, f"gen-{max(existing, default=0) + 1:04d}")
        os.makedirs(target)
        index.create_in(target, make_schema())
        return target

    def _point_current_at(self, target: str) -> None:
        link_tmp = os.path.join(self.path, f".current-{os.getpid()}")
        if os.path.lexists(link_tmp):
            os.remove(link_tmp)
        os.symlink(os.path.basename(target), link_tmp)
        os.replace(link_tmp, self.current_dir)

    def exists(self) -> bool:
        return os.path.isdir(self.current_dir) and index.exists_in(self.current_dir)

    @property
    def ix(self):
        if self._ix is None:
            if not self.exists():
                self._point_current_at(self._new_generation())
            self._ix = index.open_dir(self.current_dir)
        return self._ix

    def searcher(self) -> Searcher:
        if self._searcher is None:
            self._searcher = self.ix.searcher()
        else:
            self._searcher = self._searcher.refresh()
        return self._searcher

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        if self._ix is not None:
            self._ix.close()
            self._ix = None

    # -- writing -------------------------------------------------------------
    @staticmethod
    def _fields(record: Record) -> dict:
        fields = {
            "key": f"{record.kind}:{record.id}",
            "kind": record.kind,
            "entity_id": record.id,
            "title": record.title or "",
            "body": record.body or "",
            "claimant": record.claimant or "",
            "source": _norm(record.source),
            "source_name": record.source or "",
            "rating": _norm(record.rating),
            "rating_label": record.extra.get("rating_label", record.rating or ""),
            "publisher": _norm(record.publisher),
            "publisher_name": record.publisher or "",
            "language": _norm(record.language),
            "url": record.url,
            "extra": record.extra,
        }
        published = _parse_date(record.published)
        if published:
            fields["published"] = published
        return fields

    def apply(self, records: list[Record], removals: list[tuple[str, int]]) -> None:
        """Add or replace ``records`` and delete ``removals`` in one commit (idempotent)."""
        if not records and not removals:
            return
        writer = self.ix.writer(timeout=WRITER_TIMEOUT)
        try:
            for kind, entity_id in removals:
                writer.delete_by_term("key", f"{kind}:{entity_id}")
            for record in records:
                writer.update_document(**self._fields(record))
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def add(self, records: list[Record]) -> None:
        self.apply(records, [])

    def remove(self, keys: list[tuple[str, int]]) -> None:
        self.apply([], keys)

    def rebuild(self, records) -> int:
        """Build a fresh generation from ``records`` and swap it in atomically; return the count."""
        target = self._new_generation()
        ix = index.open_dir(target)
        writer = ix.writer(limitmb=256)
        count = 0
        for record in records:
            writer.add_document(**self._fields(record))
            count += 1
        writer.commit()
        ix.close()
        previous = os.path.realpath(self.current_dir) if os.path.lexists(self.current_dir) else None
        self.close()
        self._point_current_at(target)
        if previous and previous != os.path.realpath(target):
            shutil.rmtree(previous, ignore_errors=True)
        return count

    # -- reading -------------------------------------------------------------
    def stats(self) -> dict:
        searcher = self.searcher()
        counts = {}
        for kind in ("document", "verdict"):
            counts[kind] = searcher.doc_frequency("kind", kind)
        size = sum(
            os.path.getsize(os.path.join(self.current_dir, name)) for name in os.listdir(self.current_dir)
        )
        return {"documents": counts["document"], "verdicts": counts["verdict"], "bytes": size,
                "generation": os.path.basename(os.path.realpath(self.current_dir))}

    def keys(self, kind: str) -> set[int]:
        """Return the ids indexed for one kind (for staleness checks)."""
        searcher = self.searcher()
        return {fields["entity_id"] for fields in searcher.documents(kind=kind)}

    def _parse(self, q: str, kind: str) -> tuple[query.Query | None, str | None]:
        notice = None
        q = (q or "").strip()
        if len(q) > MAX_QUERY_CHARS:
            q = q[:MAX_QUERY_CHARS]
            notice = f"Your query was cut to its first {MAX_QUERY_CHARS} characters."
        if not q:
            return None, notice
        fields = SEARCH_FIELDS
        parser = qparser.MultifieldParser(fields, self.ix.schema, group=qparser.AndGroup)
        parser.remove_plugin_class(qparser.WildcardPlugin)
        parser.add_plugin(qparser.PrefixPlugin())
        parser.add_plugin(qparser.GtLtPlugin())
        parser.add_plugin(qparser.dateparse.DateParserPlugin(free=False))
        q = re.sub(r"\b(date|published):", "published:", q)
        try:
            parsed = parser.parse(_lowercase_field_values(q))
            parsed, prefix_notice = self._bound_prefixes(parsed)
            if _has_errors(parsed):
                raise ValueError("unparsable")
            return parsed, notice or prefix_notice
        except Exception:  # noqa: BLE001 - any parser failure falls back to plain words
            words = re.findall(r"\w+", q)
            plain = qparser.MultifieldParser(fields, self.ix.schema, group=qparser.OrGroup)
            fallback = plain.parse(" ".join(words)) if words else None
            return fallback, "Could not read that as a query; searched for the plain words instead."

    def _bound_prefixes(self, parsed: query.Query) -> tuple[query.Query, str | None]:
        notice = None
        reader = self.searcher().reader()

        def visit(node):
            nonlocal notice
            if isinstance(node, query.Prefix):
                if len(node.text) < MIN_PREFIX:
                    notice = f"Prefix searches need at least {MIN_PREFIX} characters; searched the word instead."
                    return query.Term(node.fieldname, node.text)
                terms = []
                for term in reader.expand_prefix(node.fieldname, node.text):
                    terms.append(query.Term(node.fieldname, term))
                    if len(terms) >= MAX_PREFIX_TERMS:
                        notice = f"'{node.text}*' matches many words; used the first {MAX_PREFIX_TERMS}."
                        break
                return query.Or(terms) if terms else query.NullQuery
            return node.apply(visit)

        return visit(parsed), notice

    def _filter(self, kind: str, filters: dict) -> query.Query:
        parts = [query.Term("kind", kind)]
        for name in ("source", "rating", "publisher", "language"):
            values = filters.get(name)
            if not values:
                continue
            values = [values] if isinstance(values, str) else list(values)
            parts.append(query.Or([query.Term(name, _norm(v)) for v in values if _norm(v)]))
        start, end = _parse_date(filters.get("date_from")), _parse_date(filters.get("date_to"))
        if start and end and start > end:
            start, end = end, start
        if start or end:
            if end:
                end = end.replace(hour=23, minute=59, second=59)
            parts.append(query.DateRange("published", start, end))
        return query.And(parts)

    def search(self, q: str, *, kind: str = "document", filters: dict | None = None,
               sort: str = "relevance", page: int = 1, page_size: int = 20) -> Results:
        """Search one kind of record; see the query language in docs/search.md."""
        parsed, notice = self._parse(q, kind)
        searcher = self.searcher()
        filter_q = self._filter(kind, filters or {})
        page = max(1, int(page or 1))
        sortedby = None
        if sort == "date" or parsed is None:
            sortedby = sorting.FieldFacet("published", reverse=True)
        results = searcher.search(
            parsed or query.Every(), filter=filter_q, limit=page * page_size, sortedby=sortedby, terms=True
        )
        results.fragmenter = highlight.ContextFragmenter(maxchars=240, surround=60)
        results.formatter = EscapingFormatter()
        hits = []
        for result in results[(page - 1) * page_size: page * page_size]:
            stored = result.fields()
            snippet = ""
            if parsed is not None:
                snippet = result.highlights("body", top=2) or result.highlights("title")
            if not snippet:
                snippet = str(escape((stored.get("body") or "")[:240]))
            hits.append(Hit(kind=stored["kind"], id=stored["entity_id"], score=result.score or 0.0,
                            fields=stored, snippet=Markup(snippet)))
        exact = results.has_exact_length()
        total = len(results) if exact else results.estimated_length()
        return Results(total=total, estimated=not exact, hits=hits, notice=notice, page=page, page_size=page_size)

    def similar(self, text: str, *, kind: str = "verdict", limit: int = 10) -> list[Hit]:
        """Rank records of ``kind`` by word overlap with ``text`` (BM25 over any of its words)."""
        words = re.findall(r"\w+", text or "")[:200]
        if not words:
            return []
        parser = qparser.MultifieldParser(SEARCH_FIELDS, self.ix.schema, group=qparser.OrGroup)
        parsed = parser.parse(" ".join(words))
        results = self.searcher().search(parsed, filter=query.Term("kind", kind), limit=limit)
        return [Hit(kind=r["kind"], id=r["entity_id"], score=r.score or 0.0, fields=r.fields()) for r in results]


_FIELD_VALUE = re.compile(r"\b(source|rating|publisher|language):(\"[^\"]*\"|\S+)")


def _lowercase_field_values(q: str) -> str:
    """Lower-case the values of exact-match fields, so `source:Reuters` finds 'reuters'."""

    def fix(match):
        value = match.group(2)
        if value.startswith('"'):
            value = "'" + value.strip('"').lower() + "'"
        return f"{match.group(1)}:{value.lower()}"

    return _FIELD_VALUE.sub(fix, q)


def _has_errors(node: query.Query) -> bool:
    if type(node).__name__ == "ErrorQuery":
        return True
    return any(_has_errors(child) for child in node.children())
