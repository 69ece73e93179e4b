"""Claims' priority follows the one bounded formula (review.priority.priority_parts): recompute every stored one."""


def up(db):
    from review.priority import compute_priority

    rows = db.query("SELECT id, checkworthiness, appearance_count, source_date, boost, created_at FROM claims")
    db.executemany("UPDATE claims SET priority = ? WHERE id = ?",
                   [(compute_priority(r["checkworthiness"], r["appearance_count"], r["source_date"], r["boost"],
                                      r["created_at"]), r["id"]) for r in rows])
