"""Documents: the list, the reader, and the "Add article" page."""

from flask import Blueprint, g, make_response, redirect, render_template, request, url_for

from app.db import get_db
from app.htmx import toast
from review import claims, documents
from review.errors import ValidationError

bp = Blueprint("documents", __name__, url_prefix="/documents")


@bp.get("/")
def index():
    page = documents.list_documents(get_db(), cursor=request.args.get("cursor", type=int))
    return render_template("documents/index.html", page=page)


@bp.route("/new", methods=["GET", "POST"])
def new():
    form = request.form
    if request.method == "GET":
        return render_template("documents/new.html", form={}, errors={})
    try:
        result = documents.add_pasted(get_db(), text=form.get("text", ""), title=form.get("title", ""),
                                      source=form.get("source", ""), url=form.get("url", ""), actor_id=g.user["id"])
    except ValidationError as error:
        return render_template("documents/new.html", form=form, errors=error.fields), 422
    return redirect(url_for("documents.show", document_id=result.document_id, added=result.status), code=303)


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
