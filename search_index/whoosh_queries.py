"""The query language and the filters, as Whoosh queries.

Query language: words (all must match), "exact phrases", AND, OR, NOT and
parentheses, ``word*`` (at least 3 letters; expands to the 20 most common words
it starts), ``source:``, ``rating:``, ``publisher:``, ``language:`` (exact
values, any case; quote values with spaces), ``claimant:`` (words), and
``date:2020``, ``date:2020-03``, ``date:2020-01..2020-06-30``, ``date:2020..`` or
``date:..2020`` (also as the ``date_from``/``date_to`` filters). A query that
cannot be read (unbalanced quotes or parentheses, a bad date) is searched as
plain words with a notice.

Filters never become Whoosh filter sets (which build a set per query and turn
off block-max skipping): they become a query the scored query must intersect
(``Filtered``), keeping scores and skipping intact, and a date range becomes a
sorted list of allowed document numbers per segment (``AllowedDocs``). Phrases
are checked on term positions by ``FastPhrase``, which finds the same documents
as Whoosh's positional phrase query without its span objects.
"""

import bisect
import re

import numpy as np
from whoosh import qparser, query
from whoosh.matching import ListMatcher, Matcher, NullMatcher, RequireMatcher

from search_index.analysis import normalized, prefix_forms, prefix_words
from search_index.base import VALUE_FILTERS
from search_index.query_text import day_range
from search_index.whoosh_schema import SEARCH_FIELD, exact_value
from search_index.whoosh_segments import leaves, segment_days

MIN_PREFIX = 3
MAX_PREFIX_TERMS = 20
MAX_PREFIX_SCAN = 5000


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

    def __init__(self, allowed, label: str, days: tuple[int, int] | None = None):
        self.allowed = allowed  # SegmentReader -> sorted list of segment docnums
        self.label = label
        self.days = days  # (first, last) day ordinals when the allowed documents are a date range

    def __unicode__(self):
        return f"<allowed {self.label}>"

    __str__ = __unicode__

    def __eq__(self, other):
        return type(other) is type(self) and other.label == self.label

    def __hash__(self):
        return hash(self.label)

    def estimate_size(self, ixreader):
        return sum(len(self.allowed(reader)) for reader, _ in leaves(ixreader))

    def matcher(self, searcher, context=None):
        reader = searcher.reader()
        return SortedIdsMatcher(self.allowed(reader) if reader.segment() is not None else [], all_weights=1.0)


class PhraseMatcher(Matcher):
    """Match documents holding every word of a phrase at consecutive positions; score as their sum.

    A leapfrog over the words' posting lists: only documents holding all of
    them have their positions read, and positions are compared as sets.
    """

    def __init__(self, leaves: list, boost: float = 1.0):
        self._leaves = leaves
        self._boost = boost
        self._active = all(leaf.is_active() for leaf in leaves)
        self._align()

    def _align(self) -> None:
        leaves = self._leaves
        while self._active:
            target = max(leaf.id() for leaf in leaves)
            aligned = True
            for leaf in leaves:
                if leaf.id() < target:
                    leaf.skip_to(target)
                    if not leaf.is_active():
                        self._active = False
                        return
                    aligned = aligned and leaf.id() == target
            if not aligned:
                continue
            if self.in_order(leaves):
                return
            leaves[0].next()
            self._active = leaves[0].is_active()

    @staticmethod
    def in_order(leaves) -> bool:
        """Return whether the words the leaf matchers stand at occur one after the other in their document."""
        starts = set(leaves[0].value_as("positions"))
        for offset, leaf in enumerate(leaves[1:], 1):
            starts &= {position - offset for position in leaf.value_as("positions")}
            if not starts:
                return False
        return True

    def is_active(self):
        return self._active

    def id(self):
        return self._leaves[0].id()

    def next(self):
        self._leaves[0].next()
        self._active = self._leaves[0].is_active()
        self._align()

    def skip_to(self, id):
        if self._active and id > self.id():
            self._leaves[0].skip_to(id)
            self._active = self._leaves[0].is_active()
            self._align()

    def score(self):
        return self._boost * sum(leaf.score() for leaf in self._leaves)

    def weight(self):
        return sum(leaf.weight() for leaf in self._leaves)

    def supports(self, astype):
        return False

    def max_quality(self):
        return self._boost * sum(leaf.max_quality() for leaf in self._leaves)

    def supports_block_quality(self):
        return False

    def replace(self, minquality=0):
        return self if self._active else NullMatcher()

    def children(self):
        return list(self._leaves)

    def copy(self):
        return PhraseMatcher([leaf.copy() for leaf in self._leaves], self._boost)

    def depth(self):
        return 1 + max(leaf.depth() for leaf in self._leaves)


class FastPhrase(query.Phrase):
    """Whoosh's phrase query with a faster matcher for exact phrases (no slop)."""

    def matcher(self, searcher, context=None):
        if self.slop != 1 or len(self.words) < 2:
            return super().matcher(searcher, context)
        if self.fieldname not in searcher.schema:
            return NullMatcher()
        field = searcher.schema[self.fieldname]
        reader = searcher.reader()
        leaves = []
        for word in self.words:
            try:
                term = field.to_bytes(word)
            except ValueError:
                return NullMatcher()
            if (self.fieldname, term) not in reader:
                return NullMatcher()
            leaves.append(query.Term(self.fieldname, word).matcher(searcher, context))
        if not all(leaf.is_active() for leaf in leaves):
            return NullMatcher()
        return PhraseMatcher(leaves, self.boost)


