"""The JSON API under /api/v1: Bearer tokens only, one error envelope, an OpenAPI description."""

from dataclasses import asdict

from flask import Blueprint, current_app, g, jsonify, request, url_for

from app.db import get_db, get_index
from app.publishing import publisher, workflow_settings
from app.views.openapi import check_request, describe
from app.security import csrf
from review import (
    authorship,
    claims,
    documents,
    evidence,
    queue,
    second_rating,
    users,
    verdicts,
    workflow,
)
from review.claimreview.export import as_datafeed, export_records
from review.dates import clean_day
from review.errors import Unauthorized, ValidationError
from review.ingest import store
from review.scorers import rank_matches
from search_index import FILTERS

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
PUBLIC_ENDPOINTS = {"api.openapi"}


@bp.before_request
def authenticate():
    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    user = users.user_for_token(get_db(), token.strip()) if scheme.lower() == "bearer" and token else None
    if user is None:
        raise Unauthorized("Send a valid API token as 'Authorization: Bearer <token>'.")
    g.user = user


@bp.before_request
def check_against_declaration():
    """Refuse what the OpenAPI declaration refuses before a view runs; keep the checked body in g.body."""
    if request.url_rule is None or request.method == "OPTIONS":
        return
    method = "GET" if request.method == "HEAD" else request.method
    g.body = check_request(request.url_rule.rule, method, request.view_args or {}, request.args,
                           request.content_type or "", request.get_data(cache=True))


@bp.get("/me")
def me():
    return jsonify({"id": g.user["id"], "username": g.user["username"], "role": g.user["role"]})


@bp.post("/documents")
def create_document():
    data = g.body
    text = data.get("body") or data.get("text") or ""
    if not text.strip():
        raise ValidationError({"body": "required: the article text"})
    result = store.add_document(
        get_db(), body=text, title=data.get("title"), url=data.get("url"), source=data.get("source") or "",
        published_at=data.get("published_at"), language=data.get("language"), origin="api", actor_id=g.user["id"],
        max_chars=current_app.config.get("MAX_DOCUMENT_CHARS"),
    )
    status = 201 if result.status == "added" else 200
    body = {"status": result.status, "id": result.document_id, "claims_new": result.claims_new,
            "claims_linked": result.claims_linked}
    if result.document_id:
        body["url"] = url_for("api.get_document", document_id=result.document_id)
    return jsonify(body), status


@bp.get("/documents/<int:document_id>")
def get_document(document_id: int):
    db = get_db()
    document = documents.get_document(db, document_id)
    document["claims"] = documents.document_claims(db, document_id)
    return jsonify(document)


@bp.get("/claims")
def list_claims():
    args = request.args
    limit = args.get("limit", queue.PAGE_SIZE, type=int)
    page = queue.list_queue(get_db(), tab=args.get("status") or "new", user_id=g.user["id"],
                            sort=args.get("sort", "priority"),
                            cursor=args.get("cursor"), limit=limit,
                            filters={name: args.get(name, "") for name in queue.FILTERS})
    return jsonify({"claims": page.rows, "next_cursor": page.next_cursor})


def claim_payload(claim_id: int) -> dict:
    db = get_db()
    claim = claims.get_claim(db, claim_id)
    draft = verdicts.open_revision(db, claim_id)
    actions = workflow.actions_for(claim, g.user, authorship.with_authors(db, draft),
                                   require_other_approver=workflow_settings()["require_other_approver"])
    claim["allowed_actions"] = [t.name for t in actions]
    claim["evidence"] = evidence.list_evidence(db, claim_id)
    claim["verdict"] = (draft or verdicts.published_revision(db, claim_id)
                        or verdicts.retracted_revision(db, claim_id))
    if claim["verdict"] and second_rating.is_blind(db, claim_id, g.user):
        claim["verdict"] = None  # the first rating stays hidden from the blind second checker
    claim["second_rating"] = second_rating.api_view(db, claim, g.user)
    return claim


