"""The review queue: claims by state, filtered, in priority order, paged by cursor."""

from collections.abc import Mapping
from dataclasses import dataclass, field


from review import desk, second_rating, workflow
from review.claims import normalize_tag, set_tags
from review.errors import Conflict, ReviewError, ValidationError
from review.permissions import ACTION_ROLES
from review.priority import priority_parts
from review.states import CLAIM_TYPES, DISMISS_REASONS, OPEN_STATES, sql_list, state_label
from review.storage import Store
from review.users import has_role
from review.versioning import require_version
from search_index.words import split_fields

# The states with a tab of their own, labelled as review.states labels them.
TABS = [(state, state_label(state)) for state in ("new", "queued", "in_progress", "in_review", "published", "dismissed")]
PAGE_SIZE = 50


@dataclass
class QueuePage:
    rows: list[dict]
    next_cursor: str | None
    tab: str
    filters: dict = field(default_factory=dict)


def tab_counts(db: Store, user_id: int | None, filters: dict | None = None) -> dict[str, int]:
    """Return the number of claims in each state, plus 'mine' (open claims assigned to the user).

    With active ``filters`` (the queue's search and menus) every count counts only the claims they keep.
    """
    counts = {key: 0 for key, _ in TABS}
    filters = {k: v.strip() for k, v in (filters or {}).items() if k in FILTERS and v and v.strip()}
    mine = [f"c.assignee_id = ? AND c.status IN {sql_list(OPEN_STATES)}"]
    if filters:
        where, params = ["1 = 1"], []
        _apply_filters(db, filters, where, params)
        for r in db.query("SELECT c.status, count(*) AS n FROM claims c LEFT JOIN documents d ON d.id = c.document_id"
                          f" WHERE {' AND '.join(where)} GROUP BY c.status", params):
            counts[r["status"]] = r["n"]
        mine += where[1:]
        mine_params = [user_id] + params
    else:
        for r in db.query("SELECT status, n FROM claim_counts"):
            counts[r["status"]] = r["n"]
        mine_params = [user_id]
    # Only the tabs the queue shows: a count for another state (merged, retracted) has no place to go.
    counts = {key: counts[key] for key, _ in TABS}
    counts["mine"] = db.scalar("SELECT count(*) FROM claims c LEFT JOIN documents d ON d.id = c.document_id"
                               f" WHERE {' AND '.join(mine)}", mine_params)
    counts["second"] = db.scalar(f"SELECT count(*) FROM ({second_rating.TASKS}) t", [user_id])
    return counts


def count_listed(db: Store, *, tab: str, user_id: int | None, filters: dict, counts: dict | None = None) -> int:
    """Return how many claims ``tab`` lists under ``filters`` (the figure above the rows).

    ``counts``, the :func:`tab_counts` under the same filters, already hold it for a state's tab, "mine" and
    "open" (the New tab's per-article budget aside, as in the tab's count); the other tabs are counted.
    """
    if counts is not None and tab in counts and tab != "second":
        return counts[tab]
    if counts is not None and tab == "open":
        return sum(counts[state] for state in OPEN_STATES)
    where, params = tab_conditions(db, tab=tab, user_id=user_id, filters=filters)
    return db.scalar(f"SELECT count(*) FROM claims c WHERE {' AND '.join(where) or '1 = 1'}", params)


FILTERS = ("q", "source", "claimant", "type", "tag", "assignee", "date_from", "date_to", "more_from") + desk.FILTERS
#: The New tab shows each article's top claims by check-worthiness, this many unless its source has its own
#: budget (source_budgets); the rest are kept, on the article's page and behind "more from this article".
ARTICLE_BUDGET = 5
WITHIN_BUDGET = ("(c.article_rank IS NULL OR c.article_rank <= coalesce((SELECT b.budget FROM source_budgets b"
                 " WHERE b.source = lower(d.source)), ?))")
# Tabs the desk overview links to besides TABS and "mine": every open claim, every claim, merged and retracted ones.
# "second" lists a checker's own tasks: the claims whose blind second rating they were asked for (second_rating.py).
OTHER_TABS = ("mine", "open", "all", "merged", "retracted", "second")


