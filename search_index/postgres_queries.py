"""The query language as PostgreSQL conditions: tsquery for words, SQL for exact fields.

A query is read by the same parser as Whoosh's (``whoosh_queries.read_tree``: the same
operators, phrases, prefixes, fields, stop words and fallback to plain words), and the tree
it gives is translated here, node by node:

=========================  ===============================================
query                      PostgreSQL
=========================  ===============================================
``wind``                   ``'wind'`` (the stem, as analysis.py gives it)
``wind farm``              ``'wind' & 'farm'``
``"wind farm"``            ``'wind' <-> 'farm'`` (stop words leave no gap)
``wind OR solar``          ``'wind' | 'solar'``
``wind NOT solar``         ``'wind' & !'solar'``
``neutraliz*``             ``'neutraliz':* | 'neutral'`` (its stem's prefix, and the stems
                           of the words it begins: ``words.prefix_words``)
``claimant:doe``           ``'doe':B`` (claimant words carry weight B)
``source:reuters``         ``r.source = 'reuters'`` (also rating, publisher, language)
``date:2020..2021``        ``r.day BETWEEN ...`` (date ordinals)
=========================  ===============================================

Word parts of one boolean group become one tsquery (one GIN lookup); a group mixing words
and exact fields combines ``r.terms @@ tsquery`` with the field conditions in SQL.

A record's words go in as a tsvector literal built from ``analysis.analyze``, so both engines
hold the very same terms at the same positions: title weight A, claimant B, body C.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from whoosh import query

from search_index.analysis import analyze, fold, normalized, prefix_forms, prefix_words
from search_index.base import VALUE_FILTERS
from search_index.whoosh_queries import MIN_PREFIX
from search_index.whoosh_schema import SEARCH_FIELD, exact_value

MAX_POSITION = 16383  # PostgreSQL keeps positions up to this; later words share it
MAX_POSITIONS = 255  # positions kept per word (PostgreSQL keeps 256)
MAX_LEXEME_BYTES = 2046  # longer words cannot be stored in a tsvector (no one searches them)
TEXT_FIELDS = {SEARCH_FIELD: "", "claimant": "B"}  # a text field and the weight its words are restricted to
WEIGHTS = "{0.1, 0.4, 0.4, 1.0}"  # ts_rank_cd weights of D, C (body), B (claimant), A (title)


def lexeme(term: str) -> str:
    """Return a term as a quoted tsquery/tsvector lexeme (taken as written, not analysed again)."""
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def tsvector_text(title: str, claimant: str, body: str) -> tuple[str, int]:
    """Return the tsvector literal of a record's words and the body's word count.

    Positions run on across title, claimant and body, as Whoosh's one ``content`` field has them.
    """
    positions: dict[str, list[str]] = defaultdict(list)
    position = 0
    body_words = 0
    for weight, text in (("A", title), ("B", claimant), ("C", body)):
        terms = analyze(text or "")
        if weight == "C":
            body_words = len(terms)
        for term in terms:
            position += 1
            found = positions[term]
            if len(found) < MAX_POSITIONS and len(term.encode("utf-8")) <= MAX_LEXEME_BYTES:
                spot = f"{min(position, MAX_POSITION)}{weight}"
                if not found or found[-1] != spot:
                    found.append(spot)
    return " ".join(f"{lexeme(term)}:{','.join(spots)}" for term, spots in positions.items() if spots), body_words


@dataclass
class Part:
    """A translated query node: a tsquery (``tsq``) or an SQL condition (``sql`` with ``params``).

    ``positive`` holds the tsqueries of its word parts outside NOT (they rank and highlight).
    """

    tsq: str | None = None
    sql: str | None = None
    params: list = field(default_factory=list)
    positive: list[str] = field(default_factory=list)

    def condition(self) -> tuple[str, list]:
        """Return the part as an SQL condition and its parameters."""
        if self.tsq is not None:
            return "r.terms @@ ?::tsquery", [self.tsq]
        return self.sql, list(self.params)


NOTHING = Part(sql="FALSE")
EVERYTHING = Part(sql="TRUE")


def translate(node, notices: list[str]) -> Part | None:
    """Return the part a parsed query stands for; None for a query that is no query (only stop words)."""
    if node is None or node is query.NullQuery or isinstance(node, query.NullQuery.__class__):
        return None
    if isinstance(node, query.Term):
        return _term(node)
    if isinstance(node, query.Phrase):
        return _phrase(node)
    if isinstance(node, query.Prefix):
        return _prefix(node, notices)
    if isinstance(node, query.Every):
        return EVERYTHING
    if isinstance(node, query.Not):
        return _negate(translate(node.query, notices))
    if isinstance(node, query.AndNot):
        return _combine([translate(node.a, notices), _negate(translate(node.b, notices))], "AND")
    if isinstance(node, query.AndMaybe):
        return translate(node.a, notices)  # the optional part only changes Whoosh's scores
    if isinstance(node, query.Require):
        return _combine([translate(node.a, notices), translate(node.b, notices)], "AND")
    if isinstance(node, (query.And, query.Or)):
        return _combine([translate(child, notices) for child in node.subqueries],
                        "AND" if isinstance(node, query.And) else "OR")
    return NOTHING  # a kind of query the language does not offer (ranges of words): matches nothing


def _term(node) -> Part:
    if node.fieldname in TEXT_FIELDS:
        tsq = lexeme(node.text) + (":" + TEXT_FIELDS[node.fieldname] if TEXT_FIELDS[node.fieldname] else "")
        return Part(tsq=tsq, positive=[tsq])
    if node.fieldname in VALUE_FILTERS:
        return Part(sql=f"r.{node.fieldname} = ?", params=[exact_value(node.text)])
    return NOTHING


def _phrase(node) -> Part:
    if node.fieldname not in TEXT_FIELDS:
        return NOTHING
    if not node.words:
        return NOTHING
    weight = TEXT_FIELDS[node.fieldname]
    tsq = " <-> ".join(lexeme(word) + (":" + weight if weight else "") for word in node.words)
    tsq = f"({tsq})" if len(node.words) > 1 else tsq
    return Part(tsq=tsq, positive=[tsq])


def _prefix(node, notices: list[str]) -> Part:
    text = node.text.lower()
    if len(text) < MIN_PREFIX:
        notices.append(f"Prefix searches need at least {MIN_PREFIX} letters; searched for '{text}' as a word.")
        return _term(query.Term(node.fieldname, text))
    form = prefix_forms(text)[0]
    if node.fieldname in TEXT_FIELDS:
        weight = TEXT_FIELDS[node.fieldname]
        words = [f"{lexeme(form)}:*{weight}"]  # the terms starting with its stem, and the stems of the
        words += [f"{lexeme(term)}:{weight}" if weight else lexeme(term)  # words it begins ("neutraliz": "neutral")
                  for term in dict.fromkeys(filter(None, map(normalized, prefix_words(text))))]
        tsq = words[0] if len(words) == 1 else "(" + " | ".join(words) + ")"
        return Part(tsq=tsq, positive=[tsq])
    if node.fieldname in VALUE_FILTERS:
        escaped = fold(form).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return Part(sql=f"r.{node.fieldname} LIKE ? ESCAPE '\\'", params=[escaped + "%"])
    return NOTHING


def _negate(part: Part | None) -> Part | None:
    if part is None:
        return None
    if part is NOTHING:
        return EVERYTHING
    if part is EVERYTHING:
        return NOTHING
    if part.tsq is not None:
        return Part(tsq=f"!({part.tsq})")
    return Part(sql=f"NOT ({part.sql})", params=part.params)


def _combine(parts: list[Part | None], operator: str) -> Part | None:
    """Join parts with AND or OR: word parts into one tsquery, the rest in SQL; stop-word-only parts drop out."""
    parts = [part for part in parts if part is not None]
    absorbing, neutral = (NOTHING, EVERYTHING) if operator == "AND" else (EVERYTHING, NOTHING)
    if any(part is absorbing for part in parts):
        return absorbing
    parts = [part for part in parts if part is not neutral]
    if not parts:
        return None if operator == "AND" else NOTHING
    if len(parts) == 1:
        return parts[0]
    positive = [tsq for part in parts for tsq in part.positive]
    words = [part.tsq for part in parts if part.tsq is not None]
    joined = (" & " if operator == "AND" else " | ").join(f"({tsq})" for tsq in words) if words else None
    others = [part for part in parts if part.tsq is None]
    if not others:
        return Part(tsq=joined, positive=positive)
    conditions, params = ([], []) if joined is None else (["r.terms @@ ?::tsquery"], [joined])
    for part in others:
        conditions.append(f"({part.sql})")
        params += part.params
    return Part(sql=f" {operator} ".join(conditions), params=params, positive=positive)


def rank_query(part: Part | None) -> str | None:
    """Return the tsquery a match is ranked and highlighted by: the words searched for, outside NOT."""
    if part is None or not part.positive:
        return None
    if part.tsq is not None and not part.tsq.startswith("!"):
        return part.tsq
    return " | ".join(f"({tsq})" for tsq in part.positive)


def filter_conditions(filters: dict, date_from, date_to) -> tuple[list[str], list]:
    """Return the SQL conditions (and parameters) of the exact-value filters and the date range."""
    conditions, params = [], []
    for name in VALUE_FILTERS:
        values = filters.get(name)
        values = [values] if isinstance(values, str) else list(values or [])
        values = [exact_value(v) for v in values if exact_value(v)]
        if values:
            conditions.append(f"r.{name} = ANY(?)")
            params.append(values)
    if date_from or date_to:
        conditions.append("r.day BETWEEN ? AND ?")
        params += [date_from.toordinal() if date_from else 1, date_to.toordinal() if date_to else 10**7]
    return conditions, params
