"""The one declaration of /api/v1: the OpenAPI description readers get, and the schemas every request is checked against.

Each operation declares its path and query parameters and, when it takes a body, the
JSON Schema of that body. :func:`describe` serves the declaration at
``/api/v1/openapi.json``; :func:`check_request` checks a request against the same
declaration before the view runs, so a wrong type, an id out of range or a body that is
not a JSON object is refused with 400 or 422 in the error envelope, never reaching the
domain. Tests assert that every /api/v1 route is declared, with a body schema for every
method that takes a body.
"""

import re

from jsonschema import Draft202012Validator

from review import claims, evidence, queue, verdicts, workflow
from review.errors import ReviewError, ValidationError
from review.jsontext import BadJson, load_json
from review.states import DISMISS_REASONS
from search_index import FILTERS as SEARCH_FILTERS

MAX_ID = 2**63 - 1  # the largest id SQLite and PostgreSQL store
MAX_DEPTH = 16  # bodies are flat objects; deeper JSON is refused before it is walked
ID = {"type": "integer", "minimum": 1, "maximum": MAX_ID}
VERSION = {"type": "integer", "minimum": 0, "maximum": MAX_ID, "description": "the claim's current version"}
TEXT = {"type": ["string", "null"]}
ERROR = {"$ref": "#/components/responses/Error"}
JSON_OBJECT = {"content": {"application/json": {"schema": {"type": "object"}}}}
BODY_METHODS = ("post", "put", "patch")


def body(properties: dict, *, required: tuple[str, ...] = ()) -> dict:
    """Return the JSON Schema of a request body: an object with these properties and no others."""
    return {"type": "object", "properties": properties, "required": list(required), "additionalProperties": False}


def texts(*names: str) -> dict:
    return {name: TEXT for name in names}


def op(summary: str, *, schema: dict | None = None, params: list | None = None, ok: str = "200",
       also: dict[str, str] | None = None) -> dict:
    """Describe one operation; ``also`` names other successful answers (status: what it means)."""
    operation = {
        "summary": summary,
        "parameters": [{"name": n, "in": "query", "schema": s} for n, s in params or []],
        "responses": {ok: {"description": "OK", **JSON_OBJECT},
                      **{code: {"description": why, **JSON_OBJECT} for code, why in (also or {}).items()},
                      "400": ERROR, "401": ERROR, "403": ERROR, "404": ERROR, "409": ERROR, "422": ERROR},
    }
    if schema is not None:
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": schema}}}
    return operation


def query_text(*names: str) -> list:
    return [(name, {"type": "string"}) for name in names]


def bounded(low: int, high: int) -> dict:
    return {"type": "integer", "minimum": low, "maximum": high}


CLAIM_ID = {"name": "claim_id", "in": "path", "required": True, "schema": ID}
DOCUMENT_ID = {"name": "document_id", "in": "path", "required": True, "schema": ID}
STATUSES = [key for key, _ in queue.TABS] + list(queue.OTHER_TABS)  # every tab the queue lists