def tab_conditions(db: Store, *, tab: str, user_id: int | None, filters: dict) -> tuple[list, list]:
    """Return the SQL conditions (and their parameters) that select a tab's claims under the filters."""
    where, params = [], []
    if tab == "mine":
        where.append(f"c.assignee_id = ? AND c.status IN {sql_list(OPEN_STATES)}")
        params.append(user_id)
    elif tab == "second":
        where.append(f"c.id IN ({second_rating.TASKS})")
        params.append(user_id)
    elif tab == "open":
        where.append(f"c.status IN {sql_list(OPEN_STATES)}")
    elif tab != "all":
        where.append("c.status = ?")
        params.append(tab)
    _apply_filters(db, filters, where, params)
    return where, params


def _apply_filters(db: Store, filters: dict, where: list, params: list) -> None:
    # Text and claimant both go through the store's full-text index: word prefixes, no table scan. The box
    # also reads the claimant: and source: it suggests, as the search page's box does.
    q, typed = split_fields(filters.get("q", ""), ("claimant", "source"))
    claimant = " ".join(filter(None, [filters.get("claimant", ""), typed.get("claimant", "")]))
    condition = db.text_match("claims", "c.id", {None: q, "claimant": claimant})
    if condition:
        where.append(condition[0])
        params.extend(condition[1])
    for source in filter(None, {filters.get("source"), typed.get("source")}):
        where.append("c.document_id IN (SELECT id FROM documents WHERE lower(source) = lower(?))")
        params.append(source)
    if filters.get("type"):
        where.append("c.claim_type = ?")
        params.append(filters["type"])
    if filters.get("tag"):
        where.append("EXISTS (SELECT 1 FROM claim_tags t WHERE t.claim_id = c.id AND t.tag = ?)")
        params.append(filters["tag"].strip().lower())
    if filters.get("assignee"):
        if filters["assignee"] == "none":
            where.append("c.assignee_id IS NULL")
        else:
            where.append("c.assignee_id = (SELECT id FROM users WHERE username = ?)")
            params.append(filters["assignee"])
    if filters.get("more_from"):
        where.append("c.document_id = ?")
        params.append(int(filters["more_from"]) if filters["more_from"].isdigit() else -1)
    if filters.get("date_from"):
        where.append("c.source_date >= ?")
        params.append(filters["date_from"][:10])
    if filters.get("date_to"):
        where.append("c.source_date <= ?")
        params.append(filters["date_to"][:10])
    desk.apply_filters(db, filters, where, params)


def claim_label(text: str, words: int = 6) -> str:
    """Return how a message names a claim: its first words in quotes ("“Officials said 2,500 people were…”")."""
    parts = (text or "").split()
    head = " ".join(parts[:words])
    return f"“{head}{'…' if len(parts) > words else ''}”" if parts else "the claim"


def set_source_budget(db: Store, source: str, budget: int | str | None) -> None:
    """Set how many claims of each article from ``source`` the New tab shows (None or "": back to ARTICLE_BUDGET).

    :raises ValidationError: no source, or a budget that is not a whole number from 0 to 100.
    """
    source = (source or "").strip().lower()
    if not source:
        raise ValidationError({"source": "name the source whose budget to set"})
    if isinstance(budget, str):
        budget = budget.strip()
        budget = None if not budget else int(budget) if budget.isascii() and budget.isdigit() else budget
    if budget is not None and (not isinstance(budget, int) or not 0 <= budget <= 100):
        raise ValidationError({"budget": "give a whole number of claims per article, from 0 to 100"})
    with db.transaction():
        db.execute("DELETE FROM source_budgets WHERE source = ?", [source])
        if budget is not None:
            db.execute("INSERT INTO source_budgets (source, budget) VALUES (?, ?)", [source, budget])


def source_budgets(db: Store) -> list[dict]:
    """Return each source with its article count, its own budget (None: the default) and the budget in force."""
    own = {r["source"]: r["budget"] for r in db.query("SELECT source, budget FROM source_budgets")}
    rows = {}
    for r in db.query("SELECT source, count(*) AS articles FROM documents WHERE source <> '' GROUP BY source"):
        key = r["source"].strip().lower()
        found = rows.setdefault(key, {"source": r["source"], "key": key, "articles": 0})
        found["articles"] += r["articles"]
    for key in own:
        rows.setdefault(key, {"source": key, "key": key, "articles": 0})
    for row in rows.values():
        row["budget"] = own.get(row["key"])
        row["in_force"] = ARTICLE_BUDGET if row["budget"] is None else row["budget"]
    return sorted(rows.values(), key=lambda r: (-r["articles"], r["key"]))


