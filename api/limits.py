"""ASGI middleware: refuse request bodies over the size limit before reading them whole."""

import json
import re

from api.i18n import message

ATTACHMENT_PATH = re.compile(r"^/api/v1/(cases/[^/]+/attachments|documents/[^/]+/signed)/?$")
MULTIPART_OVERHEAD = 64 * 1024  # part headers and the other form fields around the file


class BodyLimit:
    def __init__(self, app, max_bytes: int, upload_max_bytes: int, attachment_max_bytes: int = 0,
                 path_limits: dict[str, int] | None = None):
        self.app = app
        self.max_bytes = max_bytes
        self.upload_max_bytes = upload_max_bytes
        self.attachment_max_bytes = attachment_max_bytes + MULTIPART_OVERHEAD
        self.path_limits = path_limits or {}  # multipart uploads to these exact paths (ledgers): their own limit

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers") or [])
        ctype = headers.get(b"content-type", b"").decode("latin-1")
        limit = self.max_bytes
        if ctype.startswith("multipart/"):  # case attachments and ledgers have their own (larger) limits
            path = scope.get("path", "")
            limit = self.attachment_max_bytes if ATTACHMENT_PATH.match(path) \
                else self.path_limits.get(path, self.upload_max_bytes)
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            return await self._refuse(scope, send, limit)
        seen = 0

        async def counting_receive():
            nonlocal seen
            msg = await receive()
            if msg["type"] == "http.request":
                seen += len(msg.get("body", b""))
                if seen > limit:
                    raise _TooLarge()
            return msg

        try:
            await self.app(scope, counting_receive, send)
        except _TooLarge:
            await self._refuse(scope, send, limit)

    async def _refuse(self, scope, send, limit: int):
        lang = "zh"
        for k, v in scope.get("headers") or []:
            if k == b"accept-language" and v.decode("latin-1").lower().startswith("en"):
                lang = "en"
        body = json.dumps({"error": "body_too_large", "message": message("body_too_large", lang),
                           "detail": f"request body over {limit} bytes"}, ensure_ascii=False).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass
