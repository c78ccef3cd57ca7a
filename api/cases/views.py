"""Case endpoints: start with intake, list, case page, migrate, cancel."""

from typing import Annotated, Literal

from fastapi import APIRouter, Body, Depends, Path, Query
from sqlalchemy import Connection

from api.cases import service
from api.cases.schemas import (
    MAX_INT,
    CancelIn,
    CancelledOut,
    CaseDetail,
    CasePage,
    DatesOut,
    MigratedOut,
    MigrateIn,
    MigrationPlanOut,
    StartedOut,
    StartIn,
)
from api.deps import TRANSACTION, current_user, require
from api.openapi import IsoDate
from api.unit import UNIT, Unit, one_trip, unit_of
from engine import cases
from engine.core.types import User

router = APIRouter(prefix="/cases", tags=["cases"])

CaseId = Annotated[int, Path(ge=1, le=2**63 - 1, description="case id")]
NO_NUL = r"^[^\x00]*$"  # PostgreSQL text cannot hold NUL
Text = Annotated[str | None, Query(max_length=100, pattern=NO_NUL)]


@one_trip(router, "POST", "", status_code=201, response_model=StartedOut, summary="Start a case with its intake data",
          responses={200: {"model": StartedOut, "description": "A repeat visit about an identical open matter "
                                                              "of the same parties: recorded on that case"}})
def start_case(body: StartIn, unit: Unit = unit_of("intake", "supervisor")) -> dict:
    out = service.start(unit.conn, unit.user, body.process_key, body.data, body.received_on)
    unit.status = 200 if out["repeat_visit"] else 201
    return out


@router.get("", response_model=CasePage, summary="Cases in your communities, newest first")
def list_cases(
    user: User = Depends(current_user),
    conn: Connection = TRANSACTION,
    status: Literal["active", "completed", "cancelled", "error"] | None = None,
    dispute_type: Text = None,
    channel: Text = None,
    community: Text = None,
    created_from: IsoDate | None = Query(None, description="first day (Asia/Shanghai)"),
    created_to: IsoDate | None = Query(None, description="last day, inclusive (Asia/Shanghai)"),
    overdue: bool | None = Query(None, description="true: an open task or timer is past due"),
    q: str | None = Query(None, min_length=1, max_length=100, pattern=NO_NUL,
                          description="text in party names or the summary"),
    cursor: str | None = Query(None, max_length=300),
    limit: int = Query(20, ge=1, le=100),
) -> dict:
    return cases.search(conn, user, status=status, dispute_type=dispute_type, channel=channel,
                          community=community, created_from=created_from, created_to=created_to,
                          overdue=overdue, text=q, cursor=cursor, limit=limit)


@one_trip(router, "GET", "/{case_id:int}", response_model=CaseDetail, summary="The case page")
def get_case(case_id: CaseId, unit: Unit = UNIT) -> dict:
    return cases.detail(unit.conn, unit.user, case_id)


@router.get("/{case_id}/migration", response_model=MigrationPlanOut, summary="What a migration would do")
def preview_migration(case_id: CaseId, version: int | None = Query(None, ge=1, le=MAX_INT),
                      user: User = Depends(require("supervisor")), conn: Connection = TRANSACTION) -> dict:
    return cases.preview_migration(conn, user, case_id, version)


@router.post("/{case_id}/migrate", response_model=MigratedOut, summary="Move the case to another version")
def migrate_case(case_id: CaseId, body: MigrateIn, user: User = Depends(require("supervisor")),
                 conn: Connection = TRANSACTION) -> dict:
    return cases.migrate(conn, user, case_id, body.version)


@router.post("/{case_id}/cancel", response_model=CancelledOut, summary="Stop the case, with a reason")
def cancel_case(case_id: CaseId, body: CancelIn, user: User = Depends(require("supervisor")),
                conn: Connection = TRANSACTION) -> dict:
    return cases.cancel(conn, user, case_id, body.reason)


@router.patch("/{case_id}/dates", response_model=DatesOut,
              summary="Change the case's dates (收到/来访日期, 受理日期 …); the clocks counting from them follow")
def change_dates(case_id: CaseId, body: Annotated[dict[str, str], Body(examples=[{"received_on": "2026-11-01"}])],
                 user: User = Depends(current_user), conn: Connection = TRANSACTION) -> dict:
    return cases.change_dates(conn, user, case_id, body)
