"""The claim's vocabulary: its states and their labels, claim types, claimant kinds, dismiss reasons.

A claim moves through these states (the transitions live in ``review/workflow.py``)::

    new -> queued -> in_progress -> in_review -> published
    new / queued -> dismissed;  new / queued / in_progress -> merged
    published -> retracted (an editor asks, with a reason; another editor approves)

Open and closed. A claim is *open* while its verdict is not settled: ``new``, ``queued``,
``in_progress`` and ``in_review``. ``in_review`` is open: the assignee or an editor may still
change the claim's fields and evidence (an editor who does so becomes an author of the revision
in review, and so cannot approve it); only the verdict draft itself is frozen until an editor
sends it back. A *closed* claim (``published``, ``dismissed``, ``merged``) does not change: a
published one changes only through a correction (which reopens it as ``in_progress``), a
dismissed or merged one only after an editor reopens it. A *retracted* claim is closed for good:
its fact-check was withdrawn and the public page is a retraction notice.

Narrower sets: ``DRAFTING_STATES`` (the verdict draft is written only while the claim is in
progress), ``UNSTARTED_STATES`` (nobody has started the claim yet, so it has no draft) and
``TRIAGE_STATES`` (a claim can still be merged into another: no verdict is in review).
"""

STATE_LABELS = {
    "new": "New", "queued": "Queued", "in_progress": "In progress", "in_review": "In review",
    "published": "Published", "dismissed": "Dismissed", "merged": "Merged", "retracted": "Retracted",
}
STATES = tuple(STATE_LABELS)
OPEN_STATES = ("new", "queued", "in_progress", "in_review")
CLOSED_STATES = ("published", "dismissed", "merged", "retracted")
DRAFTING_STATES = ("in_progress",)
UNSTARTED_STATES = ("new", "queued")
TRIAGE_STATES = ("new", "queued", "in_progress")

CLAIM_TYPES = ("statistic", "quote", "attribution", "event", "causal", "prediction")
CLAIMANT_KINDS = ("person", "organization", "media", "unnamed source")

DISMISS_REASONS = {
    "not_checkworthy": "Not check-worthy",
    "opinion": "Opinion",
    "duplicate": "Duplicate",
    "out_of_scope": "Out of scope",
    "other": "Other",
}


def state_label(status: str) -> str:
    """Return the label people read for a claim state."""
    return STATE_LABELS.get(status, status)


def is_open(claim: dict) -> bool:
    """Tell whether the claim's verdict is not settled yet (see the module docstring)."""
    return claim["status"] in OPEN_STATES


def sql_list(states: tuple[str, ...]) -> str:
    """Return the states as an SQL list literal, e.g. ``('new', 'queued')`` (constants only, never input)."""
    return "(" + ", ".join(f"'{s}'" for s in states) + ")"
