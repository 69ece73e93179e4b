"""Jobs: ingests and imports started from the browser, worked outside the request.

A job is one row of ``jobs`` (kind, state, progress of total, error, who started it) with its
uploaded files in ``job_files``. :func:`enqueue` stores it as ``queued``; a worker takes the oldest
queued job with :func:`take_next` (one UPDATE whose inner SELECT, on PostgreSQL, locks the row
``FOR UPDATE SKIP LOCKED``, so any number of workers on any number of machines share the table)
and works it with :func:`run_job`, which records progress as it goes and ends the job ``done``
with its report, or ``failed`` with the reason.

Each worker names itself ``host:pid:process-token``. A job still ``running`` whose worker process
is gone (a restart, a crash, a kill) is failed with that reason by :func:`fail_abandoned`, which
runs whenever a job is read or a worker starts. :class:`Runner` is the embedded default: a thread
in the serving process, started when a job is queued and ending when none is left.
"""

import json
import os
import secrets
import socket
import threading
from collections.abc import Callable, Iterable

from review.background import lower_priority
from review.claimreview.store import check_base_url, import_bytes
from review.claimreview.store import new_report as new_import_report
from review.dates import now, parse_timestamp
from review.errors import NotFound, ReviewError, ValidationError
from review.ingest import fetch, readers, store
from review.reports import Report
from review.storage import Store

STATES = ("queued", "running", "done", "failed")
KINDS = {"ingest": "Article ingest", "claimreview-import": "ClaimReview import"}
SHOWN_OUTCOMES = 500  # a big import lists its problems, not every stored record
STALE_AFTER_SECONDS = 600  # a job on another machine silent this long is taken for dead
PROCESS_TOKEN = secrets.token_hex(4)  # tells this process from an earlier one that had the same pid
ABANDONED = ("Stopped part-way: the server was stopped or restarted while this job ran ({where}). "
             "What was stored before stays; start the job again for the rest.")


def worker_name() -> str:
    """Return this process's worker name: ``host:pid:token``."""
    return f"{socket.gethostname()}:{os.getpid()}:{PROCESS_TOKEN}"