PATHS = {
    "/api/v1/me": {"get": op("Who the token belongs to")},
    "/api/v1/documents": {"post": op("Add an article; claims are extracted (body or text is required)", ok="201",
                                     also={"200": "Not added: already stored (status duplicate) or skipped"},
                                     schema=body(texts("title", "body", "text", "url", "source", "published_at",
                                                       "language")))},
    "/api/v1/documents/{document_id}": {"parameters": [DOCUMENT_ID], "get": op("A document and its claims")},
    "/api/v1/claims": {
        "get": op("The queue: claims by status with filters, cursor-paged", params=[
            ("status", {"type": "string", "enum": STATUSES}), *query_text(*queue.FILTERS, "sort", "cursor"),
            ("limit", bounded(1, 500))]),
        "post": op("Create a claim without a document", ok="201", schema=body(
            {"text": {"type": "string"}, **texts("claimant", "url", "appeared_at")}, required=("text",))),
    },
    "/api/v1/claims/{claim_id}": {
        "parameters": [CLAIM_ID],
        "get": op("A claim with its allowed actions, evidence and verdict"),
        "patch": op("Edit the claim as reviewed (needs the current version)", schema=body(
            {"version": VERSION, **texts(*claims.EDITABLE)}, required=("version",))),
    },
    "/api/v1/claims/{claim_id}/actions": {"parameters": [CLAIM_ID], "post": op(
        f"Apply a workflow action ({', '.join(workflow.TRANSITIONS)}); a stale version answers 409", schema=body({
            "action": {"type": "string", "enum": list(workflow.TRANSITIONS)}, "version": VERSION,
            "reason": {"type": ["string", "null"], "description": f"to dismiss: {', '.join(DISMISS_REASONS)}"},
            "comment": TEXT, "assignee_id": {**ID, "type": ["integer", "null"]},
            "target_id": {**ID, "type": ["integer", "null"]}}, required=("action", "version")))},
    "/api/v1/claims/{claim_id}/evidence": {
        "parameters": [CLAIM_ID],
        "get": op("The claim's evidence"),
        "post": op("Attach evidence: a document or an external URL", ok="201", schema=body({
            "document_id": {**ID, "type": ["integer", "null"]},
            "stance": {"type": ["string", "null"], "enum": [*evidence.STANCES, None]},
            **texts("url", "title", "excerpt", "archive_url", "note")})),
    },
    "/api/v1/claims/{claim_id}/verdict": {
        "parameters": [CLAIM_ID],
        "get": op("Every revision of the claim's verdict"),
        "put": op("Save the draft verdict (needs the claim's current version)", schema=body(
            {"version": VERSION, **texts(*verdicts.EDITABLE)}, required=("version",))),
    },
    "/api/v1/search": {"get": op("Search documents or verdicts", params=[
        ("q", {"type": "string"}), ("kind", {"type": "string", "enum": ["document", "verdict"]}),
        *query_text(*SEARCH_FILTERS, "sort"), ("page", bounded(1, 10_000)), ("page_size", bounded(1, 100))])},
    "/api/v1/match": {"get": op("Prior verdicts that may review the same claim", params=[
        ("text", {"type": "string"}), ("limit", bounded(1, 50))])},
    "/api/v1/claimreview": {"get": op(
        "Published verdicts, and retracted ones marked Retracted without a rating, as a ClaimReview DataFeed",
        params=query_text("since"))},
    "/api/v1/openapi.json": {"get": {"summary": "This description", "security": [], "parameters": [],
                                     "responses": {"200": {"description": "OK", **JSON_OBJECT}}}},
}


def describe(app) -> dict:
    """Return the OpenAPI document for the routes the app actually has."""
    present = {openapi_path(rule.rule) for rule in app.url_map.iter_rules() if rule.rule.startswith("/api/v1/")}
    return {
        "openapi": "3.1.0",
        "info": {"title": "Claimdesk API", "version": "1", "description":
                 "Bearer tokens from `claimdesk user token NAME`. Errors: {\"error\": {\"message\", \"fields\"}}: "
                 "400 for a body that is not JSON, 422 for a value the declaration or the desk refuses."},
        "servers": [{"url": "/"}],
        "security": [{"bearer": []}],
        "paths": {path: spec for path, spec in PATHS.items() if path in present},
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "responses": {"Error": {"description": "An error", "content": {"application/json": {"schema": {
                "type": "object", "required": ["error"], "properties": {"error": {
                    "type": "object", "required": ["message", "fields"], "properties": {
                        "message": {"type": "string"}, "fields": {"type": "object"}}}}}}}}},
        },
    }


def openapi_path(rule: str) -> str:
    """Return a Flask rule (``/claims/<int:claim_id>``) as an OpenAPI path (``/claims/{claim_id}``)."""
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule)


def operation(rule: str, method: str) -> dict | None:
    """Return the declared operation of a route and method, with its path's parameters."""
    path = PATHS.get(openapi_path(rule))
    if path is None or method.lower() not in path:
        return None
    return {**path[method.lower()], "path_parameters": path.get("parameters", [])}


