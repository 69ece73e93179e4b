"""Documents: the list, the reader, and the "Add article" page."""

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

from app.db import get_db
from app.htmx import toast
from review import claims, documents, ingest
from review.errors import ValidationError

bp = Blueprint("documents", __name__, url_prefix="/documents")


@bp.get("/")
def index():
    page = documents.list_documents(get_db(), cursor=request.args.get("cursor", type=int))
    return render_template("documents/index.html", page=page)


MODES = ("paste", "upload", "url")


@bp.route("/new", methods=["GET", "POST"])
def new():
    form = request.form
    mode = request.values.get("mode", "paste") if request.values.get("mode") in MODES else "paste"
    if request.method == "GET":
        return render_template("documents/new.html", form={}, errors={}, mode=mode, results=None)
    try:
        if mode == "paste":
            results = [documents.add_pasted(get_db(), text=form.get("text", ""), title=form.get("title", ""),
                                            source=form.get("source", ""), url=form.get("url", ""),
                                            actor_id=g.user["id"])]
            failures = []
        elif mode == "url":
            record = ingest.fetch_url(form.get("url", ""), allow_private=current_app.config["ALLOW_PRIVATE_URLS"])
            results = documents.add_records(get_db(), [record], origin="url", source=form.get("source", ""),
                                            actor_id=g.user["id"])
            failures = []
        else:
            results, failures = upload(request.files.getlist("files"), form.get("source", ""))
    except ValidationError as error:
        return render_template("documents/new.html", form=form, errors=error.fields, mode=mode, results=None), 422
    stored = [r for r in results if r.document_id]
    if len(results) == 1 and stored and not failures:
        return redirect(url_for("documents.show", document_id=stored[0].document_id, added=stored[0].status), code=303)
    return render_template("documents/new.html", form={}, errors={}, mode=mode,
                           results={"items": results, "failures": failures})


def upload(files, source: str) -> tuple[list, list[str]]:
    """Read uploaded files; return what happened to each record and what could not be read."""
    files = [f for f in files if f and f.filename]
    if not files:
        raise ValidationError({"files": "choose one or more files (text, HTML, JSON, JSONL or a feed)"})
    results, failures = [], []
    for file in files:
        parsed = ingest.upload_record(file.filename, file.read(), source=source.strip() or None)
        failures += parsed.failures
        results += documents.add_records(get_db(), parsed.records, origin="upload", actor_id=g.user["id"])
    return results, failures


@bp.get("/<int:document_id>")
def show(document_id: int):
    db = get_db()
    document = documents.get_document(db, document_id)
    claims = documents.document_claims(db, document_id)
    passages = documents.highlight_claims(document["body"], claims)
    response = make_response(render_template("documents/show.html", document=document, claims=claims, passages=passages))
    added = request.args.get("added")
    if added == "added":
        toast(response, f"Article added: {len(claims)} claims extracted.")
    elif added == "duplicate":
        toast(response, "This article was already stored; here is the stored copy.")
    return response


@bp.post("/<int:document_id>/claims")
def add_claim(document_id: int):
    claim = claims.create_claim_from_selection(get_db(), document_id, request.form.get("text", ""),
                                               actor_id=g.user["id"])
    return redirect(url_for("claims.show", claim_id=claim["id"]), code=303)
