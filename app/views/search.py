"""The search page: the corpus and prior verdicts."""

import re

from flask import Blueprint, render_template, request, url_for
from jinja2_fragments.flask import render_blocks

from app.db import get_db, get_index
from app.htmx import wants_fragment
from review import documents
from review.ratings import list_scale
from search_index import FILTERS

bp = Blueprint("search", __name__, url_prefix="/search")


def run_search(args, *, page_size: int = 20) -> dict:
    """Read a search from request arguments and run it; return the template context."""
    q = args.get("q", "")
    kind = "verdict" if args.get("kind") == "verdict" else "document"
    filters = {name: args.get(name, "") for name in FILTERS}
    sort = "date" if args.get("sort") == "date" else "relevance"
    page = max(1, args.get("page", 1, type=int) or 1)
    results = get_index().search(q, kind=kind, filters=filters, sort=sort, page=page, page_size=page_size)
    return dict(q=q, kind=kind, filters=filters, sort=sort, results=results)


DATE_TERMS = re.compile(r"(?<![\w:])(?:date|published):\S*", re.IGNORECASE)
SOURCE_TERM = re.compile(r"(?<![\w:])source:(\"[^\"]*\"|'[^']*'|\S+)", re.IGNORECASE)


def undated_notice(context: dict) -> dict | None:
    """Hook: when a date filter leaves out undated documents, say how many and link the search without it."""
    filters, q = context["filters"], context["q"]
    if context["kind"] != "document" or not (filters.get("date_from") or filters.get("date_to") or DATE_TERMS.search(q)):
        return None
    typed = SOURCE_TERM.search(q)
    source = filters.get("source") or (typed.group(1).strip("\"'") if typed else None)
    count = documents.count_undated(get_db(), source=source)
    if not count:
        return None
    wider = {k: v for k, v in filters.items() if v and k not in ("date_from", "date_to")}
    return {"count": count, "source": source, "url": url_for("search.index", q=" ".join(DATE_TERMS.sub(" ", q).split()),
                                                            kind="document", sort=context["sort"], **wider)}


@bp.get("/")
def index():
    context = run_search(request.args)
    context["undated"] = undated_notice(context)

    def page_url(n: int) -> str:
        return url_for("search.index", q=context["q"], kind=context["kind"], sort=context["sort"], page=n,
                       **{k: v for k, v in context["filters"].items() if v})

    if wants_fragment("search-results"):
        # The tabs follow the typed query out of band, so switching tabs keeps it.
        return render_blocks("search/index.html", ["search_results", "search_tabs"], page_url=page_url,
                             attach_to=None, oob=True, **context)
    return render_template("search/index.html", page_url=page_url, attach_to=None,
                           scale=list_scale(get_db(), active_only=True), **context)