# -- checking requests against the declaration ---------------------------------------------------------
def check_request(rule: str, method: str, view_args: dict, args, content_type: str, data: bytes) -> dict | None:
    """Check a request against its operation; return the JSON body when the operation takes one.

    :raises ReviewError: (400) a body that is not UTF-8 or not JSON, or JSON nested too deeply.
    :raises ValidationError: (422) an undeclared route, a parameter or body field the declaration refuses.
    """
    declared = operation(rule, method)
    if declared is None:
        raise ValidationError({"path": f"{method} {rule} is not part of the API"})
    _check_parameters(declared["path_parameters"], view_args, path=True)
    _check_parameters(declared["parameters"], args, path=False)
    if "requestBody" not in declared:
        return None
    value = read_body(content_type, data)
    schema = declared["requestBody"]["content"]["application/json"]["schema"]
    errors = {}
    for error in _validator(schema).iter_errors(value):
        errors.update(_field_errors(error))
    if errors:
        raise ValidationError(dict(sorted(errors.items())))
    return value


def read_body(content_type: str, data: bytes):
    """Parse a request body as JSON.

    :raises ValidationError: no JSON body was sent.
    :raises ReviewError: (400) the body is not UTF-8, not JSON, or too deep.
    """
    mimetype = content_type.split(";", 1)[0].strip().lower()
    if not data.strip() or not (mimetype == "application/json" or mimetype.endswith("+json")):
        raise ValidationError({"body": "send a JSON object with Content-Type: application/json"})
    try:
        return load_json(data.decode("utf-8"), max_depth=MAX_DEPTH)
    except UnicodeDecodeError as error:
        raise ReviewError(f"The body is not UTF-8 (byte {error.start}).", {"body": "not UTF-8"}) from None
    except BadJson as error:
        raise ReviewError(f"The body is not read: {error}.", {"body": str(error)}) from None


def _check_parameters(parameters: list, values, *, path: bool) -> None:
    errors = {}
    for parameter in parameters:
        name, schema = parameter["name"], parameter["schema"]
        raw = values.get(name)
        if raw is None or (not path and raw == ""):
            continue
        value = raw
        if schema.get("type") == "integer" and not isinstance(raw, int):
            if not re.fullmatch(r"-?[0-9]{1,30}", raw):
                errors[name] = "must be an integer"
                continue
            value = int(raw)
        for error in _validator(schema).iter_errors(value):
            errors[name] = _reason(error)
    if errors:
        raise ValidationError(errors)


_VALIDATORS: dict[int, Draft202012Validator] = {}


def _validator(schema: dict) -> Draft202012Validator:
    """Return the validator of a declared schema (the declarations live as long as the process)."""
    found = _VALIDATORS.get(id(schema))
    if found is None:
        found = _VALIDATORS[id(schema)] = Draft202012Validator(schema)
    return found


TYPE_WORDS = {"string": "text", "integer": "an integer", "number": "a number", "object": "an object",
              "array": "a list", "boolean": "true or false"}


def _field_errors(error) -> dict[str, str]:
    """Name the field a JSON Schema error is about, and say why in words."""
    if error.validator == "required":
        return {name: "required" for name in error.validator_value if name not in error.instance}
    if error.validator == "additionalProperties":
        known = error.schema.get("properties", {})
        return {name: "not a field of this request" for name in error.instance if name not in known}
    field = ".".join(str(part) for part in error.absolute_path) or "body"
    if field == "body" and error.validator == "type":
        return {"body": "send a JSON object"}
    return {field: _reason(error)}


def _reason(error) -> str:
    keyword, expected = error.validator, error.validator_value
    if keyword == "type":
        kinds = [expected] if isinstance(expected, str) else [k for k in expected if k != "null"]
        return "must be " + " or ".join(TYPE_WORDS.get(kind, kind) for kind in kinds)
    if keyword == "enum":
        return "one of " + ", ".join(str(v) for v in expected if v is not None)
    if keyword == "minimum":
        return f"must be at least {expected}"
    if keyword == "maximum":
        return f"must be at most {expected}"
    return error.message
