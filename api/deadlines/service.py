"""Deadline endpoints' logic: SLA rules, a case's clocks (pause/resume), extensions, a case's deadlines."""


from sqlalchemy import Connection

from engine.cases import pause as clocks
from engine.core import clock
from engine.core.errors import Forbidden, InvalidData, NotFound
from engine.core.types import CASEWORKER_ROLES, User
from engine.deadlines import rules as deadlines
from engine.store import cases as case_store
from engine.store import deadlines as store

RULE_FIELDS = ("key", "name", "kind", "process_key", "element_id", "dispute_type", "duration", "clock",
               "warn_fraction", "warn_before_hours", "escalate_after_hours", "source", "active", "updated_by",
               "updated_at")
ROW_FIELDS = ("id", "case_id", "task_id", "kind", "rule_key", "name", "clock", "starts_at", "due_at", "warn_at",
              "status", "paused_at", "paused_seconds", "escalation_level", "next_escalation_at", "closed_at")


def rules(conn: Connection) -> list[dict]:
    return [{k: getattr(r, k) for k in RULE_FIELDS} for r in store.all_rules(conn)]


def set_rule(conn: Connection, user: User, key: str, changes: dict) -> dict:
    if not changes:
        raise InvalidData("nothing to change")
    if changes.get("clock") is not None and changes["clock"] not in deadlines.CLOCKS:
        raise InvalidData(f"clock must be one of {', '.join(deadlines.CLOCKS)}", {"clock": "unknown"})
    values = {**changes, "updated_by": user.username, "updated_at": clock.now()}
    if not store.update_rule(conn, key, values):
        raise NotFound(f"SLA rule '{key}' not found")
    deadlines.RULES.clear()  # this process at once; the others within RULE_CACHE_SECONDS
    return next(r for r in rules(conn) if r["key"] == key)


def _case(conn: Connection, user: User, case_id: int):
    case = case_store.get(conn, case_id)
    if case is None or (not user.sees_all_communities and case.community not in user.communities):
        raise NotFound(f"case {case_id} not found")
    return case


def _may_pause(user: User) -> None:
    if user.role not in (*CASEWORKER_ROLES, "supervisor"):
        raise Forbidden(f"role '{user.role}' may not pause or resume a case")


def pause(conn: Connection, user: User, case_id: int, reason: str) -> dict:
    _may_pause(user)
    _case(conn, user, case_id)
    return {"case_id": case_id, "paused_deadlines": clocks.pause_case(conn, case_id, user.username, reason)}


def resume(conn: Connection, user: User, case_id: int) -> dict:
    _may_pause(user)
    _case(conn, user, case_id)
    clocks.resume_case(conn, case_id, user.username)
    return {"case_id": case_id, "resumed": True}


def extend(conn: Connection, user: User, deadline_id: int, amount: int, clock: str, reason: str) -> dict:
    row = store.get(conn, deadline_id)
    if row is None:
        raise NotFound(f"deadline {deadline_id} not found")
    _case(conn, user, row.case_id)
    return clocks.extend_deadline(conn, deadline_id, amount, clock, reason, approved_by=user.username)


def for_case(conn: Connection, user: User, case_id: int) -> list[dict]:
    _case(conn, user, case_id)
    return [{k: getattr(r, k) for k in ROW_FIELDS} for r in store.for_case(conn, case_id)]
