"""What the Whoosh engine stores: the schema, the word analysis, and a record's fields.

``content`` (title, claimant and body) is the one field words are searched in;
``pairs`` holds its adjacent word pairs, so a phrase search is a term lookup
(see ``whoosh_queries.phrases_as_pairs``). Exact-match fields (source, rating,
publisher, language) hold trimmed, lower-cased values; ``day`` is the
publication date's ordinal, a sortable column the date filters read.
"""

import functools

from whoosh.analysis import Filter, StemmingAnalyzer
from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema

from search_index.base import Record
from search_index.query_text import parse_datetime, parse_day
from search_index.snippets import WORD

SEARCH_FIELD = "content"
PAIRS_FIELD = "pairs"
NO_DAY = 0  # the column value of records without a publication date
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


def analyze(text: str) -> list[str]:
    """Return the words of a text as the index holds them: the analyzer's result, one cached word at a time."""
    return [term for word in WORD.findall(text) if (term := normalized(word))]


@functools.lru_cache(maxsize=100_000)
def normalized(word: str) -> str | None:
    """Return a word as the index holds it (lower-cased, stemmed), or None for a stop word."""
    tokens = [token.text for token in WORD_ANALYZER(word)]
    return tokens[0] if len(tokens) == 1 else None


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
        "source": exact_value(record.source),
        "source_name": record.source or "",
        "rating": exact_value(record.rating),
        "rating_label": record.extra.get("rating_label") or record.rating or "",
        "publisher": exact_value(record.publisher),
        "publisher_name": record.publisher or "",
        "language": exact_value(record.language),
        "url": record.url,
        "published": parse_datetime(record.published),
        "extra": record.extra,
    }
    day = parse_day(record.published)
    if day:
        fields["day"] = day.toordinal()
    return fields


def exact_value(value: str | None) -> str:
    """Return a value as exact-match fields hold it: trimmed and lower-cased."""
    return (value or "").strip().lower()


def index_kind(kind: str) -> str:
    """Return the index kind a caller's kind names (documents unless it says verdict)."""
    return "verdict" if kind == "verdict" else "document"
