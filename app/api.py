"""The JSON API under /api/v1: Bearer tokens only, one error envelope."""

from flask import Blueprint, g, jsonify, request, url_for

from app.db import get_db
from app.security import csrf
from review import documents, users
from review.errors import Unauthorized, ValidationError

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


@bp.before_request
def authenticate():
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    user = users.user_for_token(get_db(), token.strip()) if scheme.lower() == "bearer" and token else None
    if user is None:
        raise Unauthorized("Send a valid API token as 'Authorization: Bearer <token>'.")
    g.user = user


def json_body() -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ValidationError({"body": "send a JSON object with Content-Type: application/json"})
    return data


@bp.get("/me")
def me():
    return jsonify({"id": g.user["id"], "username": g.user["username"], "role": g.user["role"]})


@bp.post("/documents")
def create_document():
    data = json_body()
    text = data.get("body") or data.get("text") or ""
    if not isinstance(text, str) or not text.strip():
        raise ValidationError({"body": "required: the article text"})
    result = documents.add_document(
        get_db(), body=text, title=data.get("title"), url=data.get("url"), source=data.get("source") or "",
        published_at=data.get("published_at"), language=data.get("language"), origin="api", actor_id=g.user["id"],
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
