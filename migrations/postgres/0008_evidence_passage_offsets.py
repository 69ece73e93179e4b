"""Evidence from a corpus document keeps where its excerpt lies in the document's text."""


def up(db):
    db.run_script("ALTER TABLE evidence ADD COLUMN excerpt_start BIGINT;"
                  " ALTER TABLE evidence ADD COLUMN excerpt_end BIGINT;")
