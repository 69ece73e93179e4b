"""Optimistic locking: every claim write names the version it was based on."""


from review.dates import now
from review.errors import Conflict
from review.states import state_label
from review.storage import Store


def check_version(db: Store, claim: dict, version: int | None) -> None:
    """Refuse a write based on a stale version, saying what changed and by whom.

    :raises Conflict: the claim changed since the user loaded it.
    """
    if version is None or int(version) == claim["version"]:
        return
    last = db.one("SELECT e.action, e.at, u.username FROM events e LEFT JOIN users u ON u.id = e.actor_id"
        " WHERE e.entity_type = 'claim' AND e.entity_id = ? ORDER BY e.id DESC LIMIT 1",
        [claim["id"]],
    )
    who = f" by {last['username'] or 'the system'} ({last['action']} at {last['at']})" if last else ""
    raise Conflict(
        f"This claim was changed{who} after you opened it; it is now {state_label(claim['status']).lower()},"
        " version " + str(claim["version"]) + ". Reload to see the change, then try again.",
        {"version": f"yours is {version}, current is {claim['version']}"},
    )


def bump(db: Store, claim_id: int, version: int, changes: dict) -> None:
    """Write changes and increment the version, only if nobody changed the claim meanwhile."""
    assignments = "".join(f"{column} = ?, " for column in changes)
    changed = db.execute(
        f"UPDATE claims SET {assignments}version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
        [*changes.values(), now(), claim_id, version],
    )
    if changed != 1:
        raise Conflict("This claim changed while you were saving; reload and try again.")
