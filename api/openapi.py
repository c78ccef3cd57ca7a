"""The OpenAPI document states the real error answers: one error schema (``ErrorOut``, the body that
api/errors.py writes) and, per operation, the statuses it can answer.

The statuses follow from what an operation is, so routes added later are covered without listing them:
a login (security) gives 401 and 403, a path parameter 404, parameters or a body 422 (api/guard.py and
the request validation), a body 413 (api/limits.py), a write 409 (a conflict in the engine), and every
operation 503 (the database unreachable). ``EXTRA`` adds the statuses that do not follow from the shape.
"""

import re
from datetime import date
from http import HTTPStatus
from typing import Annotated

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool

ERROR_REF = "#/components/schemas/ErrorOut"
UNSAFE = {"post", "put", "patch", "delete"}
NO_NUL = r"^[^\x00]*$"
FORMS = ("multipart/form-data", "application/x-www-form-urlencoded")

# (method, path) -> statuses beyond those that follow from the operation's shape.
EXTRA: dict[tuple[str, str], tuple[int, ...]] = {
    ("post", "/api/v1/auth/token"): (401, 429),
    ("post", "/api/v1/auth/refresh"): (401, 429),
    ("get", "/api/v1/metrics"): (401, 403),
    ("get", "/api/v1/cases"): (404,),
    ("post", "/api/v1/cases"): (404,),  # the process is not deployed
    ("get", "/api/v1/tasks"): (404,),
}


def _iso_date(value):
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("a date is written YYYY-MM-DD")
    if not isinstance(value, str | date):
        raise ValueError("a date is written YYYY-MM-DD")
    return value


def _json_int(value):
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("an integer is written as a JSON number")
    return value  # 2.0 is an integer in JSON; 2.5 is refused by the int validation that follows


# Request types that accept exactly what the document states (pydantic's lax mode would also take 0 for
# false, true or "1" for 1, "0" or 1700000000 for a date): JSON bodies and query strings alike.
IsoDate = Annotated[date, BeforeValidator(_iso_date)]
JsonBool = StrictBool
JsonInt = Annotated[int, BeforeValidator(_json_int)]


def json_int(**bounds) -> type[int]:
    """``JsonInt`` with bounds (``ge=1, le=366``): given here, before the validator, the document states them."""
    return Annotated[int, Field(**bounds), BeforeValidator(_json_int)]


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


def _forbid_nul(schema, schemas: dict, seen: set) -> None:
    """State in a request schema what api/guard.py refuses: no NUL in any string or object key."""
    if isinstance(schema, list):
        for item in schema:
            _forbid_nul(item, schemas, seen)
        return
    if not isinstance(schema, dict):
        return
    ref = schema.get("$ref", "")
    if ref.startswith("#/components/schemas/"):
        name = ref.rsplit("/", 1)[-1]
        if name not in seen:
            seen.add(name)
            _forbid_nul(schemas.get(name), schemas, seen)
        return
    if schema.get("type") == "string" and not {"pattern", "format", "enum", "const", "contentMediaType",
                                                 "contentEncoding"} & schema.keys():
        schema["pattern"] = NO_NUL
    if schema.get("type") == "object" and schema.get("additionalProperties", True) is not False:
        schema.setdefault("propertyNames", {"pattern": NO_NUL})
    for key in ("items", "additionalProperties", "not"):
        _forbid_nul(schema.get(key), schemas, seen)
    for key in ("anyOf", "oneOf", "allOf"):
        _forbid_nul(schema.get(key), schemas, seen)
    for sub in (schema.get("properties") or {}).values():
        _forbid_nul(sub, schemas, seen)


def _form_fields(schema: dict | None, schemas: dict) -> None:
    """A form field is sent or absent: never null, and an empty required one counts as missing."""
    ref = (schema or {}).get("$ref", "")
    schema = schemas.get(ref.rsplit("/", 1)[-1]) if ref else schema
    if not schema:
        return
    required = set(schema.get("required") or ())
    for name, prop in (schema.get("properties") or {}).items():
        options = prop.get("anyOf")
        if options and any(o.get("type") == "null" for o in options):
            prop["anyOf"] = [o for o in options if o.get("type") != "null"]
            if len(prop["anyOf"]) == 1:
                prop.update(prop.pop("anyOf")[0])
        if name in required and prop.get("type") == "string" and "contentMediaType" not in prop:
            prop.setdefault("minLength", 1)


def _error_response(status: int) -> dict:
    return {"description": HTTPStatus(status).phrase,
            "content": {"application/json": {"schema": {"$ref": ERROR_REF}}}}


def document(app: FastAPI) -> dict:
    """The app's OpenAPI document with ``ErrorOut`` for every error answer."""
    doc = get_openapi(title=app.title, version=app.version, routes=app.routes, description=app.description)
    schemas = doc.setdefault("components", {}).setdefault("schemas", {})
    schemas["ErrorOut"] = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    seen: set[str] = set()
    for path, operations in doc.get("paths", {}).items():
        for method, operation in operations.items():
            for param in operation.get("parameters") or []:
                _forbid_nul(param.get("schema"), schemas, seen)
            for media_type, media in (operation.get("requestBody") or {}).get("content", {}).items():
                _forbid_nul(media.get("schema"), schemas, seen)
                if media_type in FORMS:
                    _form_fields(media.get("schema"), schemas)
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
