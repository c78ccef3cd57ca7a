"""The database is unreachable or read-only: 503 with a retryable message, never a 500.

JSON calls get the error body of api/errors.py (``error`` = ``unavailable`` or ``read_only``, the
message in the user's language) and a ``Retry-After`` header; browser pages (not under /api/) a short
page in the user's language with the same status and header. On a read-only database reads still
work; only what writes answers 503 ``read_only``. Which errors count: ``engine.ops.outage``.
"""

import logging

from fastapi import FastAPI, Request
from fastapi.responses import Response

from api.errors import error_response
from api.i18n import message
from engine import ops

log = logging.getLogger("tiaojie.api")

RETRY_AFTER = {ops.UNAVAILABLE: 10, ops.READ_ONLY: 30}  # seconds


def response(request: Request, err: BaseException) -> Response | None:
    """The 503 answer when ``err`` (or its cause) is a database outage, else None."""
    code = ops.outage(err)
    if code is None:
        return None
    log.warning("database %s on %s %s: %s", code, request.method, request.url.path, type(err).__name__)
    retry = RETRY_AFTER[code]
    if request.url.path.startswith("/api/") or "text/html" not in request.headers.get("accept", ""):
        out = error_response(request, 503, code, extra={"retry_after": retry})
    else:
        from api.web import i18n, pages  # the page templates; only when a browser asked for a page

        lang = i18n.language(request)
        out = pages.render(request, "unavailable.html", None, lang, status_code=503,
                           extra={"message": message(code, lang), "retry_after": retry})
    out.headers["Retry-After"] = str(retry)
    return out


def install(app: FastAPI) -> None:
    @app.exception_handler(ops.DatabaseError)
    async def database_error(request: Request, err: ops.DatabaseError):
        answer = response(request, err)
        if answer is not None:
            return answer
        log.exception("unhandled database error on %s %s", request.method, request.url.path)
        return error_response(request, 500, "error")