def date_range(read, filters: dict, notices: list[str]):
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


def restriction(directory: str, filters: dict, date_from, date_to):
    """Return the query documents must also match for the filters, or None without filters.

    ``directory`` is the folder of the searched index, whose segments' days the date range reads.
    """
    parts = []
    for name in VALUE_FILTERS:
        values = filters.get(name)
        values = [values] if isinstance(values, str) else list(values or [])
        terms = [query.Term(name, exact_value(v)) for v in values if exact_value(v)]
        if terms:
            parts.append(query.Or(terms))
    if date_from or date_to:
        low = date_from.toordinal() if date_from else 1
        high = date_to.toordinal() if date_to else 10**7

        def allowed(reader):
            days = segment_days(directory, reader)
            return np.flatnonzero((days >= low) & (days <= high)).tolist()

        parts.append(AllowedDocs(allowed, f"{directory}:{low}-{high}", days=(low, high)))
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else query.And(parts)


def parse(text: str, searcher, notices: list[str]):
    """Parse the query language; fall back to plain words (and say so) when it cannot be read."""
    parsed = read_tree(text, searcher.schema, notices)
    return None if parsed is None else fast_phrases(_bound_prefixes(parsed, searcher, notices))


def read_tree(text: str, schema, notices: list[str]):
    """Return the parsed query language as Whoosh's query tree, prefixes unexpanded (every engine reads
    queries with it); fall back to plain words (and say so) when it cannot be read."""
    if not text:
        return None
    parser = qparser.QueryParser(SEARCH_FIELD, schema, group=qparser.AndGroup)
    parser.remove_plugin_class(qparser.WildcardPlugin)
    parser.add_plugin(qparser.PrefixPlugin())
    try:
        parsed = parser.parse(text)
        if _has_errors(parsed) or _unbalanced(text):
            raise ValueError("unreadable query")
        return parsed
    except Exception:  # noqa: BLE001 - any parser failure falls back to plain words
        words = re.findall(r"\w+", text)
        notices.append("Could not read that as a query; searched for the plain words instead.")
        if not words:
            return None
        plain = qparser.QueryParser(SEARCH_FIELD, schema, group=qparser.AndGroup)
        plain.remove_plugin_class(qparser.WildcardPlugin)
        try:
            return plain.parse(" ".join(words))
        except Exception:  # noqa: BLE001 - "NOT AND x": the words alone, without operators
            for plugin in (qparser.OperatorsPlugin, qparser.GroupPlugin, qparser.FieldsPlugin):
                plain.remove_plugin_class(plugin)
            return plain.parse(" ".join(words))


def _bound_prefixes(parsed, searcher, notices: list[str]):
    """Expand ``word*`` into at most MAX_PREFIX_TERMS of its most frequent words.

    A prefix stands for the terms starting with its stem and for the stems of the words it begins
    (``words.prefix_forms``), so ``neutraliz*`` finds "neutral" and ``negotiat*`` finds "negoti".
    """
    reader = searcher.reader()

    def visit(node):
        if isinstance(node, query.Prefix):
            text = node.text.lower()
            if len(text) < MIN_PREFIX:
                notices.append(f"Prefix searches need at least {MIN_PREFIX} letters; searched for "
                               f"'{text}' as a word.")
                return query.Term(node.fieldname, text)
            found = {}
            for form in prefix_forms(text):
                for number, term in enumerate(reader.expand_prefix(node.fieldname, form)):
                    if number >= MAX_PREFIX_SCAN:
                        break
                    term = term.decode("utf-8") if isinstance(term, bytes) else term
                    found[term] = reader.doc_frequency(node.fieldname, term)
            for term in filter(None, map(normalized, prefix_words(text))):
                if (node.fieldname, term) in reader:
                    found[term] = reader.doc_frequency(node.fieldname, term)
            terms = sorted(((frequency, term) for term, frequency in found.items()), reverse=True)
            if len(terms) > MAX_PREFIX_TERMS:
                notices.append(f"'{text}*' matches many words; searched for the {MAX_PREFIX_TERMS} most common.")
            terms = terms[:MAX_PREFIX_TERMS]
            if not terms:
                return query.NullQuery
            return query.Or([query.Term(node.fieldname, term) for _, term in terms], boost=node.boost)
        return node.apply(visit)

    return visit(parsed)


def fast_phrases(node):
    """Rewrite each of Whoosh's phrase queries as a ``FastPhrase`` (same documents, less time)."""
    if type(node) is query.Phrase:
        return FastPhrase(node.fieldname, node.words, slop=node.slop, boost=node.boost, char_ranges=node.char_ranges)
    return node.apply(fast_phrases)


def positive_terms(node) -> set[str]:
    """Return the searched words of a query (not those under NOT), as indexed."""
    if node is None or isinstance(node, query.Not):
        return set()
    if isinstance(node, query.Term) and node.fieldname == SEARCH_FIELD:
        return {node.text}
    if isinstance(node, query.Phrase) and node.fieldname == SEARCH_FIELD:
        return set(node.words)
    terms: set[str] = set()
    for child in node.children():
        terms |= positive_terms(child)
    return terms


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
