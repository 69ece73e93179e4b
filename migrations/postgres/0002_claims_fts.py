"""Full-text search over claim text and claimant, for the queue's text filter: a GIN index on the
weighted tsvector expression that review.storage.postgres.search_vector("claims") writes, in the
``claimdesk`` text search configuration: Porter stems (Snowball's ``porter``, the stemmer of SQLite's
``porter`` tokenizer) and no stop words, as the SQLite twin's FTS5 table reads words."""

SCHEMA = r"""
CREATE TEXT SEARCH DICTIONARY claimdesk_porter (TEMPLATE = snowball, LANGUAGE = porter);
CREATE TEXT SEARCH CONFIGURATION claimdesk (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION claimdesk ALTER MAPPING
    FOR asciiword, word, numword, asciihword, hword, numhword, hword_asciipart, hword_part, hword_numpart
    WITH claimdesk_porter;
CREATE INDEX claims_search ON claims USING GIN ((
    setweight(to_tsvector('claimdesk', regexp_replace(coalesce(text, ''), '\W+', ' ', 'g')), 'A')
    || setweight(to_tsvector('claimdesk', regexp_replace(coalesce(claimant, ''), '\W+', ' ', 'g')), 'B')
));
"""


def up(db):
    db.run_script(SCHEMA)
