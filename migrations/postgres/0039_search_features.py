"""A verdict's re-ranking features beside its search row (search_index/postgres_features.py).

``features`` holds, in the form of Whoosh's claim tables, what re-ranking a "checked before?"
candidate reads: its publication day and the hashed character 4-gram sets of its claim, headline,
whole text and address words, computed once when the drainer writes the row instead of at each
lookup. Rows written before this step hold NULL (and so do documents, which are never re-ranked):
lookups compute those from the stored fields, and the partial index lets ``status`` find one at
once, so the indexer rebuilds the table. The hashes hardly compress: kept out of line uncompressed.
"""

SCHEMA = """
ALTER TABLE search_records ADD COLUMN features BYTEA;
ALTER TABLE search_records ALTER COLUMN features SET STORAGE EXTERNAL;
CREATE INDEX search_records_unfeatured ON search_records (id) WHERE kind = 'verdict' AND features IS NULL;
"""


def up(db):
    db.run_script(SCHEMA)
