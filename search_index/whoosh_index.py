"""The Whoosh engine: the ``SearchIndex`` of one server, kept in a folder.

Layout and generations: see ``whoosh_generations`` (``INDEX/gen-NNNN/documents``
and ``.../verdicts``, two Whoosh indexes, so document statistics never skew
verdict ranking; ``INDEX/current`` names the live one). ``rebuild`` fills a new
generation and swaps the link atomically. A ``WhooshIndex`` that stays open
checks for a new generation or new commits once per search, with a
``readlink`` and a ``stat`` (``Watch``), and opens nothing when nothing changed.

When the live generation is missing (the folder was deleted) or was built with
another schema version, search says the index is being rebuilt; the outbox
drainer rebuilds it from the database (``outbox.drain``).

The engine's parts: ``whoosh_schema`` (fields and word analysis),
``whoosh_codec`` (posting blocks as raw arrays), ``whoosh_postings`` (the
writer: postings grouped by term, each posting list written at once),
``whoosh_terms`` (a field's terms written many at once at commit),
``whoosh_queries`` (the query language and filters), ``whoosh_vector`` (queries
evaluated on whole posting lists with numpy), ``whoosh_results`` (pages of
hits), ``whoosh_segments`` (per-segment days and claim tables).
"""

import contextlib
import os
import shutil
from collections.abc import Iterable

from whoosh import index, query, sorting

from search_index import whoosh_generations as generations
from search_index import whoosh_queries, whoosh_results, whoosh_vector
from search_index.base import KINDS, Hit, Record, Results
from search_index.claim_table import candidate_rows, idf_weights, pooled, reorder
from search_index.query_text import read_query
from search_index.whoosh_generations import SUBDIRS
from search_index.whoosh_postings import open_writer
from search_index.whoosh_queries import Filtered
from search_index.whoosh_results import stored_hit
from search_index.whoosh_schema import (
    SEARCH_FIELD,
    analyze,
    index_kind,
    record_fields,
    record_key,
)
from search_index.whoosh_segments import SEGMENTS, leaves, segment_claims, segment_days

WRITER_TIMEOUT = 30.0
MAX_SIMILAR_WORDS = 40
REBUILDING = "The search index is being rebuilt; results are incomplete until it has caught up."
_SEEN: set[str] = set()  # index folders this process has found a live generation in (a lost one is noticed)


class IndexMissing(LookupError):
    """The index has no live generation (never built, or its folder was deleted)."""


