"""ASGI middleware: refuse NUL characters and invalid Unicode anywhere in a request before any route sees it.

PostgreSQL text cannot hold NUL (U+0000), and neither database nor JSON encoder can hold a lone surrogate;
such input used to reach the database and fail there (a 500). Checked here, for every route at once:
the path's segments, the query string, and the body — JSON (keys as well as values, at any depth),
url-encoded forms and multipart forms (field names, values and file names). Bytes that are not UTF-8 are
refused too. The answer is the usual field error (api/errors.py): 422 ``validation`` with
``fields`` naming the path of the first bad field (``parties.0.name`` in a case's or task's ``data``, which
is named as the form names its fields, ``to_user``, ``task_id``), or
``malformed_json`` for a JSON body that does not parse.

It runs inside BodyLimit, so the body it reads whole is already bounded.
"""

import json
import re
from urllib.parse import unquote_to_bytes

from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import error_response
from api.i18n import field_message, language

BAD_TEXT = re.compile("[\x00\ud800-\udfff]")  # NUL, or a lone surrogate (only a \\u escape can make one)
MAX_DEPTH = 200  # deeper JSON is refused by the validation that follows anyway; stop walking here


class BadInput(Exception):
    def __init__(self, field: str, reason: str, code: str = "validation"):
        super().__init__(reason)
        self.field, self.reason, self.code = field, reason, code


def check_text(field: str, text: str) -> None:
    if BAD_TEXT.search(text):
        raise BadInput(field, "contains a NUL character or invalid Unicode")


def decode(field: str, raw: bytes) -> str:
    """``raw`` as UTF-8 text without NUL; BadInput naming ``field`` otherwise."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BadInput(field, "not valid UTF-8") from None
    check_text(field, text)
    return text


def check_json(value, path: str = "", depth: int = 0) -> None:
    """Every key and string value in ``value``, with its dotted path."""
    if depth > MAX_DEPTH:
        return
    if isinstance(value, str):
        check_text(path or "(body)", value)
    elif isinstance(value, dict):
        for key, item in value.items():
            sub = f"{path}.{key}" if path else str(key)
            if BAD_TEXT.search(key):
                raise BadInput(BAD_TEXT.sub("?", sub), "a key contains a NUL character or invalid Unicode")
            check_json(item, sub, depth + 1)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            check_json(item, f"{path}.{i}" if path else str(i), depth + 1)


def check_query(query: bytes) -> None:
    for part in query.split(b"&"):
        if not part:
            continue
        raw_name, _, raw_value = part.partition(b"=")
        name = decode("(query)", unquote_to_bytes(raw_name.replace(b"+", b" ")))
        decode(name, unquote_to_bytes(raw_value.replace(b"+", b" ")))


def check_path(app, scope: Scope) -> None:
    raw = (scope.get("raw_path") or scope["path"].encode("utf-8", "surrogatepass")).split(b"?", 1)[0]
    segments = raw.split(b"/")
    for i, segment in enumerate(segments):
        try:
            decode("(path)", unquote_to_bytes(segment))
        except BadInput as bad:  # named by the OpenAPI path only then (a walk of every path: ~0.5 ms)
            name = _param_names(app, len(segments), scope["path"]).get(i, "(path)")
            raise BadInput(name, bad.reason, bad.code) from None


def _param_names(app, count: int, path: str) -> dict[int, str]:
    """Segment index -> path parameter name, from the OpenAPI path the request's path has the shape of."""
    openapi = getattr(app, "openapi", None)
    if openapi is None:
        return {}
    parts = path.split("/")
    for template in openapi().get("paths", {}):
        pieces = template.split("/")
        if len(pieces) != count:
            continue
        if all(p.startswith("{") or p == s for p, s in zip(pieces, parts, strict=False)):
            return {i: p.strip("{}").split(":")[0] for i, p in enumerate(pieces) if p.startswith("{")}
    return {}


async def check_form(scope: Scope, body: bytes) -> None:
    async def replay() -> Message:
        return {"type": "http.request", "body": body, "more_body": False}

    try:
        form = await Request(scope, replay).form()
    except (MultiPartException, HTTPException):  # Starlette answers 400 for these
        raise BadInput("(body)", "the multipart body does not parse") from None
    try:
        for name, value in form.multi_items():
            check_text("(form)", name)
            if isinstance(value, UploadFile):
                check_text(name, value.filename or "")
            else:
                check_text(name, value)
    finally:
        await form.close()


class Guard:
    def __init__(self, app: ASGIApp, openapi_app=None):
        self.app = app
        self.openapi_app = openapi_app  # the FastAPI app whose document names the path parameters

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        try:
            check_path(self.openapi_app, scope)
            check_query(scope.get("query_string") or b"")
        except BadInput as bad:
            return await self._refuse(scope, receive, send, bad)
        headers = dict(scope.get("headers") or [])
        ctype = headers.get(b"content-type", b"").decode("latin-1").split(";")[0].strip().lower()
        if not (ctype == "application/json" or ctype.endswith("+json") or ctype.startswith("multipart/")
                or ctype == "application/x-www-form-urlencoded"):
            return await self.app(scope, receive, send)
        chunks = []
        more = True
        while more:
            msg = await receive()
            if msg["type"] == "http.disconnect":
                return
            chunks.append(msg.get("body", b""))
            more = msg.get("more_body", False)
        body = b"".join(chunks)
        try:
            if ctype.startswith("multipart/"):
                await check_form(scope, body)
            elif ctype == "application/x-www-form-urlencoded":
                check_query(body)
            elif body.strip():
                try:
                    text = body.decode("utf-8")
                except UnicodeDecodeError:
                    raise BadInput("(body)", "the body is not valid UTF-8", "malformed_json") from None
                try:
                    parsed = json.loads(text)
                except (ValueError, RecursionError):
                    raise BadInput("(body)", "the body is not valid JSON", "malformed_json") from None
                if isinstance(parsed, dict) and isinstance(parsed.get("data"), dict):
                    check_json({k: v for k, v in parsed.items() if k != "data"})
                    try:  # form data: fields named as the form names them, the code the engine gives bad form data
                        check_json(parsed["data"])
                    except BadInput as bad:
                        raise BadInput(bad.field, bad.reason, "invalid_data") from None
                else:
                    check_json(parsed)
        except BadInput as bad:
            return await self._refuse(scope, receive, send, bad)
        sent = False

        async def replay() -> Message:
            nonlocal sent
            if sent:
                return await receive()
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, bad: BadInput) -> None:
        request = Request(scope, receive)
        lang = language(request)
        kind = "json_invalid" if bad.code == "malformed_json" else "nul"
        fields = {bad.field: field_message(kind, bad.reason, lang)}
        response = error_response(request, 422, bad.code, bad.reason, fields)
        await response(scope, receive, send)
