"""Static assets of the web UI: our scripts and styles, and the bundles `make install` builds.

Assets are gzip-compressed when the browser accepts it (the ECharts and bpmn-js bundles
shrink from ~2 MB to ~600 kB); API responses are left alone.
"""

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

STATIC_DIR = Path(__file__).parent / "static"
PREFIX = "/static"


class _GzipStatic:
    def __init__(self, app: ASGIApp) -> None:
        self.plain = app
        self.gzip = GZipMiddleware(app, minimum_size=1024)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        static = scope["type"] == "http" and scope["path"].startswith(PREFIX + "/")
        await (self.gzip if static else self.plain)(scope, receive, send)


def install(app: FastAPI) -> None:
    app.mount(PREFIX, StaticFiles(directory=STATIC_DIR), name="static")
    app.add_middleware(_GzipStatic)
