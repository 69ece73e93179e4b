"""Full-text search over claim text and claimant, for the queue's text filter: a GIN index on the
weighted tsvector expression that review.storage.postgres.search_vector("claims") writes."""

SCHEMA = """
CREATE INDEX claims_search ON claims USING GIN ((
    setweight(to_tsvector('english', coalesce(text, '')), 'A') || setweight(to_tsvector('english', coalesce(claimant, '')), 'B')
));
"""


def up(db):
    db.run_script(SCHEMA)
