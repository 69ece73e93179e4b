"""Whoosh implementation of the search interface.

Layout: ``INDEX/gen-NNNN/documents`` and ``INDEX/gen-NNNN/verdicts`` are two
Whoosh indexes (so document statistics never skew verdict ranking, and a
document search needs no kind filter), and ``INDEX/current`` is a symlink naming
the live generation. ``rebuild`` fills a new generation and swaps the symlink
atomically. A ``WhooshIndex`` reads the link again before every search, so an
object that stays open picks up a new generation (and new commits) on its next
search, without a restart.

Query language (``search``): words (all must match), "exact phrases", AND, OR,
NOT and parentheses, ``word*`` (at least 3 letters; expands to the 20 most
common words it starts), ``source:``, ``rating:``, ``publisher:``,
``language:`` (exact values, any case; quote values with spaces),
``claimant:`` (words), and ``date:2020``, ``date:2020-03``,
``date:2020-01..2020-06-30``, ``date:2020..`` or ``date:..2020`` (also as the
``date_from``/``date_to`` filters). A query that cannot be read (unbalanced
quotes or parentheses, a bad date) is searched as plain words with a notice.

Filters stay fast at 200k documents because they never become Whoosh filter
sets (which build a set per query and turn off Whoosh's block-max skipping):
each segment's publication days are read once into a numpy array (cached per
segment, which never changes), and a date range becomes a sorted list of
allowed document numbers that the query must intersect (``Filtered``), keeping
scores and skipping intact. Phrases search a field of adjacent word pairs
(see ``_phrases_as_pairs``); snippets come from ``snippets.py``; "checked
before?" lookups of verdicts use the numpy tables of ``claim_table.py``.
"""

import bisect
import contextlib
import functools
import os
import re
import shutil
import threading
from collections.abc import Iterable

import numpy as np
from markupsafe import Markup, escape
from whoosh import index, qparser, query, sorting
from whoosh.analysis import Filter, StemmingAnalyzer
from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema
from whoosh.matching import ListMatcher, RequireMatcher

from search_index.base import KINDS, Hit, Record, Results
from search_index.claim_table import ClaimTable, idf_weights, top_rows
from search_index.query_text import day_range, parse_datetime, parse_day, read_query
from search_index.snippets import WORD, snippet

WRITER_TIMEOUT = 30.0
MIN_PREFIX = 3
MAX_PREFIX_TERMS = 20
MAX_PREFIX_SCAN = 5000
MAX_SIMILAR_WORDS = 40
HIGHLIGHT_CHARS = 20000
SNIPPET_CHARS = 240
SUBDIRS = {"document": "documents", "verdict": "verdicts"}
SEARCH_FIELD = "content"
PAIRS_FIELD = "pairs"
NO_DAY = 0  # the column value of records without a publication date
CLAIMS_FILE = ".claims-{}.npz"  # a verdict segment's saved claim table
WORD_ANALYZER = StemmingAnalyzer()


class WordPairs(Filter):
    """Join each two adjacent words into one token ("interest rate"), for fast phrase search.

    Whoosh's BiWordFilter fails on a text without words (all stop words).
    """

    def __call__(self, tokens):
        previous = None
        for token in tokens:
            text = token.text
            if previous is not None:
                token.text = f"{previous} {text}"
                yield token
            previous = text


def make_schema() -> Schema:
    """Return the schema both sub-indexes share."""
    analyzer = StemmingAnalyzer()
    return Schema(
        key=ID(stored=True, unique=True),
        kind=ID(stored=True),
        entity_id=NUMERIC(int, bits=64, stored=True),
        content=TEXT(analyzer=analyzer),  # title, claimant and body: the one field words are searched in
        pairs=TEXT(analyzer=StemmingAnalyzer() | WordPairs(), phrase=False),  # content's adjacent word pairs
        title=STORED(),
        body=STORED(),
        claimant=TEXT(analyzer=analyzer, stored=True),
        source=ID(),
        source_name=STORED(),
        rating=ID(),
        rating_label=STORED(),
        publisher=ID(),
        publisher_name=STORED(),
        language=ID(stored=True),
        url=STORED(),
        published=STORED(),
        day=NUMERIC(int, bits=32, sortable=True, default=NO_DAY),
        extra=STORED(),
    )


