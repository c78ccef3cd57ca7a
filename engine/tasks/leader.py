"""我的包案: the active cases a leader is in personal charge of (``cases.leader``, see ``engine.cases.warning``),
each with its open tasks (the stage) and its open clocks and their alerts (warned, overdue, 督办 to the leader).

Three statements whatever the number of cases. Parties as a list shows them: the name, the phone masked.
"""

from datetime import datetime

from sqlalchemy import Connection

from engine.cases.warning import is_group_case
from engine.core import clock
from engine.core.types import User
from engine.deadlines.clocks import overdue_by
from engine.store import queue_rows as store

# A clock's alert, most urgent first: 督办 passed on to the leader, overdue, warned; paused; none.
ALERTS = ("escalated", "overdue", "warned", "paused")


def _alert(d, now: datetime) -> str | None:
    if d.status == "paused":
        return "paused"
    if d.escalation_level >= 2:
        return "escalated"
    if d.status == "fired" or d.due_at < now:
        return "overdue"
    if d.status == "warned":
        return "warned"
    return None


def _clock(d, now: datetime) -> dict:
    alert = _alert(d, now)
    return {"id": d.id, "task_id": d.task_id, "kind": d.kind, "name": d.name, "status": d.status,
            "due_at": d.due_at, "seconds_remaining": int((d.due_at - now).total_seconds()), "alert": alert,
            "overdue_by": overdue_by(d.due_at, d.clock, now) if alert in ("overdue", "escalated") else None}


def led_cases(conn: Connection, user: User) -> list[dict]:
    """The user's 包案 cases, newest first; each case's most urgent alert first in ``alert``."""
    now = clock.now()
    out = []
    for c in store.led_cases(conn, user.username):
        clocks = [_clock(d, now) for d in c.clocks]
        alerts = [k["alert"] for k in clocks if k["alert"]]
        out.append({
            "id": c.id, "case_number": c.case_number, "community": c.community, "dispute_type": c.dispute_type,
            "created_at": c.created_at, "paused": c.paused, "summary": c.summary, "risk_level": c.risk_level,
            "people_count": c.people_count, "group_case": is_group_case(c.people_count),
            "applicant": applicant(c.applicant_name, c.applicant_phone),
            "tasks": [{"id": t.id, "name": t.name, "group": t.candidate_group, "assignee": t.assignee,
                       "status": t.status, "due_at": t.due_at} for t in c.tasks],
            "clocks": clocks, "alert": min(alerts, key=ALERTS.index) if alerts else None})
    return out



def applicant(name: str | None, phone_masked: str | None) -> dict | None:
    """A list's applicant: the name as the case page shows it to every role that sees the case, the phone only
    masked (full values are shown on the case page alone, to the roles that work with the parties, logged)."""
    if name is None:
        return None
    return {"name": name, "phone": phone_masked}
