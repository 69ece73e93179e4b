"""What the Whoosh engine stores: the schema, the word analysis, and a record's fields.

``content`` (title, claimant and body) is the one field words are searched in,
with each term's positions for phrases (``whoosh_queries.FastPhrase``); every
text is analysed once, by ``analysis.WordPositions``, its positions packed by
``positions.PackedPositions``. Exact-match fields (source, rating,
publisher, language) hold trimmed, lower-cased values; ``day`` is the
publication date's ordinal, a sortable column the date filters read.
"""

from whoosh.columns import NumericColumn
from whoosh.fields import COLUMN, ID, STORED, TEXT, Schema

from search_index.analysis import ANALYSIS_VERSION, WordAnalyzer, analyze, normalized
from search_index.base import Record
from search_index.positions import PackedPositions
from search_index.query_text import parse_datetime, parse_day

SEARCH_FIELD = "content"
NO_DAY = 0  # the column value of records without a publication date
# The version of what a generation holds (fields and word analysis): a generation of another version is
# rebuilt from the database. 5: one positional ``content`` field, no word pairs, stored-only ids, the day a
# column only, no empty exact values; analysis version 3. 6: segments written as separate files, not compound.
# 7: positions packed as 32-bit integers (``positions.PackedPositions``), not pickled lists. 9 (with analysis
# version 4): posting blocks written as raw arrays by ``whoosh_codec.PackedCodec``, not compressed pickles.
SCHEMA_VERSION = 5 + ANALYSIS_VERSION

__all__ = ["SCHEMA_VERSION", "SEARCH_FIELD", "analyze", "make_schema", "normalized", "record_fields"]


def word_field(*, stored: bool = False) -> TEXT:
    """Return a text field analysed once into term positions by the one word analysis."""
    field = TEXT(analyzer=WordAnalyzer(), stored=stored)
    field.format = PackedPositions(field_boost=field.format.field_boost)
    return field


def make_schema() -> Schema:
    """Return the schema both sub-indexes share."""
    return Schema(
        key=ID(stored=True, unique=True),
        kind=STORED(),
        entity_id=STORED(),
        content=word_field(),  # title, claimant and body: the one field words are searched in
        title=STORED(),
        body=STORED(),
        claimant=word_field(stored=True),
        source=ID(),
        source_name=STORED(),
        rating=ID(),
        rating_label=STORED(),
        publisher=ID(),
        publisher_name=STORED(),
        language=ID(stored=True),
        url=STORED(),
        published=STORED(),
        day=COLUMN(NumericColumn("i", default=NO_DAY)),  # a column only: filters and the date sort read it
        extra=STORED(),
    )


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
        "title": record.title or "",
        "body": record.body or "",
        "claimant": record.claimant or "",
        "source_name": record.source or "",
        "rating_label": record.extra.get("rating_label") or record.rating or "",
        "publisher_name": record.publisher or "",
        "language": exact_value(record.language),
        "url": record.url,
        "published": parse_datetime(record.published),
        "extra": record.extra,
    }
    for name, value in (("source", record.source), ("rating", record.rating), ("publisher", record.publisher)):
        if exact_value(value):  # an empty value is not indexed as a term of its own
            fields[name] = exact_value(value)
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