class SortedIdsMatcher(ListMatcher):
    """A boolean matcher over sorted document numbers that skips by bisection."""

    def skip_to(self, id):
        if self.is_active() and id > self._ids[self._i]:
            self._i = bisect.bisect_left(self._ids, id, self._i)


class FilteredMatcher(RequireMatcher):
    """Whoosh's RequireMatcher, minus an assertion that fails when a quality skip lands on a match."""

    def skip_to_quality(self, minquality):
        skipped = self.a.skip_to_quality(minquality)
        if self.a.is_active() and self.b.is_active() and self.a.id() != self.b.id():
            self.child._find_next()
        return skipped


class Filtered(query.Require):
    """Match the first query where the second also matches, scoring by the first alone."""

    def matcher(self, searcher, context=None):
        scored = self.a.matcher(searcher, context)
        required = self.b.matcher(searcher, searcher.boolean_context())
        return FilteredMatcher(scored, required)

    def estimate_size(self, ixreader):
        return min(self.a.estimate_size(ixreader), self.b.estimate_size(ixreader))


class AllowedDocs(query.Query):
    """Match the documents of each segment that a per-segment function allows (used inside Require)."""

    fieldname = None

    def __init__(self, allowed, label: str):
        self.allowed = allowed  # SegmentReader -> sorted list of segment docnums
        self.label = label

    def __unicode__(self):
        return f"<allowed {self.label}>"

    __str__ = __unicode__

    def __eq__(self, other):
        return type(other) is type(self) and other.label == self.label

    def __hash__(self):
        return hash(self.label)

    def estimate_size(self, ixreader):
        return sum(len(self.allowed(reader)) for reader, _ in _leaves(ixreader))

    def matcher(self, searcher, context=None):
        reader = searcher.reader()
        return SortedIdsMatcher(self.allowed(reader) if reader.segment() is not None else [], all_weights=1.0)


def _leaves(reader):
    """Return (segment reader, offset) pairs for a reader of one or many segments (none when empty)."""
    leaves = reader.leaf_readers() if not reader.is_atomic() else [(reader, 0)]
    return [(leaf, offset) for leaf, offset in leaves if leaf.segment() is not None]


class SegmentCache:
    """Per-segment data read once per process: publication days and the verdict claim table.

    Keyed by the segment's directory and id; entries for segments a directory no
    longer has are dropped whenever that directory is looked at again.
    """

    def __init__(self):
        self._entries: dict[tuple[str, str], dict] = {}
        self._lock = threading.Lock()

    def get(self, directory: str, reader) -> dict:
        """Return the (mutable) cache entry of one segment."""
        key = (directory, reader.segment().segment_id())
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                entry = self._entries[key] = {}
            return entry

    def forget_others(self, directory: str, live: set[str]) -> None:
        """Drop the entries of segments ``directory`` no longer has, and of folders that are gone."""
        with self._lock:
            gone = {folder for folder, _ in self._entries if folder != directory and not os.path.isdir(folder)}
            for key in [k for k in self._entries if k[0] in gone or (k[0] == directory and k[1] not in live)]:
                del self._entries[key]


SEGMENTS = SegmentCache()


def segment_days(directory: str, reader) -> np.ndarray:
    """Return each document's publication day (date ordinal, 0 when unknown) for one segment."""
    entry = SEGMENTS.get(directory, reader)
    if "day" not in entry:
        column = reader.column_reader("day")
        entry["day"] = np.fromiter(iter(column), dtype=np.int64, count=reader.doc_count_all())
    return entry["day"]


