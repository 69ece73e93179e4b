"""Public, read-only fact-check pages (no login), with ClaimReview JSON-LD embedded."""

from flask import Blueprint, abort, redirect, render_template, url_for
from markupsafe import Markup

from app.db import get_db
from app.publishing import publisher
from review import claims, verdicts
from review.claimreview.build import build, first_published_at, public_path
from review.evidence import list_evidence
from review.ratings import get_rating

bp = Blueprint("public", __name__, url_prefix="/fact-checks")


@bp.get("/")
def index():
    db = get_db()
    items = [(v, public_path(v["claim_id"], v["claim_reviewed"]))
             for v in reversed(verdicts.published_since(db))]
    return render_template("public/index.html", items=items[:100], org=publisher())


@bp.get("/<int:claim_id>/")
@bp.get("/<int:claim_id>/<slug>")
def show(claim_id: int, slug: str = ""):
    db = get_db()
    verdict = verdicts.published_revision(db, claim_id) or verdicts.retracted_revision(db, claim_id)
    if verdict is None:
        abort(404, description="There is no published fact-check at this address.")
    canonical = public_path(claim_id, verdict["claim_reviewed"])
    if url_for("public.show", claim_id=claim_id, slug=slug) != canonical:
        return redirect(canonical, code=301)
    if verdict["status"] == "retracted":
        return retraction_notice(db, claim_id, verdict)
    record = build(db, claim_id, verdict, publisher())
    return render_template(
        "public/show.html", verdict=verdict, claim=claims.get_claim(db, claim_id), record=record,
        rating=get_rating(db, verdict["rating_key"]), org=publisher(),
        explanation=Markup(verdicts.render_explanation(verdict["explanation"])),
        corrections=verdicts.corrections(db, claim_id), evidence=list_evidence(db, claim_id),
    )


def retraction_notice(db, claim_id: int, verdict: dict):
    """Show what was retracted, when and why; no ClaimReview markup, as the verdict no longer stands."""
    return render_template("public/retracted.html", verdict=verdict, claim=claims.get_claim(db, claim_id),
                           rating=get_rating(db, verdict["rating_key"]), org=publisher(),
                           first_published=first_published_at(db, claim_id))
