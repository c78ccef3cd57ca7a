"""Deadline endpoints' shapes: engine.deadlines (SLA rules, a case's deadlines) and engine.cases (pausing,
resuming and extending a case's clocks) as the dicts the response models read."""

from sqlalchemy import Connection

from engine import cases, deadlines
from engine.core.clock import now
from engine.core.types import User

ROW_FIELDS = (
    "id",
    "case_id",
    "task_id",
    "kind",
    "rule_key",
    "name",
    "clock",
    "starts_at",
    "due_at",
    "warn_at",
    "status",
    "paused_at",
    "paused_seconds",
    "escalation_level",
    "next_escalation_at",
    "closed_at",
    "calendar_confirmed",
    "amount",
    "starts_from",
    "scope",
    "process_key",
)


def pause(conn: Connection, user: User, case_id: int, reason: str, kind: str = "other",
          approved_by: str | None = None) -> dict:
    return cases.pause_clocks(conn, user, case_id, reason, kind, approved_by)


def resume(conn: Connection, user: User, case_id: int) -> dict:
    return cases.resume_clocks(conn, user, case_id)


def extend(conn: Connection, user: User, deadline_id: int, amount: int, clock: str, reason: str,
           kind: str = "approval", party_told_on=None) -> dict:
    return cases.approve_extension(conn, user, deadline_id, amount, clock, reason, kind, party_told_on)


def for_case(conn: Connection, user: User, case_id: int) -> list[dict]:
    at = now()
    rows = cases.case_clocks(conn, user, case_id)
    actions = cases.allowed_clock_actions(conn, user, case_id, rows)
    return [{**{k: getattr(r, k) for k in ROW_FIELDS},
             "overdue_by": deadlines.overdue_by(r.due_at, r.clock, at)
             if r.closed_at is None and r.status != "paused" else None, **actions.get(r.id, {})}
            for r in rows]