def segment_claims(directory: str, reader, live: set[str]) -> ClaimTable:
    """Return the claim table of one verdict segment: cached, else loaded from its file, else built and saved."""
    entry = SEGMENTS.get(directory, reader)
    if "claims" not in entry:
        entry["claims"] = _load_or_build_claims(directory, reader, live)
    return entry["claims"]


def _load_or_build_claims(directory: str, reader, live: set[str]) -> ClaimTable:
    """Load a segment's saved claim table, or build it from the stored texts and save it."""
    path = os.path.join(directory, CLAIMS_FILE.format(reader.segment().segment_id()))
    try:
        table = ClaimTable.load(path)
        if len(table) == reader.doc_count_all():
            return table
    except (OSError, ValueError, KeyError):
        pass  # not saved yet, or unreadable: build it again
    docnums = list(range(reader.doc_count_all()))
    texts = (reader.stored_fields(n).get("body") or "" if not reader.is_deleted(n) else "" for n in docnums)
    table = ClaimTable.build(docnums, (analyze(text) for text in texts))
    try:
        table.save(path)
        _remove_dead_claim_files(directory, live)
    except OSError:
        pass  # a read-only index still works; the next process builds the table again
    return table


def _remove_dead_claim_files(directory: str, live: set[str]) -> None:
    """Delete saved claim tables of segments the index no longer has."""
    for name in os.listdir(directory):
        if name.startswith(".claims-") and name.endswith(".npz") and name[len(".claims-"):-4] not in live:
            with contextlib.suppress(OSError):
                os.remove(os.path.join(directory, name))


def analyze(text: str) -> list[str]:
    """Return the words of a text as the index holds them: the analyzer's result, one cached word at a time."""
    return [term for word in WORD.findall(text) if (term := _normalized(word))]


def record_key(kind: str, entity_id: int) -> str:
    """Return the unique ``key`` field of a record: "document:12", "verdict:-3"."""
    return f"{kind}:{entity_id}"


def record_fields(record: Record) -> dict:
    """Return the Whoosh fields of one record."""
    content = "\n".join(filter(None, [record.title, record.claimant, record.body]))
    fields = {
        "key": record_key(record.kind, record.id),
        "kind": record.kind,
        "entity_id": record.id,
        "content": content,
        "pairs": content,
        "title": record.title or "",
        "body": record.body or "",
        "claimant": record.claimant or "",
        "source": _norm(record.source),
        "source_name": record.source or "",
        "rating": _norm(record.rating),
        "rating_label": record.extra.get("rating_label") or record.rating or "",
        "publisher": _norm(record.publisher),
        "publisher_name": record.publisher or "",
        "language": _norm(record.language),
        "url": record.url,
        "published": parse_datetime(record.published),
        "extra": record.extra,
    }
    day = parse_day(record.published)
    if day:
        fields["day"] = day.toordinal()
    return fields


def _norm(value: str | None) -> str:
    """Return a value as exact-match fields hold it: trimmed and lower-cased."""
    return (value or "").strip().lower()