def assignable_users(db: Store) -> list[dict]:
    """Return the active users (id and username) by name: who a claim may be assigned to, or filtered by."""
    return db.query("SELECT id, username FROM users WHERE active = 1 ORDER BY username")


def filter_options(db: Store, people: list[dict] | None = None) -> dict:
    """Return the values the filter menus offer: sources, tags and users (``people``, when already read)."""
    people = assignable_users(db) if people is None else people
    return {
        "sources": [r["source"] for r in db.query(
            "SELECT DISTINCT source FROM documents WHERE source != '' ORDER BY source LIMIT 200")],
        "tags": [r["tag"] for r in db.query("SELECT DISTINCT tag FROM claim_tags ORDER BY tag LIMIT 200")],
        "users": [r["username"] for r in people],
        "types": list(CLAIM_TYPES),
    }


def encode_cursor(claim: dict, sort: str) -> str:
    key = claim["priority"] if sort == "priority" else (claim["source_date"] or "")  # "": undated, sorted last
    return f"{key}~{claim['id']}"


def list_queue(
    db: Store, *, tab: str = "new", user_id: int | None = None, sort: str = "priority",
    cursor: str | None = None, limit: int = PAGE_SIZE, filters: dict | None = None,
) -> QueuePage:
    """Return one page of the queue, after ``cursor`` (keyset pagination, never OFFSET)."""
    filters = {k: v.strip() for k, v in (filters or {}).items() if k in FILTERS and v and v.strip()}
    sort = "date" if sort == "date" else "priority"
    column = "c.priority" if sort == "priority" else "c.source_date"
    where, params = tab_conditions(db, tab=tab, user_id=user_id, filters=filters)
    if tab == "new" and not filters.get("more_from"):
        where.append(WITHIN_BUDGET)
        params.append(ARTICLE_BUDGET)
    if cursor:
        key, _, last_id = cursor.rpartition("~")
        try:
            last_id_int = int(last_id)
            key_value = float(key) if sort == "priority" else key
        except ValueError:
            key_value, last_id_int = None, None
        if last_id_int is not None and key_value == "":  # within the undated claims, after every dated one
            where.append("(c.source_date IS NULL AND c.id < ?)")
            params.append(last_id_int)
        elif last_id_int is not None:
            undated = " OR c.source_date IS NULL" if sort == "date" else ""
            where.append(f"({column} < ? OR ({column} = ? AND c.id < ?){undated})")
            params += [key_value, key_value, last_id_int]
    sql = (
        "SELECT c.id, c.text, c.claimant, c.claimant_kind, c.claim_type, c.checkworthiness, c.priority, c.status,"
        " c.source_date, c.appearance_count, c.version, c.document_id, c.assignee_id, d.source, d.title AS document_title,"
        " c.boost, c.created_at, c.article_rank, c.second_rating,"
        " (SELECT count(*) FROM claims x WHERE x.document_id = c.document_id AND x.status = 'new') AS article_new,"
        " c.prior_match_score, c.prior_match_label, c.prior_match_publisher,"
        " u.username AS assignee FROM claims c LEFT JOIN documents d ON d.id = c.document_id"
        " LEFT JOIN users u ON u.id = c.assignee_id"
        f" WHERE {' AND '.join(where) or '1 = 1'} ORDER BY {column} DESC{' NULLS LAST' if sort == 'date' else ''}, c.id DESC LIMIT ?"
    )
    rows = list(db.query(sql, params + [limit + 1]))
    next_cursor = encode_cursor(rows[limit - 1], sort) if len(rows) > limit else None
    rows = rows[:limit]
    for row in rows:
        row["priority_parts"] = priority_parts(row["checkworthiness"], row["appearance_count"], row["source_date"],
                                               row["boost"], row["created_at"])
    _attach_tags(db, rows)
    return QueuePage(rows=rows, next_cursor=next_cursor, tab=tab, filters=filters)


def _attach_tags(db: Store, rows: list[dict]) -> None:
    by_id = {r["id"]: r for r in rows}
    for r in rows:
        r["tags"] = []
    if not by_id:
        return
    marks = ",".join("?" * len(by_id))
    for t in db.query(f"SELECT claim_id, tag FROM claim_tags WHERE claim_id IN ({marks}) ORDER BY tag", list(by_id)):
        by_id[t["claim_id"]]["tags"].append(t["tag"])


