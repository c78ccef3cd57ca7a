"""Security headers on every response; a strict content security policy on the web pages.

Scripts come only from our own origin (no inline script, no eval): page data travels in
``<script type="application/json">`` blocks, which the browser does not execute. bpmn-js
sets inline ``style`` attributes on SVG, hence ``style-src 'unsafe-inline'``.
"""

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
       "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
       "frame-ancestors 'none'")
COMMON = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"same-origin"),
          (b"x-frame-options", b"DENY")]
API_DOCS = ("/docs", "/api/v1/openapi.json")  # Swagger UI loads its assets from a CDN


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        docs = scope["path"].startswith(API_DOCS)

        async def add_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers += [h for h in COMMON if h[0] not in present]
                if not docs and b"content-security-policy" not in present:
                    headers.append((b"content-security-policy", CSP.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, add_headers)
