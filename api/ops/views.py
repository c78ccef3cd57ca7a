"""Health (database and broker reachability). No login needed."""

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from api.deps import get_db
from engine import health
from engine.store import Database

router = APIRouter(tags=["operations"])


@router.get("/healthz", summary="Database and broker reachability")
def healthz(db: Database = Depends(get_db)) -> JSONResponse:
    report = health.check(db)
    return JSONResponse(report, status_code=200 if report["ok"] else 503)
