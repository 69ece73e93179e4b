"""The OpenAPI 3 description of /api/v1 (a test checks every route is described)."""

import re

ERROR = {"$ref": "#/components/responses/Error"}
JSON_OBJECT = {"content": {"application/json": {"schema": {"type": "object"}}}}


def op(summary: str, *, body: dict | None = None, params: list | None = None, ok: str = "200") -> dict:
    operation = {
        "summary": summary,
        "responses": {ok: {"description": "OK", **JSON_OBJECT}, "400": ERROR, "401": ERROR, "403": ERROR,
                      "404": ERROR, "409": ERROR, "422": ERROR},
    }
    if params:
        operation["parameters"] = [{"name": n, "in": "query", "schema": {"type": t}} for n, t in params]
    if body:
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "properties": {k: {"type": v} for k, v in body.items()}}}}}
    return operation


CLAIM_ID = {"name": "claim_id", "in": "path", "required": True, "schema": {"type": "integer"}}
DOCUMENT_ID = {"name": "document_id", "in": "path", "required": True, "schema": {"type": "integer"}}
QUEUE_FILTERS = [("status", "string"), ("q", "string"), ("source", "string"), ("claimant", "string"),
                 ("type", "string"), ("tag", "string"), ("assignee", "string"), ("date_from", "string"),
                 ("date_to", "string"), ("sort", "string"), ("cursor", "string"), ("limit", "integer")]

PATHS = {
    "/api/v1/me": {"get": op("Who the token belongs to")},
    "/api/v1/documents": {"post": op("Add an article; claims are extracted", ok="201", body={
        "title": "string", "body": "string", "url": "string", "source": "string", "published_at": "string",
        "language": "string"})},
    "/api/v1/documents/{document_id}": {"parameters": [DOCUMENT_ID], "get": op("A document and its claims")},
    "/api/v1/claims": {
        "get": op("The queue: claims by status with filters, cursor-paged", params=QUEUE_FILTERS),
        "post": op("Create a claim without a document", ok="201", body={
            "text": "string", "claimant": "string", "url": "string", "appeared_at": "string"}),
    },
    "/api/v1/claims/{claim_id}": {
        "parameters": [CLAIM_ID],
        "get": op("A claim with its allowed actions, evidence and verdict"),
        "patch": op("Edit the claim as reviewed (needs the current version)", body={
            "version": "integer", "text": "string", "claimant": "string", "claimant_kind": "string",
            "claim_type": "string"}),
    },
    "/api/v1/claims/{claim_id}/actions": {"parameters": [CLAIM_ID], "post": op(
        "Apply a workflow action (accept, dismiss, take, start, submit, merge, assign, send_back, approve, reopen,"
        " correct); a stale version answers 409", body={
            "action": "string", "version": "integer", "reason": "string", "comment": "string",
            "assignee_id": "integer", "target_id": "integer"})},
    "/api/v1/claims/{claim_id}/evidence": {
        "parameters": [CLAIM_ID],
        "get": op("The claim's evidence"),
        "post": op("Attach evidence: a document or an external URL", ok="201", body={
            "document_id": "integer", "url": "string", "title": "string", "excerpt": "string",
            "archive_url": "string", "stance": "string", "note": "string"}),
    },
    "/api/v1/claims/{claim_id}/verdict": {
        "parameters": [CLAIM_ID],
        "get": op("Every revision of the claim's verdict"),
        "put": op("Save the draft verdict (needs the claim's current version)", body={
            "version": "integer", "rating_key": "string", "conclusion": "string", "claim_reviewed": "string",
            "explanation": "string", "article_url": "string", "language": "string", "correction_note": "string"}),
    },
    "/api/v1/search": {"get": op("Search documents or verdicts", params=[
        ("q", "string"), ("kind", "string"), ("source", "string"), ("date_from", "string"), ("date_to", "string"),
        ("rating", "string"), ("publisher", "string"), ("sort", "string"), ("page", "integer"),
        ("page_size", "integer")])},
    "/api/v1/match": {"get": op("Prior verdicts that may review the same claim", params=[
        ("text", "string"), ("limit", "integer")])},
    "/api/v1/claimreview": {"get": op("Published verdicts as a ClaimReview DataFeed", params=[("since", "string")])},
    "/api/v1/openapi.json": {"get": {"summary": "This description", "security": [],
                                     "responses": {"200": {"description": "OK", **JSON_OBJECT}}}},
}


def describe(app) -> dict:
    """Return the OpenAPI document for the routes the app actually has."""
    present = {_path(rule.rule) for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1/")}
    return {
        "openapi": "3.0.3",
        "info": {"title": "Claimdesk API", "version": "1", "description":
                 "Bearer tokens from `claimdesk user token NAME`. Errors: {\"error\": {\"message\", \"fields\"}}."},
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}],
        "paths": {path: spec for path, spec in PATHS.items() if path in present},
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "responses": {"Error": {"description": "An error", "content": {"application/json": {"schema": {
                "type": "object", "properties": {"error": {"type": "object", "properties": {
                    "message": {"type": "string"}, "fields": {"type": "object"}}}}}}}}},
        },
    }


def _path(rule: str) -> str:
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule)