class WhooshIndex:
    """The embedded index: documents and verdicts, one Whoosh index each, in generations."""

    def __init__(self, path: str):
        self.path = os.path.abspath(path)
        self._generation: str | None = None
        self._indexes: dict = {}
        self._searchers: dict = {}

    # -- generations -------------------------------------------------------
    @property
    def current_dir(self) -> str:
        """Return the path of the ``current`` symlink."""
        return os.path.join(self.path, "current")

    def _new_generation(self) -> str:
        """Create the next ``gen-NNNN`` folder with an empty index per kind."""
        os.makedirs(self.path, exist_ok=True)
        existing = [int(n[4:]) for n in os.listdir(self.path) if re.fullmatch(r"gen-\d+", n)]
        number = max(existing, default=0) + 1
        while True:
            target = os.path.join(self.path, f"gen-{number:04d}")
            try:
                os.makedirs(target)
                break
            except FileExistsError:
                number += 1
        for subdir in SUBDIRS.values():
            os.makedirs(os.path.join(target, subdir))
            index.create_in(os.path.join(target, subdir), make_schema())
        return target

    def _point_current_at(self, target: str) -> None:
        """Point ``current`` at ``target`` with an atomic rename."""
        link_tmp = os.path.join(self.path, f".current-{os.getpid()}-{threading.get_ident()}")
        if os.path.lexists(link_tmp):
            os.remove(link_tmp)
        os.symlink(os.path.basename(target), link_tmp)
        os.replace(link_tmp, self.current_dir)

    def exists(self) -> bool:
        """Return whether the current generation holds both indexes."""
        return all(index.exists_in(os.path.join(self.current_dir, sub)) for sub in SUBDIRS.values())

    def _live_generation(self) -> str:
        """Return the live generation directory, creating an empty one when there is none."""
        if not self.exists():
            self._point_current_at(self._new_generation())
        return os.path.realpath(self.current_dir)

    def _follow_generation(self) -> str:
        """Close handles on a generation that is no longer current; return the current one."""
        generation = self._live_generation()
        if generation != self._generation:
            self.close()
            self._generation = generation
        return generation

    def _index(self, kind: str):
        """Return the open Whoosh index of one kind in the current generation."""
        generation = self._follow_generation()
        if kind not in self._indexes:
            self._indexes[kind] = index.open_dir(os.path.join(generation, SUBDIRS[_kind(kind)]))
        return self._indexes[kind]

    def searcher(self, kind: str = "document"):
        """Return an up-to-date searcher for one kind (refreshed, or reopened after a swap)."""
        kind = _kind(kind)
        ix = self._index(kind)
        searcher = self._searchers.get(kind)
        if searcher is not None and not searcher.up_to_date():
            # Not searcher.refresh(): it reuses segment readers and so misses deletions in a reused segment.
            searcher.close()
            searcher = None
        if searcher is None:
            searcher = self._searchers[kind] = ix.searcher()
        return searcher

    def _subdir(self, kind: str) -> str:
        """Return the folder of one kind's index in the current generation."""
        return os.path.join(self._follow_generation(), SUBDIRS[_kind(kind)])

    def close(self) -> None:
        """Close the searchers and indexes this object holds."""
        for searcher in self._searchers.values():
            searcher.close()
        for ix in self._indexes.values():
            ix.close()
        self._searchers, self._indexes = {}, {}

    # -- writing -------------------------------------------------------------
    def apply(self, records: Iterable[Record], removals: list[tuple[str, int]], *, procs: int = 1) -> None:
        """Add or replace ``records`` and delete ``removals``, one commit per kind (idempotent).

        ``procs`` > 1 analyzes the records in that many worker processes, each
        writing its own segment (for big backlogs; a process with threads should
        keep the default, as the workers are forked).
        """
        by_kind: dict[str, list[Record]] = {kind: [] for kind in KINDS}
        for record in records:
            by_kind[_kind(record.kind)].append(record)
        for kind in KINDS:
            kind_removals = [key for key in removals if _kind(key[0]) == kind]
            if by_kind[kind] or kind_removals:
                self._apply_kind(kind, by_kind[kind], kind_removals, procs=procs)

    def _apply_kind(self, kind: str, records: list[Record], removals: list[tuple[str, int]], *,
                    procs: int = 1) -> None:
        """Write one kind's changes in one commit, replacing records already indexed under the same key."""
        options = {"procs": procs, "multisegment": True, "limitmb": 128} if procs > 1 and len(records) > 1 else {}
        writer = self._index(kind).writer(timeout=WRITER_TIMEOUT, **options)
        try:
            # One searcher for the whole batch: update_document would open one per record.
            with writer.searcher() as searcher:
                keys = [record_key(kind, entity_id) for _, entity_id in removals]
                keys += [record_key(record.kind, record.id) for record in records]
                for key in keys:
                    for docnum in searcher.document_numbers(key=key):
                        writer.delete_document(docnum)
            for record in records:
                writer.add_document(**record_fields(record))
        except BaseException:
            writer.cancel()
            raise
        writer.commit()

    def add(self, records: list[Record]) -> None:
        """Add or replace records."""
        self.apply(records, [])

    def remove(self, keys: list[tuple[str, int]]) -> None:
        """Delete records by (kind, id)."""
        self.apply([], keys)

    def rebuild(self, records, *, procs: int = 1) -> int:
        """Build a fresh generation from ``records`` and swap it in atomically; return the count."""
        target = self._new_generation()
        writers = {}
        count = 0
        try:
            for kind, subdir in SUBDIRS.items():
                options = {"limitmb": 256}
                if procs > 1 and kind == "document":
                    options.update(procs=procs, multisegment=True)
                writers[kind] = index.open_dir(os.path.join(target, subdir)).writer(**options)
            for record in records:
                writers[_kind(record.kind)].add_document(**record_fields(record))
                count += 1
            for writer in writers.values():
                writer.commit()
        except BaseException:
            for writer in writers.values():
                if not writer.is_closed:
                    writer.cancel()
            shutil.rmtree(target, ignore_errors=True)
            raise
        self._swap_to(target)
        return count

    def _swap_to(self, target: str) -> None:
        """Make ``target`` the live generation and delete the previous one."""
        previous = os.path.realpath(self.current_dir) if os.path.lexists(self.current_dir) else None
        self.close()
        self._generation = None
        self._point_current_at(target)
        if previous and previous != os.path.realpath(target) and os.path.isdir(previous):
            # Open readers on Linux keep their files; they see the new generation on their next search.
            shutil.rmtree(previous, ignore_errors=True)

    # -- reading -------------------------------------------------------------
    def stats(self) -> dict:
        """Return the record counts per kind, the size on disk and the generation's name."""
        counts = {kind: self.searcher(kind).doc_count() for kind in KINDS}
        generation = self._follow_generation()
        size = sum(os.path.getsize(os.path.join(folder, name))
                   for folder, _, names in os.walk(generation) for name in names)
        return {"documents": counts["document"], "verdicts": counts["verdict"], "bytes": size,
                "generation": os.path.basename(generation)}

    def keys(self, kind: str) -> set[int]:
        """Return the ids indexed for one kind (for staleness checks)."""
        return {fields["entity_id"] for fields in self.searcher(kind).all_stored_fields()}

    def search(self, q: str, *, kind: str = "document", filters: dict | None = None,
               sort: str = "relevance", page: int = 1, page_size: int = 20) -> Results:
        """Search one kind of record with the query language described in the module docstring."""
        kind = _kind(kind)
        page, page_size = max(1, _int(page, 1)), max(1, min(_int(page_size, 20), 100))
        read = read_query(q)
        notices = read.notices
        searcher = self.searcher(kind)
        SEGMENTS.forget_others(self._subdir(kind), {r.segment().segment_id() for r, _ in _leaves(searcher.reader())})
        parsed = self._parse(read.text, kind, searcher, notices)
        date_from, date_to = self._date_range(read, filters or {}, notices)
        restriction = self._restriction(kind, searcher, filters or {}, date_from, date_to)
        if parsed is None:
            return self._browse(kind, searcher, restriction, page, page_size, notices)
        scored = parsed if restriction is None else Filtered(parsed, restriction)
        sortedby = sorting.FieldFacet("day", reverse=True) if sort == "date" else None
        limit = page * page_size
        results = searcher.search(scored, limit=limit, sortedby=sortedby)
        hits = self._hits(results, parsed, page, page_size)
        total, estimated = _total(results, scored, searcher, limit)
        if not total and parsed is not None and restriction is not None:
            notices.append("Nothing matched with these filters; try a wider date range or fewer filters.")
        return Results(total=total, estimated=estimated, hits=hits, notice=" ".join(notices) or None,
                       page=page, page_size=page_size)

    def _browse(self, kind, searcher, restriction, page: int, page_size: int, notices: list[str]) -> Results:
        """List the newest records matching the filters alone (no words given), newest first."""
        directory = self._subdir(kind)
        days, docnums = [], []
        for leaf, offset in searcher.leaf_searchers():
            reader = leaf.reader()
            if reader.segment() is None:
                continue
            allowed = np.ones(reader.doc_count_all(), dtype=bool)
            if restriction is not None:
                allowed[:] = False
                allowed[np.fromiter(restriction.docs(leaf), dtype=np.int64)] = True
            if reader.has_deletions():
                allowed[list(reader.deleted_docs_set)] = False
            rows = np.flatnonzero(allowed)
            days.append(segment_days(directory, reader)[rows])
            docnums.append(rows + offset)
        days = np.concatenate(days) if days else np.zeros(0, dtype=np.int64)
        docnums = np.concatenate(docnums) if docnums else np.zeros(0, dtype=np.int64)
        order = np.lexsort((docnums, -days))[(page - 1) * page_size: page * page_size]
        hits = []
        for docnum in docnums[order]:
            hit = self._stored_hit(searcher, int(docnum), 0.0)
            hit.snippet = Markup(escape((hit.fields.get("body") or hit.fields.get("title") or "")[:SNIPPET_CHARS]))
            hits.append(hit)
        return Results(total=len(docnums), estimated=False, hits=hits, notice=" ".join(notices) or None,
                       page=page, page_size=page_size)

    def _date_range(self, read, filters: dict, notices: list[str]):
        """Return the date range of the filters and the query's ``date:`` terms together."""
        start, end = day_range(filters.get("date_from"), filters.get("date_to"), notices)
        for value, parsed in ((filters.get("date_from"), start), (filters.get("date_to"), end)):
            if value and not parsed:
                notices.append(f"Could not read the date {value!r}; use YYYY, YYYY-MM or YYYY-MM-DD. Ignored it.")
        if read.date_from:
            start = max(start, read.date_from) if start else read.date_from
        if read.date_to:
            end = min(end, read.date_to) if end else read.date_to
        return start, end

    def _restriction(self, kind, searcher, filters: dict, date_from, date_to):
        """Return the query documents must also match for the filters, or None without filters."""
        parts = []
        for name in ("source", "rating", "publisher", "language"):
            values = filters.get(name)
            values = [values] if isinstance(values, str) else list(values or [])
            terms = [query.Term(name, _norm(v)) for v in values if _norm(v)]
            if terms:
                parts.append(query.Or(terms))
        if date_from or date_to:
            low = date_from.toordinal() if date_from else 1
            high = date_to.toordinal() if date_to else 10**7
            directory = self._subdir(kind)

            def allowed(reader):
                days = segment_days(directory, reader)
                return np.flatnonzero((days >= low) & (days <= high)).tolist()

            parts.append(AllowedDocs(allowed, f"{directory}:{low}-{high}"))
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else query.And(parts)

    def _parse(self, text: str, kind: str, searcher, notices: list[str]):
        """Parse the query language; fall back to plain words (and say so) when it cannot be read."""
        if not text:
            return None
        schema = searcher.schema
        parser = qparser.QueryParser(SEARCH_FIELD, schema, group=qparser.AndGroup)
        parser.remove_plugin_class(qparser.WildcardPlugin)
        parser.add_plugin(qparser.PrefixPlugin())
        try:
            parsed = parser.parse(text)
            if _has_errors(parsed) or _unbalanced(text):
                raise ValueError("unreadable query")
            return _phrases_as_pairs(self._bound_prefixes(parsed, searcher, notices))
        except Exception:  # noqa: BLE001 - any parser failure falls back to plain words
            words = re.findall(r"\w+", text)
            notices.append("Could not read that as a query; searched for the plain words instead.")
            if not words:
                return None
            plain = qparser.QueryParser(SEARCH_FIELD, schema, group=qparser.AndGroup)
            plain.remove_plugin_class(qparser.WildcardPlugin)
            return plain.parse(" ".join(words))

    def _bound_prefixes(self, parsed, searcher, notices: list[str]):
        """Expand ``word*`` into at most MAX_PREFIX_TERMS of its most frequent words."""
        reader = searcher.reader()

        def visit(node):
            if isinstance(node, query.Prefix):
                text = node.text.lower()
                if len(text) < MIN_PREFIX:
                    notices.append(f"Prefix searches need at least {MIN_PREFIX} letters; searched for "
                                   f"'{text}' as a word.")
                    return query.Term(node.fieldname, text)
                terms = []
                for number, term in enumerate(reader.expand_prefix(node.fieldname, text)):
                    if number >= MAX_PREFIX_SCAN:
                        break
                    term = term.decode("utf-8") if isinstance(term, bytes) else term
                    terms.append((reader.doc_frequency(node.fieldname, term), term))
                if len(terms) > MAX_PREFIX_TERMS:
                    notices.append(f"'{text}*' matches many words; searched for the {MAX_PREFIX_TERMS} most common.")
                terms = sorted(terms, reverse=True)[:MAX_PREFIX_TERMS]
                if not terms:
                    return query.NullQuery
                return query.Or([query.Term(node.fieldname, term) for _, term in terms], boost=node.boost)
            return node.apply(visit)

        return visit(parsed)

    def _hits(self, results, parsed, page: int, page_size: int) -> list[Hit]:
        """Return one page of hits with highlighted snippets."""
        terms = _positive_terms(parsed)
        hits = []
        for result in results[(page - 1) * page_size: page * page_size]:
            stored = result.fields()
            text = (stored.get("body") or stored.get("title") or "")[:HIGHLIGHT_CHARS]
            hits.append(Hit(kind=stored["kind"], id=stored["entity_id"], score=result.score or 0.0,
                            fields=stored, snippet=snippet(text, terms, self._normalize, size=SNIPPET_CHARS)))
        return hits

    @staticmethod
    def _normalize(word: str) -> str | None:
        return _normalized(word)

    def similar(self, text: str, *, kind: str = "verdict", limit: int = 10) -> list[Hit]:
        """Rank records of ``kind`` by BM25 over any of the words of ``text``."""
        kind = _kind(kind)
        tokens = analyze(text or "")
        if not tokens or limit <= 0:
            return []
        if kind == "verdict":
            return self._similar_claims(tokens, limit)
        return self._similar_documents(tokens, limit)

    def _similar_claims(self, tokens: list[str], limit: int) -> list[Hit]:
        """Rank verdicts with the numpy claim tables of each segment."""
        searcher = self.searcher("verdict")
        directory = self._subdir("verdict")
        leaves = _leaves(searcher.reader())
        live = {reader.segment().segment_id() for reader, _ in leaves}
        SEGMENTS.forget_others(directory, live)
        tables = [segment_claims(directory, reader, live) for reader, _ in leaves]
        live = sum(reader.doc_count() for reader, _ in leaves)
        total_length = sum(float(t.lengths.sum()) for t in tables)
        weights = idf_weights(tokens, tables, max(1, sum(reader.doc_count_all() for reader, _ in leaves)))
        candidates = []
        for (reader, offset), table in zip(leaves, tables):
            scores = table.scores(weights, total_length / max(1, live))
            for row in top_rows(scores, limit + len(reader.deleted_docs_set)):
                docnum = int(table.docnums[row])
                if not reader.is_deleted(docnum):
                    candidates.append((float(scores[row]), offset + docnum))
        candidates.sort(key=lambda pair: (-pair[0], pair[1]))
        return [self._stored_hit(searcher, docnum, score) for score, docnum in candidates[:limit]]

    def _similar_documents(self, tokens: list[str], limit: int) -> list[Hit]:
        """Rank documents by an OR of the text's rarest words."""
        searcher = self.searcher("document")
        reader = searcher.reader()
        frequencies = {t: reader.doc_frequency(SEARCH_FIELD, t) for t in set(tokens)}
        rare = sorted((f, t) for t, f in frequencies.items() if f)[:MAX_SIMILAR_WORDS]
        if not rare:
            return []
        parsed = query.Or([query.Term(SEARCH_FIELD, t) for _, t in rare])
        return [self._stored_hit(searcher, r.docnum, r.score or 0.0) for r in searcher.search(parsed, limit=limit)]

    @staticmethod
    def _stored_hit(searcher, docnum: int, score: float) -> Hit:
        """Return a hit made of one document's stored fields."""
        stored = searcher.stored_fields(docnum)
        return Hit(kind=stored["kind"], id=stored["entity_id"], score=score, fields=stored)


