"""Every error becomes a 4xx JSON answer in the user's language; never a 500 for bad input.

Body: ``{"error": code, "message": localized summary, "detail": specific reason, "fields": {…}}``.
"""

import logging
import re

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.i18n import field_message, language, message
from engine.core.errors import (
    Conflict,
    DefinitionRejected,
    EngineError,
    Forbidden,
    InvalidData,
    LedgerRejected,
    MigrationRefused,
    NotFound,
    StepFailed,
    TooLarge,
)
from engine.people import AuthError, LoginThrottled
from engine.privacy import DataKeyMissing
from engine.validation import to_zh

log = logging.getLogger("tiaojie.api")

STATUS = {
    NotFound: 404, Conflict: 409, Forbidden: 403, InvalidData: 422, DefinitionRejected: 422,
    MigrationRefused: 409, StepFailed: 409, AuthError: 401, TooLarge: 413, LoginThrottled: 429,
    DataKeyMissing: 503,  # encrypted personal data whose key is not configured: never shown wrong
}


def error_response(request: Request, status: int, code: str, detail: str | None = None,
                   fields: dict | None = None, extra: dict | None = None,
                   headers: dict | None = None) -> JSONResponse:
    lang = language(request)
    body = {"error": code, "message": message(code, lang), "detail": detail or message(code, "en")}
    if fields:
        body["fields"] = fields
    if extra:
        body.update(extra)
    headers = dict(headers or {})
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    return JSONResponse(body, status_code=status, headers=headers)


def _status(err: EngineError) -> int:
    for cls in type(err).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 400


def _allowed(request: Request) -> str:
    """The methods the OpenAPI document states for the request's path (HEAD with GET)."""
    methods = set()
    for path, operations in request.app.openapi().get("paths", {}).items():
        ints = {p["name"] for op in operations.values() for p in op.get("parameters") or []
                if p.get("in") == "path" and (p.get("schema") or {}).get("type") == "integer"}
        pattern = re.sub(r"\\\{([^}]+)\\\}", lambda m, ints=ints: "[0-9]+" if m[1] in ints else "[^/]+", re.escape(path))
        if re.fullmatch(pattern, request.url.path):
            methods |= {m.upper() for m in operations}
    if "GET" in methods:
        methods.add("HEAD")
    return ", ".join(sorted(methods))


def install(app: FastAPI) -> None:
    @app.exception_handler(EngineError)
    async def engine_error(request: Request, err: EngineError):
        extra = None
        fields = getattr(err, "errors", None)
        kinds = getattr(err, "kinds", None)
        if fields:  # translate per field (by its kind); the English reason stays in `detail`
            lang = language(request)
            fields = {k: field_message((kinds or {}).get(k, ""), v, lang) for k, v in fields.items()}
        if isinstance(err, DefinitionRejected):  # message in the user's language, message_en the original
            zh = language(request) == "zh"
            extra = {"problems": [{"message": to_zh(p.message) if zh else p.message, "message_en": p.message,
                                   "file": p.file, "line": p.line, "element": p.element} for p in err.problems]}
        if isinstance(err, LedgerRejected):
            extra = {"problems": [{"row": p.row, "column": p.column, "reason": p.reason} for p in err.problems],
                     "warnings": [{"row": p.row, "column": p.column, "reason": p.reason} for p in err.warnings],
                     "unknown_terms": err.unknown_terms}
        if isinstance(err, StepFailed) and getattr(err, "incident_id", None):
            extra = {"incident": err.incident_id}
        if isinstance(err, LoginThrottled):
            extra = {"retry_after": err.retry_after}
        response = error_response(request, _status(err), err.code, str(err), fields, extra)
        if isinstance(err, LoginThrottled):
            response.headers["Retry-After"] = str(err.retry_after)
        return response

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, err: RequestValidationError):
        lang = language(request)
        fields = {}
        code = "validation"
        for e in err.errors():
            if e.get("type") == "json_invalid":
                code = "malformed_json"
            loc = [str(p) for p in e.get("loc", ()) if p not in ("body", "query", "path", "header")]
            fields[".".join(loc) or "(body)"] = field_message(e.get("type", ""), e.get("msg", ""), lang)
        return error_response(request, 422, code, None, fields)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, err: StarletteHTTPException):
        code = {400: "bad_request", 404: "not_found", 405: "method_not_allowed", 401: "auth_failed",
                403: "forbidden", 413: "body_too_large"}.get(err.status_code, "error" if err.status_code >= 500
                                                              else "bad_request")
        headers = dict(err.headers or {})
        if err.status_code == 405:  # Allow: every method of the path (Starlette names only the first route's)
            headers["Allow"] = _allowed(request) or headers.get("Allow", "")
        return error_response(request, err.status_code, code, str(err.detail) if err.detail else None,
                              headers=headers)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, err: Exception):
        from api.unavailable import response as outage_response  # a database outage behind another error

        if (answer := outage_response(request, err)) is not None:
            return answer
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(request, 500, "error")