@bp.get("/claims/<int:claim_id>")
def get_claim(claim_id: int):
    return jsonify(claim_payload(claim_id))


@bp.post("/claims")
def create_claim():
    data = g.body
    claim = claims.create_manual_claim(get_db(), text=data["text"], claimant=data.get("claimant") or "",
                                       url=data.get("url") or "", appeared_at=data.get("appeared_at") or "",
                                       actor_id=g.user["id"])
    return jsonify(claim_payload(claim["id"])), 201


@bp.patch("/claims/<int:claim_id>")
def edit_claim(claim_id: int):
    data = g.body
    claims.update_claim(get_db(), claim_id, g.user, version=data["version"],
                        **{k: data.get(k) for k in claims.EDITABLE if k in data})
    return jsonify(claim_payload(claim_id))


@bp.post("/claims/<int:claim_id>/actions")
def claim_action(claim_id: int):
    data = g.body
    workflow.apply_action(get_db(), claim_id, data["action"], g.user, version=data["version"],
                          reason=data.get("reason"), comment=data.get("comment"),
                          assignee_id=data.get("assignee_id"), target_id=data.get("target_id"),
                          **workflow_settings())
    return jsonify(claim_payload(claim_id))


@bp.get("/claims/<int:claim_id>/evidence")
def list_claim_evidence(claim_id: int):
    claims.get_claim(get_db(), claim_id)
    return jsonify({"evidence": evidence.list_evidence(get_db(), claim_id)})


@bp.post("/claims/<int:claim_id>/evidence")
def add_claim_evidence(claim_id: int):
    data = g.body
    item = evidence.add_evidence(get_db(), claim_id, g.user, document_id=data.get("document_id"),
                                 **{k: data.get(k) or "" for k in ("url", "title", "excerpt", "archive_url", "note")},
                                 stance=data.get("stance") or "context")
    return jsonify(item), 201


@bp.get("/claims/<int:claim_id>/verdict")
def get_verdict(claim_id: int):
    db = get_db()
    claims.get_claim(db, claim_id)
    return jsonify({"revisions": second_rating.visible_revisions(db, claim_id, g.user,
                                                                 verdicts.revisions(db, claim_id))})


@bp.put("/claims/<int:claim_id>/verdict")
def put_verdict(claim_id: int):
    data = g.body
    fields = {k: data.get(k) for k in verdicts.EDITABLE if k in data}
    verdict = verdicts.edit_draft(get_db(), claim_id, g.user, fields, version=data["version"])
    return jsonify(verdict)


@bp.get("/search")
def search():
    args = request.args
    results = get_index().search(args.get("q", ""), kind=args.get("kind") or "document",
                                 filters={k: args.get(k, "") for k in FILTERS},
                                 sort=args.get("sort", "relevance"), page=args.get("page", 1, type=int) or 1,
                                 page_size=min(args.get("page_size", 20, type=int) or 20, 100))
    hits = [{"kind": h.kind, "id": h.id, "score": h.score, "title": h.fields.get("title"),
             "url": h.fields.get("url"), "source": h.fields.get("source_name"),
             "published": h.fields["published"].isoformat() if h.fields.get("published") else None,
             "snippet": str(h.snippet)} for h in results.hits]
    return jsonify({"total": results.total, "estimated": results.estimated, "notice": results.notice,
                    "page": results.page, "hits": hits})


@bp.get("/match")
def match():
    text = request.args.get("text", "")
    if not text.strip():
        raise ValidationError({"text": "required: the claim to look up"})
    limit = min(max(request.args.get("limit", 5, type=int) or 5, 1), 50)
    return jsonify({"matches": [asdict(m) for m in rank_matches(get_db(), get_index(), text, limit=limit)]})


@bp.get("/claimreview")
def claimreview_feed():
    records, refused = export_records(get_db(), publisher(), clean_day(request.args.get("since"), "since"))
    feed = as_datafeed(records, publisher())
    feed["refused"] = refused
    return jsonify(feed)


@bp.get("/openapi.json")
def openapi():
    return jsonify(describe(current_app))
