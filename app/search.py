"""The search page: the corpus and prior verdicts."""

from flask import Blueprint, render_template, request
from jinja2_fragments.flask import render_block

from app.db import get_index
from app.htmx import wants_fragment

bp = Blueprint("search", __name__, url_prefix="/search")


@bp.get("/")
def index():
    q = request.args.get("q", "")
    kind = "verdict" if request.args.get("kind") == "verdict" else "document"
    filters = {name: request.args.get(name, "") for name in ("source", "date_from", "date_to", "rating", "publisher")}
    sort = "date" if request.args.get("sort") == "date" else "relevance"
    page = request.args.get("page", 1, type=int)
    results = get_index().search(q, kind=kind, filters=filters, sort=sort, page=page, page_size=20)
    context = dict(q=q, kind=kind, filters=filters, sort=sort, results=results)
    if wants_fragment("search-results"):
        return render_block("search/index.html", "search_results", **context)
    return render_template("search/index.html", **context)
