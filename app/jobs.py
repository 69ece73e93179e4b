"""The serving process's job runner: one per app, started when a job is queued or a waiting one is seen."""

from flask import Flask, Response, current_app, make_response

from app.htmx import toast

from review import jobs
from review.storage import open_store


def runner(app: Flask | None = None) -> jobs.Runner:
    """Return the app's job runner (a thread in this process, see :class:`review.jobs.Runner`)."""
    app = app or current_app._get_current_object()
    found = app.extensions.get("claimdesk.jobs")
    if found is None:
        path = app.config["DB"]
        found = app.extensions["claimdesk.jobs"] = jobs.Runner(lambda: open_store(path))
    return found


def start(db, kind: str, params: dict, *, files=(), actor_id: int | None = None) -> int:
    """Queue a job and wake the runner; return the job's id."""
    job_id = jobs.enqueue(db, kind, params, files=files, actor_id=actor_id)
    wake()
    return job_id


def wake() -> None:
    """Have this process work queued jobs, unless RUN_JOBS leaves them to `claimdesk worker` processes."""
    if current_app.config["RUN_JOBS"]:
        runner().wake()


def show(db, job_id: int, kind: str) -> dict:
    """Return a job for its page, waking the runner when jobs wait (queued before a restart)."""
    job = jobs.get_job(db, job_id, kind=kind)
    if job["state"] == "queued":
        wake()
    return job


def fragment(body: str, job: dict) -> Response:
    """Answer a poll of a job; the poll that finds it finished also says so in a toast."""
    response = make_response(body)
    if job["state"] == "failed":
        return toast(response, f"{job['label']} failed: {job['error']}", "error")
    if job["state"] == "done":
        counts = job["result"]["counts"]
        stored = counts.get("added", 0) + counts.get("updated", 0) + counts.get("duplicate", 0)
        problems = counts.get("failed", 0) + counts.get("refused", 0)
        verb = "Imported" if job["kind"] == "claimreview-import" else "Ingested"
        return toast(response, f"{verb}: {job['result']['line']}.", "error" if problems and not stored else "info")
    return response
