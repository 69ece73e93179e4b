"""The queue's text filter reads words by the one analyzer definition (search_index/words.py): the
``claimdesk`` configuration folds diacritics (unaccent) before stemming, and texts are split into
words of letters and digits (the underscore separates, as in FTS5); the GIN index is built anew on
the expression review.storage.postgres.search_vector("claims") writes."""


def up(db):
    from review.storage.postgres import search_vector
    from search_index.words import POSTGRES_MAPPING

    db.run_script("CREATE EXTENSION IF NOT EXISTS unaccent;\n"
                  f"{POSTGRES_MAPPING};\n"
                  "DROP INDEX IF EXISTS claims_search;\n"
                  f"CREATE INDEX claims_search ON claims USING GIN (({search_vector('claims')}));\n")
