"""Deadline endpoints (SLA rules: api.sla_rules): pausing and resuming a case's clocks, extensions (延期), a case's deadlines."""

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection

from api.cases.schemas import ClockActions
from api.deadlines import service
from api.deps import TRANSACTION, current_user
from api.openapi import IsoDate, json_int
from engine.core.types import User

router = APIRouter(prefix="/deadlines", tags=["deadlines"])

CaseId = Annotated[int, Path(ge=1, le=2**63 - 1, description="case id")]
DeadlineId = Annotated[int, Path(ge=1, le=2**63 - 1, description="deadline id")]
RuleKey = Annotated[str, Path(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9_.-]+$")]
Clock = Literal["natural", "workdays", "hours"]
Reason = Annotated[str, Field(min_length=1, max_length=2000, pattern=r"^[^\x00]*$")]
Amount = json_int(ge=1, le=366)
# warn_fraction as the document states it: a number, or the same written as text ("0.8")
WARN_FRACTION_NUMBER = {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1, "multipleOf": 0.001}
WARN_FRACTION_TEXT = {"type": "string", "pattern": r"^0?\.[0-9]{0,2}[1-9]$"}
OfficeLimit = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[^\x00]*$")]


class PauseIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: Reason
    kind: Literal["appraisal", "hearing", "party", "other"] = "other"  # 鉴定 · 听证 · 等待当事人 · 其他
    approved_by: str | None = Field(None, min_length=1, max_length=100, pattern=r"^[^\x00]*$")


class ExtendIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    amount: Amount
    clock: Clock
    reason: Reason
    kind: Literal["approval", "consent"] = "approval"
    party_told_on: IsoDate | None = None  # 信访: the day the petitioner was told why


class DeadlineOut(ClockActions):
    id: int
    case_id: int
    task_id: str | None
    kind: str
    rule_key: str | None
    name: str
    clock: str
    starts_at: datetime
    due_at: datetime
    warn_at: datetime | None
    status: str
    paused_at: datetime | None
    paused_seconds: int
    escalation_level: int
    next_escalation_at: datetime | None
    closed_at: datetime | None
    calendar_confirmed: bool  # false: counted over a year whose holiday calendar is not entered (Monday–Friday)
    amount: int | None = None
    starts_from: str | None = None
    scope: str = "task"
    process_key: str | None = None
    overdue_by: dict[str, int] | None = None  # {"days": 3} or {"hours": 5} when open and past due


@router.post("/cases/{case_id}/pause", summary="Stop the case's clocks while it waits on a party")
def pause(case_id: CaseId, body: PauseIn, user: User = Depends(current_user), conn: Connection = TRANSACTION) -> dict:
    return service.pause(conn, user, case_id, body.reason, body.kind, body.approved_by)


@router.post("/cases/{case_id}/resume", summary="Restart the case's clocks (the paused time is given back)")
def resume(case_id: CaseId, user: User = Depends(current_user), conn: Connection = TRANSACTION) -> dict:
    return service.resume(conn, user, case_id)


@router.get("/cases/{case_id}", response_model=list[DeadlineOut], summary="The case's deadlines")
def case_deadlines(case_id: CaseId, user: User = Depends(current_user), conn: Connection = TRANSACTION) -> list:
    return service.for_case(conn, user, case_id)


@router.post("/{deadline_id}/extend",
             summary="Extend a deadline (延期): approved by the caller (supervisor, leader, admin), or by consent")
def extend(deadline_id: DeadlineId, body: ExtendIn, user: User = Depends(current_user),
           conn: Connection = TRANSACTION) -> dict:
    return service.extend(conn, user, deadline_id, body.amount, body.clock, body.reason, body.kind,
                          body.party_told_on)