def _phrases_as_pairs(node):
    """Rewrite each phrase as a search for its word pairs, checking word positions only where needed.

    Whoosh checks word positions for every document holding all of a phrase's
    words (300 ms for "first quarter" at 200k documents). The ``pairs`` field
    indexes adjacent words as one term, so a two-word phrase is a single term
    (scored by how often the phrase occurs), and a longer phrase is all of its
    pairs, with positions checked only on the documents that have them all.
    """
    if isinstance(node, query.Phrase) and node.fieldname == SEARCH_FIELD and len(node.words) > 1:
        pairs = [query.Term(PAIRS_FIELD, f"{a} {b}", boost=node.boost) for a, b in zip(node.words, node.words[1:])]
        if len(pairs) == 1:
            return pairs[0]
        return Filtered(query.And(pairs), node)
    if isinstance(node, Filtered):
        return node
    return node.apply(_phrases_as_pairs)


@functools.lru_cache(maxsize=100_000)
def _normalized(word: str) -> str | None:
    """Return a word as the index holds it (lower-cased, stemmed), or None for a stop word."""
    tokens = [token.text for token in WORD_ANALYZER(word)]
    return tokens[0] if len(tokens) == 1 else None


def _positive_terms(node) -> set[str]:
    """Return the searched words of a query (not those under NOT), as indexed."""
    if node is None or isinstance(node, query.Not):
        return set()
    if isinstance(node, query.Term) and node.fieldname in (SEARCH_FIELD, PAIRS_FIELD):
        return set(node.text.split(" "))
    if isinstance(node, query.Phrase) and node.fieldname == SEARCH_FIELD:
        return set(node.words)
    terms: set[str] = set()
    for child in node.children():
        terms |= _positive_terms(child)
    return terms


def _total(results, scored, searcher, limit: int) -> tuple[int, bool]:
    """Return (count, estimated): exact when every match was collected, else an upper estimate."""
    collected = results.scored_length()
    if collected < limit or results.has_exact_length():
        return (collected if collected < limit else len(results)), False
    return max(collected, scored.estimate_size(searcher.reader())), True


def _kind(kind: str) -> str:
    """Return the index kind a caller's kind names (documents unless it says verdict)."""
    return "verdict" if kind == "verdict" else "document"


def _int(value, default: int) -> int:
    """Return ``value`` as an int, or ``default`` when it is not one."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _has_errors(node) -> bool:
    """Return whether the parser left an error node anywhere in the query."""
    if type(node).__name__ == "ErrorQuery":
        return True
    return any(_has_errors(child) for child in node.children())


def _unbalanced(text: str) -> bool:
    """Return whether quotes or parentheses do not pair up (Whoosh reads those loosely)."""
    depth = 0
    for char in re.sub(r'"[^"]*"', "", text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            return True
    return depth != 0 or text.count('"') % 2 == 1
