"""Per-record reports: what happened to each record of an ingest, an import or a re-extraction.

One :class:`Report` holds an :class:`Outcome` per record read (in reading order) and the
counts by status, plus any other numbers the run adds up (``claims`` for an ingest). Every
pipeline that reads records from files and stores them reports with it, so the CLI and
the pages print and list the same way:

    report = Report(("added", "updated", "refused"))
    report.add(Outcome("feed.json", "record 2", "refused", reason="no claimReviewed"))
    report.line()       # "added 0, updated 0, refused 1"
    report.problems     # ["feed.json:record 2: no claimReviewed"]
"""

from collections import Counter
from dataclasses import dataclass, field

# How each status reads in Report.line(); a status not listed reads as "<status> N".
LINE_LABELS = {"duplicate": "duplicates {}", "skipped": "skipped {} (empty)"}
# Statuses that mean the record was not stored.
PROBLEM_STATUSES = ("failed", "refused")


@dataclass
class Outcome:
    """What happened to one record: where it was read, its status, why, and what it stored.

    ``status`` is a word of the pipeline's vocabulary: ``added``, ``updated``, ``duplicate``,
    ``skipped``, ``failed`` or ``refused`` (the last two mean nothing was stored).
    ``numbers`` are added into the report's counts (``{"claims": 3}``).
    """

    file: str
    position: str | None = None  # a line number, "record N", "entry N"; None or "" for the whole file
    status: str = "added"
    reason: str | None = None
    warnings: list[str] = field(default_factory=list)
    stored_id: int | None = None
    title: str | None = None  # what the record is about (a title, a reviewed claim), for listings
    url: str | None = None
    numbers: dict[str, int] = field(default_factory=dict)

    @property
    def where(self) -> str:
        """Return ``FILE:POSITION`` (or ``FILE`` for the whole file)."""
        return f"{self.file}:{self.position}" if self.position else self.file

    @property
    def problem(self) -> bool:
        """Return True when the record was not stored (failed or refused)."""
        return self.status in PROBLEM_STATUSES

    @property
    def messages(self) -> list[str]:
        """Return ``FILE:POSITION: reason`` and ``FILE:POSITION: warning: ...`` lines for this record."""
        lines = [f"{self.where}: {self.reason}"] if self.reason and self.problem else []
        return lines + [f"{self.where}: warning: {text}" for text in self.warnings]


@dataclass
class Report:
    """The outcomes of one run, in reading order, and their counts.

    :param statuses: the statuses :meth:`line` prints, in order (each counted even when zero).
    """

    statuses: tuple[str, ...] = ("added", "failed")
    outcomes: list[Outcome] = field(default_factory=list)
    counts: Counter = field(default_factory=Counter)

    def add(self, outcome: Outcome) -> Outcome:
        """Count one record's outcome (its status and its numbers) and keep it."""
        self.outcomes.append(outcome)
        self.counts[outcome.status] += 1
        self.counts.update(outcome.numbers)
        return outcome

    def extend(self, other: "Report") -> None:
        """Add another report's outcomes and counts to this one."""
        self.outcomes.extend(other.outcomes)
        self.counts.update(other.counts)

    def count(self, name: str) -> int:
        """Return how many records have status ``name``, or the total of the number ``name``."""
        return self.counts.get(name, 0)

    # The statuses every pipeline uses, as attributes.
    added = property(lambda self: self.count("added"))
    updated = property(lambda self: self.count("updated"))
    duplicates = property(lambda self: self.count("duplicate"))
    skipped = property(lambda self: self.count("skipped"))
    failed = property(lambda self: self.count("failed"))
    refused = property(lambda self: self.count("refused"))

    @property
    def problems(self) -> list[str]:
        """Return ``FILE:POSITION: reason`` for every record that was not stored."""
        return [f"{o.where}: {o.reason}" for o in self.outcomes if o.problem]

    @property
    def warnings(self) -> list[str]:
        """Return ``FILE:POSITION: warning: ...`` for every warning of a stored record."""
        return [f"{o.where}: warning: {text}" for o in self.outcomes for text in o.warnings]

    @property
    def messages(self) -> list[str]:
        """Return problems and warnings together, in reading order."""
        return [line for o in self.outcomes for line in o.messages]

    def line(self) -> str:
        """Return the one-line summary, e.g. ``added 3, duplicates 1, skipped 0 (empty), failed 2``."""
        return ", ".join(LINE_LABELS.get(s, s + " {}").format(self.count(s)) for s in self.statuses)

    def listing(self, limit: int = 500) -> list[Outcome]:
        """Return up to ``limit`` outcomes in reading order, problems and warnings before plain successes."""
        notable = sum(1 for o in self.outcomes if o.problem or o.warnings)
        spare, shown = max(0, limit - notable), []
        for outcome in self.outcomes:
            if len(shown) >= limit:
                break
            if outcome.problem or outcome.warnings:
                shown.append(outcome)
            elif spare:
                shown.append(outcome)
                spare -= 1
        return shown
