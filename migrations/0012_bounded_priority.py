"""Claims' priority follows the one bounded formula (review.priority.priority_parts): recompute every stored one.

The old value added the date's ordinal / 365, so a year of date weighed as much as 0.01 of score.
"""


def up(db):
    from review.priority import compute_priority

    rows = db.execute("SELECT id, checkworthiness, appearance_count, source_date, boost, created_at FROM claims").fetchall()
    db.conn.executemany("UPDATE claims SET priority = ? WHERE id = ?",
                        [(compute_priority(cw, n, day, boost, created), claim_id)
                         for claim_id, cw, n, day, boost, created in rows])