# -- queueing and reading -------------------------------------------------------------------------
def enqueue(db: Store, kind: str, params: dict, *, files: Iterable[tuple[str, bytes]] = (),
            actor_id: int | None = None) -> int:
    """Store a job and its files as ``queued``; return its id.

    :param params: JSON-ready settings of the job (see the ``_work_*`` functions).
    :param files: (name, bytes) of uploaded files the job reads.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown job kind {kind!r}")
    files = list(files)
    with db.transaction():
        job_id = db.insert("INSERT INTO jobs (kind, params, total, created_by, created_at) VALUES (?, ?, ?, ?, ?)",
                           [kind, json.dumps(params), sum(len(data) for _, data in files), actor_id, now()])
        db.executemany("INSERT INTO job_files (job_id, position, name, size, data) VALUES (?, ?, ?, ?, ?)",
                       [(job_id, n, name, len(data), data) for n, (name, data) in enumerate(files)])
    return job_id


def get_job(db: Store, job_id: int, *, kind: str | None = None) -> dict:
    """Return one job with its params and result decoded, its starter's name and its share done (0-100).

    :raises NotFound: no such job (of that kind).
    """
    fail_abandoned(db)
    job = db.one("SELECT j.*, u.username AS started_by FROM jobs j LEFT JOIN users u ON u.id = j.created_by"
                 " WHERE j.id = ?", [job_id])
    if not job or (kind and job["kind"] != kind):
        raise NotFound(f"job {job_id} not found")
    return _decoded(job)


def recent_jobs(db: Store, kind: str, *, limit: int = 10) -> list[dict]:
    """Return the latest jobs of a kind, newest first."""
    rows = db.query("SELECT j.*, u.username AS started_by FROM jobs j LEFT JOIN users u ON u.id = j.created_by"
                    " WHERE j.kind = ? ORDER BY j.id DESC LIMIT ?", [kind, limit])
    return [_decoded(row) for row in rows]


def has_queued(db: Store) -> bool:
    """Tell whether any job waits for a worker."""
    return db.scalar("SELECT count(*) FROM jobs WHERE state = 'queued'") > 0


def queued_count(db: Store) -> int:
    """Return how many jobs wait for a worker (the readiness check's job backlog)."""
    return db.scalar("SELECT count(*) FROM jobs WHERE state = 'queued'")


def _decoded(job: dict) -> dict:
    job["params"] = json.loads(job["params"] or "{}")
    job["result"] = json.loads(job["result"]) if job["result"] else None
    job["percent"] = 100 if job["state"] == "done" else (100 * job["progress"] // job["total"] if job["total"] else 0)
    job["finished"] = job["state"] in ("done", "failed")
    job["label"] = KINDS.get(job["kind"], job["kind"])
    return job


# -- working --------------------------------------------------------------------------------------
def take_next(db: Store, worker: str) -> dict | None:
    """Mark the oldest queued job running for ``worker`` and return it, or None when none waits."""
    lock = " FOR UPDATE SKIP LOCKED" if db.dialect == "postgres" else ""
    stamp = now()
    with db.transaction():
        taken = db.query(
            "UPDATE jobs SET state = 'running', worker = ?, started_at = ?, heartbeat_at = ?"
            f" WHERE id = (SELECT id FROM jobs WHERE state = 'queued' ORDER BY id LIMIT 1{lock})"
            " AND state = 'queued' RETURNING id", [worker, stamp, stamp])
    return get_job(db, taken[0]["id"]) if taken else None


def run_job(db: Store, job: dict) -> dict:
    """Work a taken job to its end: ``done`` with its result, or ``failed`` with the reason; return it again."""
    files = [(r["name"], bytes(r["data"] or b"")) for r in db.query(
        "SELECT name, data FROM job_files WHERE job_id = ? ORDER BY position", [job["id"]])]
    progress = _Progress(db, job["id"])
    try:
        result = WORK[job["kind"]](db, job, files, progress)
    except ReviewError as error:
        _finish(db, job["id"], "failed", error=_reason(error))
    except Exception as error:  # noqa: BLE001 - a job must end failed with its reason, never hang as running
        _finish(db, job["id"], "failed", error=f"The job failed: {error.__class__.__name__}: {error}")
    else:
        _finish(db, job["id"], "done", result=result, progress=progress.total or progress.done)
    return get_job(db, job["id"])


def work_pending(db: Store, worker: str, *, stop: threading.Event | None = None) -> int:
    """Take and work queued jobs until none is left (or ``stop`` is set); return how many were worked."""
    worked = 0
    while not (stop and stop.is_set()):
        job = take_next(db, worker)
        if job is None:
            break
        run_job(db, job)
        worked += 1
    return worked


def fail_abandoned(db: Store) -> int:
    """Fail the running jobs whose worker is gone, saying so; return how many.

    A worker on this machine is gone when its process is, or when its pid now belongs to a later
    process (another token); a worker elsewhere when it has been silent for ``STALE_AFTER_SECONDS``.
    """
    failed = 0
    for job in db.query("SELECT id, worker, progress, total, heartbeat_at FROM jobs WHERE state = 'running'"):
        if _worker_alive(job["worker"], job["heartbeat_at"]):
            continue
        where = f"{job['progress']:,} of {job['total']:,} done" if job["total"] else "before any progress"
        failed += db.execute("UPDATE jobs SET state = 'failed', error = ?, finished_at = ? WHERE id = ? AND"
                             " state = 'running'", [ABANDONED.format(where=where), now(), job["id"]])
    return failed


def _worker_alive(worker: str | None, heartbeat_at: str | None) -> bool:
    host, _, rest = (worker or "").partition(":")
    pid, _, token = rest.partition(":")
    if host != socket.gethostname():
        beat = parse_timestamp(heartbeat_at) if heartbeat_at else None
        return beat is not None and (parse_timestamp(now()) - beat).total_seconds() < STALE_AFTER_SECONDS
    if not pid.isdigit():
        return False
    if int(pid) == os.getpid():
        return token == PROCESS_TOKEN
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, owned by another user
    return True


class _Progress:
    """Record a job's progress (and heartbeat) as its work advances."""

    def __init__(self, db: Store, job_id: int):
        self.db, self.job_id, self.done, self.total = db, job_id, 0, 0

    def __call__(self, done: int, total: int | None = None) -> None:
        self.done = done
        self.total = total if total is not None else self.total
        self.db.execute("UPDATE jobs SET progress = ?, total = ?, heartbeat_at = ? WHERE id = ?",
                        [done, self.total, now(), self.job_id])


def _finish(db: Store, job_id: int, state: str, *, result: dict | None = None, error: str | None = None,
            progress: int | None = None) -> None:
    with db.transaction():
        db.execute("UPDATE jobs SET state = ?, result = ?, error = ?, finished_at = ?,"
                   " progress = coalesce(?, progress) WHERE id = ?",
                   [state, json.dumps(result) if result is not None else None, error, now(), progress, job_id])
        db.execute("UPDATE job_files SET data = NULL WHERE job_id = ?", [job_id])  # the names stay, the bytes go


def _reason(error: ReviewError) -> str:
    if isinstance(error, ValidationError) and error.fields:
        return "; ".join(f"{name}: {reason}" for name, reason in error.fields.items())
    return error.message


# -- the kinds of work ------------------------------------------------------------------------------
def _work_ingest(db: Store, job: dict, files: list[tuple[str, bytes]], progress: _Progress) -> dict:
    """Store uploaded files' articles, a fetched URL's article or a long paste.

    Params: source, max_chars, and url (with allow_private) for a fetch, paste (the form's fields) for a paste.
    """
    params = job["params"]
    if params.get("paste") is not None:  # a long paste: the text is the job's one file
        progress(0, 1)
        report = store.new_report()
        report.add(store.add_pasted(db, text=files[0][1].decode("utf-8"), actor_id=job["created_by"],
                                    max_chars=params.get("max_chars"), **params["paste"]))
        return _report_result(report, lambda o: {"claims_new": getattr(o, "claims_new", 0)})
    if params.get("url"):
        progress(0, 1)
        items = [fetch.fetch_item(params["url"], source=params.get("source", ""),
                                  allow_private=bool(params.get("allow_private")))]
        total = 1
    else:
        items = readers.read_uploads(files, source=params.get("source", ""))
        total = sum(len(data) for _, data in files)
    consumed = [0]

    def advanced(outcome, read: int) -> None:
        consumed[0] += read if not params.get("url") else 1
        progress(min(consumed[0], total), total)

    report = store.store_items(db, items, actor_id=job["created_by"], chunk_size=20, progress=advanced,
                               max_chars=params.get("max_chars"))
    return _report_result(report, lambda o: {"claims_new": getattr(o, "claims_new", 0)})


def _work_claimreview_import(db: Store, job: dict, files: list[tuple[str, bytes]], progress: _Progress) -> dict:
    """Import ClaimReview files (params: base_url)."""
    base_url = check_base_url(job["params"].get("base_url"))
    report, total, done = new_import_report(), sum(len(data) for _, data in files), 0
    progress(0, total)
    for name, data in files:
        import_bytes(db, os.path.basename(name) or "upload", data, base_url=base_url, actor_id=job["created_by"],
                     report=report)
        done += len(data)
        progress(done, total)
    return _report_result(report, lambda o: {"warnings": o.warnings})


def _report_result(report: Report, extra: Callable) -> dict:
    """Return a report as a job's JSON result: its counts, its line and the outcomes worth listing."""
    shown = sorted(report.listing(SHOWN_OUTCOMES), key=lambda o: not (o.problem or o.warnings))  # problems first
    return {
        "line": report.line(), "counts": dict(report.counts), "outcomes_total": len(report.outcomes),
        "outcomes": [{"where": o.where, "status": o.status, "reason": o.reason, "stored_id": o.stored_id,
                      "title": o.title, "url": o.url, **extra(o)} for o in shown],
    }


WORK = {"ingest": _work_ingest, "claimreview-import": _work_claimreview_import}


# -- the embedded runner ----------------------------------------------------------------------------
class Runner:
    """Work queued jobs in a thread of this process: started by :meth:`wake`, ending when none is left.

    :param open_db: opens a store of its own for the thread (a connection is not shared across threads).
    """

    def __init__(self, open_db: Callable[[], Store]):
        self.open_db = open_db
        self.worker = worker_name()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pending = False
        self._stop = threading.Event()

    def wake(self) -> None:
        """Make sure a thread works the queued jobs (a new one when none is running)."""
        with self._lock:
            self._pending = True
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="claimdesk-jobs", daemon=True)
                self._thread.start()

    def wait_idle(self, timeout: float | None = None) -> bool:
        """Wait until the thread has worked every job it found; True when it did within ``timeout``."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
            return not thread.is_alive()
        return True

    def stop(self) -> None:
        """Stop taking jobs (the current one runs to its end)."""
        self._stop.set()

    def _run(self) -> None:
        lower_priority()  # this thread only: the request threads beside it come first
        db = self.open_db()
        try:
            fail_abandoned(db)
            while True:
                with self._lock:
                    self._pending = False
                work_pending(db, self.worker, stop=self._stop)
                with self._lock:
                    if not self._pending or self._stop.is_set():
                        self._thread = None  # a wake() from now on starts a new thread
                        return
        finally:
            db.close()
