"""Plain Whoosh, the reference the engine is measured and checked against (bench/search.py and the tests).

``PlainWhoosh`` is Whoosh as its tutorial sets it up: a title and a body field,
stemming, positions, stored text, stock query parsing and highlighting. The
benchmark builds it on the same records in the same run; the phrase test
checks that ``FastPhrase`` finds exactly what its positional phrases find.
``count_index_reads`` counts how often Whoosh reads an index's table of
contents, which it does on every index or searcher open. ``records_reader``
writes the engine's fields with Whoosh's stock codec or the engine's, so a test
can compare the postings both give; ``write_batches``, ``segment_files`` and
``all_postings`` compare what Whoosh's writer and the engine's write; ``field_writer``
gives the engine's codec writer of one field, in memory.
"""

import contextlib
import os

from whoosh import highlight, index, qparser
from whoosh.analysis import StemmingAnalyzer
from whoosh.codec.whoosh3 import W3Codec
from whoosh.fields import ID, TEXT, Schema
from whoosh.filedb.filestore import RamStorage
from whoosh.index import TOC

from search_index.analysis import WordAnalyzer
from search_index.whoosh_codec import CODEC
from search_index.whoosh_postings import PackedSegmentWriter
from search_index.whoosh_schema import make_schema, record_fields


class PlainWhoosh:
    """A plain Whoosh index of (id, title, body) in a folder."""

    def __init__(self, path: str, *, analyzer=None, fields=("title", "body")):
        self.path = path
        self.fields = fields
        analyzer = analyzer or StemmingAnalyzer()
        self.schema = Schema(id=ID(stored=True), **{name: TEXT(analyzer=analyzer, stored=True) for name in fields})
        self._searcher = None

    def build(self, items, *, limitmb: int = 256, procs: int = 1) -> int:
        """Index (id, title, body) triples in one commit (``procs`` writer processes); return the count."""
        os.makedirs(self.path, exist_ok=True)
        options = {"procs": procs, "multisegment": True} if procs > 1 else {}
        writer = index.create_in(self.path, self.schema).writer(limitmb=limitmb, **options)
        count = 0
        for key, title, body in items:
            values = dict(zip(self.fields, (title, body) if len(self.fields) == 2 else (f"{title}\n{body}",)))
            writer.add_document(id=str(key), **values)
            count += 1
        writer.commit()
        return count

    def search(self, q: str, *, limit: int | None = 20, highlights: bool = True) -> tuple[int, list[dict]]:
        """Return (total, hits) as a plain Whoosh search page would: stock parser, stock highlighter."""
        if self._searcher is None:
            self._searcher = index.open_dir(self.path).searcher()
        parser = qparser.MultifieldParser(list(self.fields), self.schema, group=qparser.AndGroup)
        results = self._searcher.search(parser.parse(q), limit=limit)
        results.fragmenter = highlight.ContextFragmenter(maxchars=240, surround=60)
        hits = [{"id": hit["id"], "snippet": hit.highlights(self.fields[-1]) if highlights else ""} for hit in results]
        return len(results), hits

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None


def positional_reference(path: str, texts: dict[int, str]) -> PlainWhoosh:
    """Return plain Whoosh over ``texts`` with the engine's word analysis and Whoosh's own positions."""
    plain = PlainWhoosh(path, analyzer=WordAnalyzer(), fields=("content",))
    plain.build((key, "", text) for key, text in texts.items())
    return plain


def records_reader(path: str, records, *, stock: bool):
    """Return an open reader of ``records`` in the engine's schema, written in one segment by Whoosh's stock
    codec (``stock``) or the engine's ``whoosh_codec.CODEC``; the caller closes it."""
    os.makedirs(path, exist_ok=True)
    writer = index.create_in(path, make_schema()).writer(codec=W3Codec() if stock else CODEC)
    for record in records:
        writer.add_document(**record_fields(record))
    writer.commit()
    return index.open_dir(path).reader()


def write_batches(path: str, batches, *, whoosh_pool: bool, limitmb: float = 128,
                  boosts: dict[int, float] | None = None) -> int:
    """Write (keys to delete, records) batches into a new index in the engine's schema, a commit each, with the
    engine's codec and Whoosh's own writer (``whoosh_pool``: its posting pool) or the engine's
    (``whoosh_postings``); return how many run files the last writer's pool saved before its commit.
    ``boosts`` weighs the ``content`` of the records with those ids (Whoosh's ``_content_boost``)."""
    os.makedirs(path)
    index.create_in(path, make_schema())
    runs = 0
    for keys, records in batches:
        ix = index.open_dir(path)
        options = {"limitmb": limitmb, "compound": False}
        writer = ix.writer(codec=CODEC, **options) if whoosh_pool else PackedSegmentWriter(ix, **options)
        for key in keys:
            writer.delete_by_term("key", key)
        for record in records:
            boost = (boosts or {}).get(record.id)
            writer.add_document(**record_fields(record), **({"_content_boost": boost} if boost else {}))
        runs = len(writer.pool.runs)
        writer.commit()
        ix.close()
    return runs


def field_writer(fieldname: str):
    """Return the engine's codec field writer of a new in-memory segment, started on one field of the engine's
    schema; the caller closes it."""
    storage = RamStorage()
    writer = CODEC.field_writer(storage, CODEC.new_segment(storage, "test"))
    writer.start_field(fieldname, make_schema()[fieldname])
    return writer


def segment_files(path: str) -> dict[str, bytes]:
    """Return the files of an index's one segment, by name without the segment's id."""
    ix = index.open_dir(path)
    (segment,) = ix._segments()
    ix.close()
    found = {}
    for name in os.listdir(path):
        if segment.segment_id() in name:
            with open(os.path.join(path, name), "rb") as file:
                found[name.replace(segment.segment_id(), "")] = file.read()
    return found


def all_postings(path: str) -> tuple[dict, int]:
    """Return every posting of an index, {(field, term): [(document, weight, value)]}, and its segment count."""
    ix = index.open_dir(path)
    found = {}
    with ix.reader() as reader:
        for fieldname, term in reader.all_terms():
            matcher, rows = reader.postings(fieldname, term), []
            while matcher.is_active():
                rows.append((matcher.id(), matcher.weight(), matcher.value()))
                matcher.next()
            found[fieldname, term] = rows
    segments = len(ix._segments())
    ix.close()
    return found, segments


@contextlib.contextmanager
def count_index_reads():
    """Count Whoosh's reads of index tables of contents (each index or searcher open) within the block."""
    reads: list[int] = []
    original = TOC.__dict__["read"]

    def counted(cls, *args, **kwargs):
        reads.append(1)
        return original.__func__(cls, *args, **kwargs)

    TOC.read = classmethod(counted)
    try:
        yield reads
    finally:
        TOC.read = original
