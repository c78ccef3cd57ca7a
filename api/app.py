"""The FastAPI application (the full API arrives with the API issue).

For now: a Chinese landing page, ``/api/v1/healthz`` and the OpenAPI document. It holds
no state of its own, so any number of processes can serve behind one database.
"""

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, JSONResponse

from engine import health
from engine.settings import get_settings
from engine.store import Database

PAGE = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>调解 tiaojie</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif; max-width: 48rem; margin: 3rem auto">
<h1>调解 · 大调解工作平台</h1>
<p>服务运行中。流程引擎、案件与待办队列已就绪；网页界面与登录将在后续版本提供。</p>
<p>接口文档：<a href="/docs">/docs</a> · 健康检查：<a href="/api/v1/healthz">/api/v1/healthz</a></p>
</body></html>"""


def create_app(db: Database | None = None) -> FastAPI:
    app = FastAPI(title="tiaojie 调解", version="0.1.0", openapi_url="/api/v1/openapi.json", docs_url="/docs")
    database = db or Database(get_settings().database_url)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index() -> str:
        return PAGE

    @app.get("/api/v1/healthz", tags=["operations"], summary="Database reachability")
    def healthz() -> JSONResponse:
        report = health.check(database)
        return JSONResponse(report, status_code=200 if report["ok"] else 503)

    return app
