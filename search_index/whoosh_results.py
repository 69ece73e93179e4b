"""Turn what Whoosh found into pages of hits: snippets, totals, and browsing by date without words."""

import numpy as np
from markupsafe import Markup, escape
from whoosh.searching import Searcher

from search_index.base import Hit, Results
from search_index.snippets import snippet
from search_index.whoosh_queries import positive_terms
from search_index.whoosh_schema import normalized
from search_index.whoosh_segments import segment_days

HIGHLIGHT_CHARS = 20000
SNIPPET_CHARS = 240
EXACT_UP_TO = 10_000  # totals are counted exactly up to here; beyond, "about N"


def page_of_hits(results, parsed, page: int, page_size: int) -> list[Hit]:
    """Return one page of Whoosh's results as hits with highlighted snippets."""
    found = results[(page - 1) * page_size: page * page_size]
    return hits_with_snippets([(result.fields(), result.score or 0.0) for result in found], parsed)


def hits_with_snippets(found: list[tuple[dict, float]], parsed) -> list[Hit]:
    """Return hits made of (stored fields, score) pairs, each with a highlighted snippet."""
    terms = positive_terms(parsed)
    hits = []
    for stored, score in found:
        text = (stored.get("body") or stored.get("title") or "")[:HIGHLIGHT_CHARS]
        hits.append(Hit(kind=stored["kind"], id=stored["entity_id"], score=score, fields=stored,
                        snippet=snippet(text, terms, normalized, size=SNIPPET_CHARS)))
    return hits


def total(results, scored, searcher: Searcher, limit: int) -> tuple[int, bool]:
    """Return (count, estimated): exact up to EXACT_UP_TO matches, else an upper estimate.

    When the top hits were found by skipping (Whoosh's block-max scoring), the
    matches are counted with an unscored pass over the query, up to EXACT_UP_TO.
    """
    collected = results.scored_length()
    if collected < limit or results.has_exact_length():
        return (collected if collected < limit else len(results)), False
    counted = 0
    for _ in searcher.docs_for_query(scored):
        counted += 1
        if counted > EXACT_UP_TO:
            return max(counted, scored.estimate_size(searcher.reader())), True
    return counted, False


def browse(directory: str, searcher: Searcher, restriction, page: int, page_size: int,
           notices: list[str]) -> Results:
    """List the newest records matching the filters alone (no words given), newest first.

    ``directory`` is the folder of the searched index, whose segments' days give the order.
    """
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
        hit = stored_hit(searcher, int(docnum), 0.0)
        hit.snippet = Markup(escape((hit.fields.get("body") or hit.fields.get("title") or "")[:SNIPPET_CHARS]))
        hits.append(hit)
    return Results(total=len(docnums), estimated=False, hits=hits, notice=" ".join(notices) or None,
                   page=page, page_size=page_size)


def stored_hit(searcher: Searcher, docnum: int, score: float) -> Hit:
    """Return a hit made of one document's stored fields."""
    stored = searcher.stored_fields(docnum)
    return Hit(kind=stored["kind"], id=stored["entity_id"], score=score, fields=stored)
