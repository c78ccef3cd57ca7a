"""GET /leader/cases: 我的包案, the active cases the leader is in personal charge of, with clocks and alerts."""

from datetime import datetime

from fastapi import APIRouter, Depends
from pydantic import BaseModel
from sqlalchemy import Connection

from api.deps import TRANSACTION, require
from api.tasks.schemas import ApplicantOut
from engine import tasks
from engine.core.types import User

router = APIRouter(prefix="/leader", tags=["leader"])


class LedTaskOut(BaseModel):
    id: str
    name: str
    group: str | None
    assignee: str | None
    status: str
    due_at: datetime | None


class LedClockOut(BaseModel):
    id: int
    task_id: str | None
    kind: str
    name: str
    status: str  # pending | warned | fired | paused
    due_at: datetime
    seconds_remaining: int
    alert: str | None  # escalated (督办 passed to the leader) | overdue | warned | paused | None
    overdue_by: dict[str, int] | None


class LedCaseOut(BaseModel):
    id: int
    case_number: str
    community: str | None
    dispute_type: str | None
    created_at: datetime
    paused: bool
    summary: str | None
    risk_level: str | None
    people_count: int | None
    group_case: bool
    applicant: ApplicantOut | None
    tasks: list[LedTaskOut]
    clocks: list[LedClockOut]
    alert: str | None  # the most urgent of its clocks' alerts


class LedCasesOut(BaseModel):
    items: list[LedCaseOut]


@router.get("/cases", response_model=LedCasesOut, summary="我的包案: the cases you lead, their stage, clocks, alerts")
def led_cases(user: User = Depends(require("leader")), conn: Connection = TRANSACTION) -> dict:
    return {"items": tasks.led_cases(conn, user)}
