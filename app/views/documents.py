"""Documents: the list, the reader, the "Add article" page and the progress of ingest jobs."""

from flask import (
    Blueprint,
    current_app,
    g,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from jinja2_fragments.flask import render_block

from app import jobs as job_runner
from app.db import get_db
from app.htmx import toast, wants_fragment
from review import claims, documents, jobs
from review.errors import ValidationError
from review.extraction.explain import why_no_claims
from review.ingest import readers, store
from review.urls import clean_url

bp = Blueprint("documents", __name__, url_prefix="/documents")
MODES = ("paste", "upload", "url")


@bp.get("/")
def index():
    page = documents.list_documents(get_db(), cursor=request.args.get("cursor", type=int))
    return render_template("documents/index.html", page=page)


@bp.route("/new", methods=["GET", "POST"])
def new():
    mode = request.values.get("mode") if request.values.get("mode") in MODES else "paste"
    if request.method == "GET":
        return _new_page(mode)
    form, limit = request.form, current_app.config.get("MAX_DOCUMENT_CHARS")
    try:
        if mode == "paste" and len(form.get("text", "")) <= store.INLINE_PASTE_CHARS:
            outcome = store.add_pasted(get_db(), text=form.get("text", ""), actor_id=g.user["id"], max_chars=limit,
                                       **{name: form.get(name, "") for name in store.PASTE_FIELDS})
            return redirect(url_for("documents.show", document_id=outcome.document_id, added=outcome.status), code=303)
        job_id = _start_ingest(mode, form, limit)
    except ValidationError as error:
        return _new_page(mode, form=form, errors=error.fields), 422
    return redirect(url_for("documents.job", job_id=job_id), code=303)


def _start_ingest(mode: str, form, limit: int | None) -> int:
    """Queue a long paste, an upload or a URL fetch as a job; refuse what cannot be stored at once."""
    params, files = {"source": form.get("source", "").strip(), "max_chars": limit}, []
    if mode == "paste":
        fields = {name: form.get(name, "") for name in store.PASTE_FIELDS}
        store.check_pasted(form["text"], max_chars=limit, **fields)
        params["paste"], files = fields, [("pasted text", form["text"].encode("utf-8"))]
    elif mode == "url":
        params.update(url=clean_url(form.get("url"), "url", required=True),
                      allow_private=current_app.config["ALLOW_PRIVATE_URLS"])
    else:
        files = [(f.filename, f.read()) for f in request.files.getlist("files") if f and f.filename]
        readers.read_uploads(files)  # refuses an upload without files before queueing
    return job_runner.start(get_db(), "ingest", params, files=files, actor_id=g.user["id"])


def _new_page(mode: str, *, form=None, errors=None):
    recent = jobs.recent_jobs(get_db(), "ingest", limit=5) if mode != "paste" else []
    return render_template("documents/new.html", form=form or {}, errors=errors or {}, mode=mode, recent=recent)


@bp.get("/jobs/<int:job_id>")
def job(job_id: int):
    """Show an ingest job: a progress bar the page polls while it runs, then its results."""
    job = job_runner.show(get_db(), job_id, "ingest")
    if wants_fragment("job"):
        return job_runner.fragment(render_block("documents/job.html", "job_panel", job=job), job)
    return render_template("documents/job.html", job=job)


@bp.get("/<int:document_id>")
def show(document_id: int):
    db = get_db()
    document = documents.get_document(db, document_id)
    found = documents.document_claims(db, document_id)
    passages = documents.highlight_claims(document["body"], found,
                                          documents.parse_span(request.args.get("passage"), document["body"]))
    empty_reason = why_no_claims(document) if not found else None
    response = make_response(render_template("documents/show.html", document=document, claims=found,
                                             passages=passages, empty_reason=empty_reason))
    added = request.args.get("added")
    if added == "added":
        toast(response, f"Article added: {len(found)} claims extracted." if found
              else "Article added: no claims found (the page says why).")
    elif added == "duplicate":
        toast(response, "This article was already stored; here is the stored copy.")
    return response


@bp.post("/<int:document_id>/claims")
def add_claim(document_id: int):
    claim = claims.create_claim_from_selection(get_db(), document_id, request.form.get("text", ""),
                                               actor_id=g.user["id"])
    return redirect(url_for("claims.show", claim_id=claim["id"]), code=303)
