"""GET /dashboard/sla for supervisors, leaders and admins."""

from datetime import date, datetime

from fastapi import APIRouter, Depends
from pydantic import BaseModel
from sqlalchemy import Connection

from api.deps import TRANSACTION, require
from engine import reports
from engine.core.types import User

router = APIRouter(prefix="/dashboard", tags=["dashboard"])


class StageOut(BaseModel):
    process_key: str
    element_id: str
    name: str
    count: int


class GroupOut(BaseModel):
    group: str | None
    open: int
    overdue: int
    at_risk: int


class CommunityOut(BaseModel):
    community: str | None
    open: int
    overdue: int
    at_risk: int


class DayOut(BaseModel):
    date: date
    opened: int
    closed: int
    breached: int


class BreachOut(BaseModel):
    task_id: str
    case_id: int
    case_number: str
    name: str
    group: str | None
    community: str | None
    due_at: datetime
    overdue_seconds: int


class EarlyWarningOut(BaseModel):
    case_id: int
    case_number: str
    community: str | None
    dispute_type: str | None
    visit_count: int
    leader: str | None
    created_at: datetime
    reasons: list[str]  # group_case, red_risk, repeat_petitioner, over_level, repeat_visits


class SlaOut(BaseModel):
    now: datetime
    at_risk_hours: int
    early_warning_count: int  # open cases with a reason for an early warning
    over_level_count: int  # open 越级 (over-the-level) petitions
    early_warnings: list[EarlyWarningOut]  # newest first, at most 50
    open_by_stage: list[StageOut]
    by_group: list[GroupOut]
    by_community: list[CommunityOut]
    trend: list[DayOut]  # the last 30 Asia/Shanghai days, oldest first, every day present
    breaches: list[BreachOut]  # most overdue first, at most 50


@router.get("/sla", response_model=SlaOut, summary="SLA dashboard: open work, overdue, at risk, trend, breaches")
def sla(user: User = Depends(require("supervisor", "leader", "admin")), conn: Connection = TRANSACTION) -> dict:
    return reports.sla_dashboard(conn, user)
