"""Deadline endpoints' shapes: engine.deadlines (SLA rules, a case's deadlines) and engine.cases (pausing,
resuming and extending a case's clocks) as the dicts the response models read."""

from sqlalchemy import Connection

from engine import cases, deadlines
from engine.core.clock import now
from engine.core.types import User

RULE_FIELDS = (
    "key",
    "name",
    "kind",
    "process_key",
    "element_id",
    "dispute_type",
    "duration",
    "clock",
    "warn_fraction",
    "warn_before_hours",
    "escalate_after_hours",
    "source",
    "active",
    "updated_by",
    "updated_at",
    "starts_from",
    "scope",
    "extension_amount",
    "extension_clock",
    "extension_rule",
    "pausable",
    "closes_on",
)
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


def _rule(r) -> dict:
    return {**{k: getattr(r, k) for k in RULE_FIELDS}, "limit_text": deadlines.limit_text(r)}


def rules(conn: Connection) -> list[dict]:
    return [_rule(r) for r in deadlines.list_rules(conn)]


def set_rule(conn: Connection, user: User, key: str, changes: dict) -> dict:
    return _rule(deadlines.set_rule(conn, key, changes, user.username))


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
