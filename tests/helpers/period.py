"""Period-report test helpers: Q4 2026 petitions with the 60-day 信访 clock (registered, concluded, extended,
paused), and the imported ledger rows the HTTP and CLI tests count."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from sqlalchemy import delete, insert, select

from engine.cases import service
from engine.deadlines.rules import day_start, due_time
from engine.deadlines.seed import all_rules
from engine.store.tables import case_pauses, deadline_extensions, deadlines
from tests.helpers.ledger import row
from tests.helpers.process_driver import SUPERVISION, drive, handle, open_tasks, opinion, register

SHANGHAI = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 10, 12, 10, 0, tzinfo=SHANGHAI)  # Monday: the Q4 petitions are registered (受理)
NOV = datetime(2026, 11, 2, 10, 0, tzinfo=SHANGHAI)  # the transferred petition

PERIOD, IMPORT = "/api/v1/reports/period", "/api/v1/ledger/import"
# imported petitions (one 转送) and a mediation row, for the HTTP and CLI period tests
LEDGER_ROWS = [row("XF-1", "2026-10-15", 处理机构="信访", 处理结果="办结", 结案日期="2026-11-30"),
               row("XF-2", "2026-11-20", 处理机构="信访", 处理结果="转送", 结案日期="2026-11-21"),
               row("XF-3", "2026-03-02", 处理机构="信访", 处理结果="办结", 结案日期="2026-03-20"),
               row("TJ-1", "2026-12-01")]


def minute(at: datetime) -> str:
    return at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def register_petition(db, at: datetime, decision: str = "accepted") -> int:
    """A petition registered at ``at``: its form dates (受理日期 = accepted_on) are that day, Shanghai."""
    day = at.astimezone(SHANGHAI).date().isoformat()
    case, _ = drive(db, "petition_handling", [("petition_register", register(decision, on=day))],
                    {"dispute_type": "other"}, start=at.astimezone(UTC))
    return case.id


def conclusion_clock(db, case_id: int, at: datetime) -> int:
    """The 60-day 信访 conclusion clock from acceptance as the clocks record it: one case clock of the seeded
    rule petition_conclude_60d (its process, scope and start as the seed has them), in place of what the rules
    made, so the figures of a report depend only on the report."""
    rule = next(r for r in all_rules() if r["key"] == "petition_conclude_60d")
    start = day_start(at.astimezone(SHANGHAI).date())  # a clock from a case date starts at 00:00 of that day
    due = due_time(start, rule["duration"], rule["clock"])
    with db.begin() as conn:
        conn.execute(delete(deadlines).where(deadlines.c.case_id == case_id, deadlines.c.kind != "timer",
                                             deadlines.c.closed_at.is_(None)))
        return conn.execute(insert(deadlines).values(
            case_id=case_id, kind=rule["kind"], rule_key=rule["key"], name=rule["name"], clock=rule["clock"],
            starts_at=start, due_at=due, status="pending", created_at=at, updated_at=at, amount=rule["duration"],
            starts_from=rule["starts_from"], scope=rule["scope"], process_key=rule["process_key"],
        )).inserted_primary_key[0]


def conclude(db, case_id: int, at: datetime) -> None:
    """办结 at ``at``: handled, the 督办 task done if the BPMN's own 60-day timer opened it, and the 处理意见书 served
    that day. The matter then stays open 30 days for a 复查 request; the 60-day clock is left to the engine."""
    with time_machine.travel(at.astimezone(UTC), tick=False):
        task = next(t for t in open_tasks(db, case_id) if t.element_id == "petition_handle")
        with db.begin() as conn:
            done = service.complete_task(conn, task.id, data=handle(), actor="test")
        for task in [t for t in open_tasks(db, case_id) if t.element_id == "petition_overdue_supervise"]:
            with db.begin() as conn:
                done = service.complete_task(conn, task.id, data=SUPERVISION, actor="test")
        day = at.astimezone(SHANGHAI).date().isoformat()
        task = next(t for t in open_tasks(db, case_id) if t.element_id == "petition_opinion")
        with db.begin() as conn:
            done = service.complete_task(conn, task.id, data=opinion(served=day, received=day), actor="test")
    assert done.status == "active" and done.outcome == "petition_concluded"


def extend(db, deadline_id: int, days: int, at: datetime) -> datetime:
    """An approved extension of ``days`` natural days recorded at ``at``; returns the new due time."""
    with db.begin() as conn:
        old = conn.execute(select(deadlines.c.due_at).where(deadlines.c.id == deadline_id)).scalar_one()
        new = due_time(old, days, "natural")
        conn.execute(deadlines.update().where(deadlines.c.id == deadline_id).values(due_at=new, updated_at=at))
        conn.execute(insert(deadline_extensions).values(
            deadline_id=deadline_id, amount=days, clock="natural", old_due_at=old, new_due_at=new,
            reason="涉及多个部门，情况复杂", approved_by="leader1", at=at, kind="approval", requested_by="clerk1",
            party_told_on=at.date()))
    return new


def pause(db, case_id: int, kind: str, at: datetime, days: int) -> None:
    """A pause of the case's clocks (approved, ended ``days`` later)."""
    with db.begin() as conn:
        conn.execute(insert(case_pauses).values(case_id=case_id, kind=kind, reason="测试", started_at=at,
                                                started_by="clerk1", approved_by="leader1",
                                                ended_at=at + timedelta(days=days), ended_by="clerk1"))
