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
from review import claims, documents
from review.ingest import fetch, readers, store
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
            report = store.new_report()
            report.add(store.add_pasted(get_db(), text=form.get("text", ""), title=form.get("title", ""),
                                        source=form.get("source", ""), url=form.get("url", ""),
                                        actor_id=g.user["id"]))
        elif mode == "url":
            item = fetch.fetch_item(form.get("url", ""), source=form.get("source", ""),
                                    allow_private=current_app.config["ALLOW_PRIVATE_URLS"])
            report = store.store_items(get_db(), [item], actor_id=g.user["id"], strict=True)
        else:
            items = readers.read_uploads([(f.filename, f.read()) for f in request.files.getlist("files") if f],
                                         source=form.get("source", ""))
            report = store.store_items(get_db(), items, actor_id=g.user["id"])
    except ValidationError as error:
        return render_template("documents/new.html", form=form, errors=error.fields, mode=mode, results=None), 422
    stored = [o for o in report.outcomes if o.document_id]
    if len(report.outcomes) == 1 and stored:
        return redirect(url_for("documents.show", document_id=stored[0].document_id, added=stored[0].status), code=303)
    return render_template("documents/new.html", form={}, errors={}, mode=mode,
                           results={"items": report.outcomes, "failures": report.problems})


@bp.get("/<int:document_id>")
def show(document_id: int):
    db = get_db()
    document = documents.get_document(db, document_id)
    claims = documents.document_claims(db, document_id)
    passages = documents.highlight_claims(document["body"], claims,
                                          documents.parse_span(request.args.get("passage"), document["body"]))
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