BULK_ACTIONS = ("accept", "dismiss", "assign", "tag", "merge")
BULK_LABELS = {"tag": "Tag", "merge": "Merge into the first selected"}  # the others are their transitions' labels


def bulk_actions_for(user: dict) -> dict[str, str]:
    """Return the bulk actions the queue's menu offers the user (action -> label): those their role may take.

    Tags are the desk's private labels: anyone tags (``review.permissions``); each transition needs its role.
    """
    return {action: BULK_LABELS.get(action) or workflow.TRANSITIONS[action].label for action in BULK_ACTIONS
            if action == "tag" or has_role(user, ACTION_ROLES[action])}


def bulk_action(db: Store, ids: list[int], action: str, user: dict, *, versions: Mapping[int, object],
                reason: str | None = None, assignee_id: int | None = None,
                tag: str | None = None) -> tuple[int, list[str]]:
    """Apply one action (or a tag) to many claims; each claim succeeds or fails on its own.

    ``versions`` gives each selected claim's version as the queue page showed it: a claim changed
    since then is left unchanged, as a workspace form would be. ``merge`` merges every selected claim
    into the first one (the queue's top-ranked selection). Returns the number changed and a message
    per claim left unchanged.

    :raises ValidationError: no claim selected, an unknown action, a missing reason, tag or second claim,
        or a selected claim without its version.
    :raises Conflict: every selected claim changed since the page was loaded (nothing was changed).
    """
    if not ids:
        raise ValidationError({"ids": "select at least one claim (x)"})
    if action not in BULK_ACTIONS:
        raise ValidationError({"bulk_action": "choose accept, dismiss, assign, tag or merge"})
    if action == "dismiss" and reason not in DISMISS_REASONS:
        raise ValidationError({"reason": "choose a reason for dismissing"})
    if action == "tag" and not normalize_tag(tag or ""):
        raise ValidationError({"tag": "type the tag to add"})
    if action == "merge" and len(ids) < 2:
        raise ValidationError({"ids": "select at least two claims to merge"})
    targets = ids[1:] if action == "merge" else ids
    seen = {claim_id: require_version(versions.get(claim_id)) for claim_id in targets}  # all, before any change
    done, failed, conflicts = 0, [], []
    for claim_id in targets:
        try:
            if action == "tag":
                set_tags(db, claim_id, user, add=[tag], version=seen[claim_id])
            else:
                workflow.apply_action(db, claim_id, action, user, version=seen[claim_id], reason=reason,
                                      assignee_id=assignee_id, target_id=ids[0] if action == "merge" else None)
            done += 1
        except Conflict as error:  # its first sentence: who changed it, and when
            conflicts.append(claim_id)
            failed.append(f"claim {claim_id}: {error.message.split('. ')[0].rstrip('.')}.")
        except ReviewError as error:
            failed.append(f"claim {claim_id}: {error.message}")
    if len(conflicts) == len(targets):
        several = len(targets) > 1
        raise Conflict(f"Nothing was changed: {'every selected claim' if several else 'the selected claim'} changed"
                       f" after this page was loaded ({failed[0].rstrip('.')}). Reload the queue and try again.")
    return done, failed


def bulk_message(action: str, done: int, failed: list[str]) -> str:
    """Say what a bulk action did ("Accepted: 2 claims.") and which claims it left unchanged."""
    message = f"{workflow.done_message(action)}: {done} claim{'s' if done != 1 else ''}."
    if failed:
        message += " Not changed: " + "; ".join(failed[:3]) + ("…" if len(failed) > 3 else "")
    return message


#: The transitions a queue row may offer (those with a shortcut), primary ones first as ``actions_for`` orders them.
ROW_ACTIONS = sorted((t for t in workflow.TRANSITIONS.values() if t.shortcut), key=lambda t: not t.primary)


def attach_actions(rows: list[dict], user: dict) -> list[dict]:
    """Give each queue row the actions its buttons offer the user (``workflow.actions_for`` with a shortcut).

    Asks ``workflow.can`` only about the row transitions that leave the claim's state (50 rows a page).
    """
    for row in rows:
        row["actions"] = [a for a in ROW_ACTIONS
                          if row["status"] in a.sources and workflow.can(row, user, a.name)[0]]
    return rows
