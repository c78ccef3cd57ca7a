"""Health (database and broker reachability, no login) and Prometheus metrics (admin or supervisor)."""

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse

from api.auth.service import User
from api.deps import get_db, require
from api.ops import metrics
from engine import health
from engine.settings import get_settings
from engine.store import Database

router = APIRouter(tags=["operations"])


@router.get("/healthz", summary="Database and broker reachability")
def healthz(db: Database = Depends(get_db)) -> JSONResponse:
    report = health.check(db, get_settings().redis_url)
    return JSONResponse(report, status_code=200 if report["ok"] else 503)


@router.get("/metrics", summary="Prometheus metrics (text format)", response_class=Response)
def prometheus_metrics(request: Request, db: Database = Depends(get_db),
                       _: User = Depends(require("admin", "supervisor"))) -> Response:
    with db.begin() as conn:
        body, content_type = metrics.render(conn, request.app.state.metrics)
    return Response(body, media_type=content_type)
