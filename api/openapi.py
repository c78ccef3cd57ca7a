"""The OpenAPI document states the real error answers: one error schema (``ErrorOut``, the body that
api/errors.py writes) and, per operation, the statuses it can answer.

The statuses follow from what an operation is, so routes added later are covered without listing them:
a login (security) gives 401 and 403, a path parameter 404, parameters or a body 422 (api/guard.py and
the request validation), a body 413 (api/limits.py), a write 409 (a conflict in the engine), and every
operation 503 (the database unreachable). ``EXTRA`` adds the statuses that do not follow from the shape.
"""

from http import HTTPStatus

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel, ConfigDict, Field

ERROR_REF = "#/components/schemas/ErrorOut"
UNSAFE = {"post", "put", "patch", "delete"}

# (method, path) -> statuses beyond those that follow from the operation's shape.
EXTRA: dict[tuple[str, str], tuple[int, ...]] = {
    ("post", "/api/v1/auth/token"): (401, 429),
    ("post", "/api/v1/auth/refresh"): (401, 429),
    ("get", "/api/v1/metrics"): (401, 403),
    ("get", "/api/v1/cases"): (404,),
    ("get", "/api/v1/tasks"): (404,),
}


class ErrorOut(BaseModel):
    """Every error answer: a stable code, a message in the user's language, the specific reason (English),
    per-field reasons for bad input; some errors add their own details (``problems``, ``incident``)."""

    model_config = ConfigDict(extra="allow")

    error: str = Field(description="stable code, e.g. validation, not_found, forbidden")
    message: str = Field(description="summary in the user's language (Accept-Language, zh by default)")
    detail: str = Field(description="the specific reason, in English")
    fields: dict[str, str] | None = Field(None, description="field path (dotted) -> reason, for bad input")


def statuses(method: str, path: str, operation: dict) -> set[int]:
    """The error statuses ``operation`` can answer."""
    found = {503}
    params = operation.get("parameters") or []
    if operation.get("security"):
        found |= {401, 403}
    if any(p.get("in") == "path" for p in params):
        found.add(404)
    if params or "requestBody" in operation:
        found.add(422)
    if "requestBody" in operation:
        found.add(413)
    if method in UNSAFE and operation.get("security"):
        found.add(409)
    found |= set(EXTRA.get((method, path), ()))
    return found


def _error_response(status: int) -> dict:
    return {"description": HTTPStatus(status).phrase,
            "content": {"application/json": {"schema": {"$ref": ERROR_REF}}}}


def document(app: FastAPI) -> dict:
    """The app's OpenAPI document with ``ErrorOut`` for every error answer."""
    doc = get_openapi(title=app.title, version=app.version, routes=app.routes, description=app.description)
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    schemas["ErrorOut"] = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    for path, operations in doc.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for status in statuses(method, path, operation):
                kept = responses.get(str(status))
                if status == 503 and kept and "ErrorOut" not in str(kept):
                    continue  # /healthz answers 503 with its own report
                responses[str(status)] = _error_response(status)
            for code in list(responses):  # FastAPI's own validation-error schema is not what we answer
                if code.isdigit() and int(code) >= 400 and "HTTPValidationError" in str(responses[code]):
                    responses[code] = _error_response(int(code))
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    return doc


def install(app: FastAPI) -> None:
    def openapi() -> dict:
        if app.openapi_schema is None:
            app.openapi_schema = document(app)
        return app.openapi_schema

    app.openapi = openapi
