"""Health (database and broker reachability, no login) and Prometheus metrics (admin or supervisor)."""

import hmac

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy import Connection

from api.deps import TRANSACTION, allow, authenticate, check_credentials, get_db
from api.ops import metrics
from engine import Database, ops
from engine.core.settings import get_settings

router = APIRouter(tags=["operations"])


@router.get("/healthz", summary="Database and broker reachability")
def healthz(db: Database = Depends(get_db)) -> JSONResponse:
    report = ops.check_health(db, get_settings().redis_url)
    return JSONResponse(report, status_code=200 if report["ok"] else 503)


def scraper_or_staff(request: Request, conn: Connection = TRANSACTION) -> str:
    """A scraper with TIAOJIE_METRICS_TOKEN (long-lived, compared in constant time), or an
    admin/supervisor with an ordinary access token."""
    configured = get_settings().metrics_token
    header = request.headers.get("authorization", "")
    if configured and header.startswith("Bearer ") and hmac.compare_digest(header[7:], configured):
        return "scraper"
    user = authenticate(request, conn, *check_credentials(request, header[7:] if header.startswith("Bearer ") else None))
    return allow(user, "admin", "supervisor").username


@router.get("/metrics", summary="Prometheus metrics (text format)", response_class=Response)
def prometheus_metrics(request: Request, _: str = Depends(scraper_or_staff),
                       conn: Connection = TRANSACTION) -> Response:
    body, content_type = metrics.render(conn, request.app.state.metrics)
    return Response(body, media_type=content_type)