class WhooshIndex:
    """The embedded index: documents and verdicts, one Whoosh index each, in generations."""

    def __init__(self, path: str):
        self.path = os.path.abspath(path)
        self._generation: str | None = None  # the folder name ``current`` named when last read
        self._version: int | None = None  # the schema version of that generation
        self._indexes: dict = {}
        self._searchers: dict = {}
        self._watch = generations.Watch()
        self.opens = 0  # how many times this object opened an index or a searcher (tests count them)

    # -- generations -------------------------------------------------------
    @property
    def current_dir(self) -> str:
        """Return the path of the ``current`` symlink."""
        return generations.current_link(self.path)

    def exists(self) -> bool:
        """Return whether the current generation holds both indexes."""
        return generations.status(self.path) != "missing"

    def status(self) -> str:
        """Return ``ready``, ``missing``, ``outdated`` (another schema version) or ``rebuilding``."""
        found = generations.status(self.path)
        return "rebuilding" if found == "ready" and generations.rebuilding(self.path) else found

    def _follow_generation(self, *, create: bool = False) -> str:
        """Return the live generation's folder, following a swap; create an empty one for writers.

        :raises IndexMissing: there is none and ``create`` is false.
        """
        name = generations.read_current(self.path)
        if name is None and create:
            generations.point_current_at(self.path, generations.new_generation(self.path))
            name = generations.read_current(self.path)
        if name != self._generation:
            self.close()
            self._generation = name
            self._version = generations.generation_version(os.path.join(self.path, name)) if name else None
        if name is None:
            raise IndexMissing(self.path)
        _SEEN.add(self.path)
        return os.path.join(self.path, name)

    def _index(self, kind: str, *, create: bool = False):
        """Return the open Whoosh index of one kind in the current generation."""
        generation = self._follow_generation(create=create)
        if kind not in self._indexes:
            self._indexes[kind] = index.open_dir(os.path.join(generation, SUBDIRS[index_kind(kind)]))
            self.opens += 1
        return self._indexes[kind]

    def searcher(self, kind: str = "document"):
        """Return an up-to-date searcher for one kind (refreshed, or reopened after a swap or a commit).

        :raises IndexMissing: the index has no live generation.
        """
        kind = index_kind(kind)
        ix = self._index(kind)
        folder = self._subdir(kind)
        searcher = self._searchers.get(kind)
        if searcher is not None and self._watch.unchanged(folder):
            return searcher
        stamp = self._watch.stamp(folder)
        if searcher is not None and not searcher.up_to_date():
            # Not searcher.refresh(): it reuses segment readers and so misses deletions in a reused segment.
            searcher.close()
            searcher = None
        if searcher is None:
            searcher = self._searchers[kind] = ix.searcher()
            self.opens += 1
        self._watch.remember(folder, stamp)
        return searcher

    def _subdir(self, kind: str) -> str:
        """Return the folder of one kind's index in the current generation."""
        return os.path.join(self.path, self._generation or "", SUBDIRS[index_kind(kind)])

    def close(self) -> None:
        """Close the searchers and indexes this object holds."""
        for searcher in self._searchers.values():
            searcher.close()
        for ix in self._indexes.values():
            ix.close()
        self._searchers, self._indexes = {}, {}
        self._watch.forget()

    # -- writing -------------------------------------------------------------
    def apply(self, records: Iterable[Record], removals: list[tuple[str, int]]) -> None:
        """Add or replace ``records`` and delete ``removals``, one commit per kind (idempotent)."""
        by_kind: dict[str, list[Record]] = {kind: [] for kind in KINDS}
        for record in records:
            by_kind[index_kind(record.kind)].append(record)
        for kind in KINDS:
            kind_removals = [key for key in removals if index_kind(key[0]) == kind]
            if by_kind[kind] or kind_removals:
                self._apply_kind(kind, by_kind[kind], kind_removals)

    def _apply_kind(self, kind: str, records: list[Record], removals: list[tuple[str, int]]) -> None:
        """Write one kind's changes in one commit, replacing records already indexed under the same key."""
        writer = open_writer(self._index(kind, create=True), timeout=WRITER_TIMEOUT, compound=False)
        try:
            # One searcher for the whole batch: update_document would open one per record.
            with writer.searcher() as searcher:
                reader = searcher.reader()
                keys = [record_key(kind, entity_id) for _, entity_id in removals]
                keys += [record_key(record.kind, record.id) for record in records]
                for key in keys:
                    # A key no segment holds has no document to delete: a look-up in the term table, where the
                    # query would be built and run (an import's keys are nearly all new).
                    if ("key", key) not in reader:
                        continue
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

    def rebuild(self, records, *, procs: int = 1, recovering: bool = False) -> int:
        """Build a fresh generation from ``records`` and swap it in atomically; return the count.

        ``recovering`` (the live generation is missing or of another schema) makes
        searches say the index is being rebuilt until the new generation is live.
        """
        with generations.mark_rebuilding(self.path) if recovering else contextlib.nullcontext():
            target = generations.new_generation(self.path)
            count = self._fill(target, records, procs)
            self._swap_to(target)
        return count

    def _fill(self, target: str, records, procs: int) -> int:
        """Write ``records`` into the empty generation ``target``; remove it when that fails."""
        writers = {}
        count = 0
        try:
            for kind, subdir in SUBDIRS.items():
                # Not compound: Whoosh reads a compound segment's files into memory for every reader it opens
                # (a copy per searcher and thread); separate files are mapped and shared.
                options = {"limitmb": 256, "compound": False}
                if procs > 1 and kind == "document":
                    options.update(procs=procs, multisegment=True)
                writers[kind] = open_writer(index.open_dir(os.path.join(target, subdir)), **options)
            for record in records:
                writers[index_kind(record.kind)].add_document(**record_fields(record))
                count += 1
            for writer in writers.values():
                writer.commit()
        except BaseException:
            for writer in writers.values():
                if not writer.is_closed:
                    writer.cancel()
            shutil.rmtree(target, ignore_errors=True)
            raise
        return count

    def _swap_to(self, target: str) -> None:
        """Make ``target`` the live generation and delete the previous one."""
        previous = os.path.realpath(self.current_dir) if os.path.lexists(self.current_dir) else None
        self.close()
        self._generation = None
        generations.point_current_at(self.path, target)
        if previous and previous != os.path.realpath(target) and os.path.isdir(previous):
            # Open readers on Linux keep their files; they see the new generation on their next search.
            shutil.rmtree(previous, ignore_errors=True)

    # -- reading -------------------------------------------------------------
    def stats(self) -> dict:
        """Return the record counts per kind, the size on disk and the generation's name (None when missing)."""
        try:
            counts = {kind: self.searcher(kind).doc_count() for kind in KINDS}
            generation = self._follow_generation()
        except IndexMissing:
            return {"documents": 0, "verdicts": 0, "bytes": 0, "generation": None}
        size = sum(os.path.getsize(os.path.join(folder, name))
                   for folder, _, names in os.walk(generation) for name in names)
        return {"documents": counts["document"], "verdicts": counts["verdict"], "bytes": size,
                "generation": os.path.basename(generation)}

    def search(self, q: str, *, kind: str = "document", filters: dict | None = None,
               sort: str = "relevance", page: int = 1, page_size: int = 20) -> Results:
        """Search one kind of record with the query language of ``whoosh_queries``."""
        kind = index_kind(kind)
        page, page_size = max(1, _int(page, 1)), max(1, min(_int(page_size, 20), 100))
        read = read_query(q)
        notices = read.notices
        try:
            searcher = self.searcher(kind)
        except IndexMissing:
            if self.path in _SEEN or generations.rebuilding(self.path):
                notices.insert(0, REBUILDING)
            return Results(total=0, estimated=False, hits=[], notice=" ".join(notices) or None, page=page,
                           page_size=page_size)
        if self._version != generations.SCHEMA_VERSION or generations.rebuilding(self.path):
            notices.insert(0, REBUILDING)
        directory = self._subdir(kind)
        SEGMENTS.forget_others(directory, {r.segment().segment_id() for r, _ in leaves(searcher.reader())})
        parsed = whoosh_queries.parse(read.text, searcher, notices)
        date_from, date_to = whoosh_queries.date_range(read, filters or {}, notices)
        restriction = whoosh_queries.restriction(directory, filters or {}, date_from, date_to)
        if parsed is None:
            return whoosh_results.browse(directory, searcher, restriction, page, page_size, notices)
        scored = parsed if restriction is None else Filtered(parsed, restriction)
        limit = page * page_size
        try:
            total, docnums, scores = whoosh_vector.search_all(
                searcher, scored, directory, limit=limit,
                by_day=(lambda reader: segment_days(directory, reader)) if sort == "date" else None)
        except whoosh_vector.Unsupported:
            total, estimated, hits = self._whoosh_search(searcher, parsed, scored, sort, page, page_size)
        else:
            start = (page - 1) * page_size
            found = [(searcher.stored_fields(int(n)), float(s)) for n, s in zip(docnums[start:], scores[start:])]
            hits, estimated = whoosh_results.hits_with_snippets(found, parsed), False
        if not total and parsed is not None and restriction is not None:
            notices.append("Nothing matched with these filters; try a wider date range or fewer filters.")
        return Results(total=total, estimated=estimated, hits=hits, notice=" ".join(notices) or None,
                       page=page, page_size=page_size)

    @staticmethod
    def _whoosh_search(searcher, parsed, scored, sort: str, page: int, page_size: int):
        """Search with Whoosh's own matchers (queries ``whoosh_vector`` does not evaluate)."""
        sortedby = sorting.FieldFacet("day", reverse=True) if sort == "date" else None
        limit = page * page_size
        results = searcher.search(scored, limit=limit, sortedby=sortedby)
        hits = whoosh_results.page_of_hits(results, parsed, page, page_size)
        total, estimated = whoosh_results.total(results, scored, searcher, limit)
        return total, estimated, hits

    def similar(self, text: str, *, kind: str = "verdict", limit: int = 10, rerank=None) -> list[Hit]:
        """Rank records of ``kind`` by BM25 over any of the words of ``text``.

        For verdicts, ``rerank`` (with a ``pool`` size) re-scores the pool of best BM25 candidates from the
        features the claim tables precomputed (``claim_table.reorder``); only ``limit`` hits are read.
        """
        kind = index_kind(kind)
        tokens = analyze(text or "")
        if not tokens or limit <= 0:
            return []
        try:
            if kind == "verdict":
                return self._similar_claims(tokens, limit, text, rerank)
            return self._similar_documents(tokens, limit)
        except IndexMissing:
            return []

    def _similar_claims(self, tokens: list[str], limit: int, text: str = "", rerank=None) -> list[Hit]:
        """Rank verdicts with the numpy claim tables of each segment."""
        searcher = self.searcher("verdict")
        directory = self._subdir("verdict")
        segments = leaves(searcher.reader())
        live = {reader.segment().segment_id() for reader, _ in segments}
        SEGMENTS.forget_others(directory, live)
        tables = [segment_claims(directory, reader, live) for reader, _ in segments]
        live = sum(reader.doc_count() for reader, _ in segments)
        total_length = sum(float(t.lengths.sum()) for t in tables)
        weights = idf_weights(tokens, tables, max(1, sum(reader.doc_count_all() for reader, _ in segments)))
        candidates, pool = [], max(limit, getattr(rerank, "pool", 0))
        for (reader, offset), table in zip(segments, tables):
            scores = table.scores(weights, total_length / max(1, live))
            for row in candidate_rows(table, scores, pool + len(reader.deleted_docs_set), rerank):
                docnum = int(table.docnums[row])
                if not reader.is_deleted(docnum):
                    candidates.append((float(scores[row]), offset + docnum, table, row))
        ranked = reorder(pooled(candidates, pool, rerank), text, rerank)
        return [stored_hit(searcher, docnum, score) for score, docnum in ranked[:limit]]

    def _similar_documents(self, tokens: list[str], limit: int) -> list[Hit]:
        """Rank documents by an OR of the text's rarest words."""
        searcher = self.searcher("document")
        reader = searcher.reader()
        frequencies = {t: reader.doc_frequency(SEARCH_FIELD, t) for t in set(tokens)}
        rare = sorted((f, t) for t, f in frequencies.items() if f)[:MAX_SIMILAR_WORDS]
        if not rare:
            return []
        parsed = query.Or([query.Term(SEARCH_FIELD, t) for _, t in rare])
        return [stored_hit(searcher, r.docnum, r.score or 0.0) for r in searcher.search(parsed, limit=limit)]


def _int(value, default: int) -> int:
    """Return ``value`` as an int, or ``default`` when it is not one."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return default
