"""Deadline test helpers: a review case waiting in 'examine' with one SLA deadline and its rule."""

from datetime import UTC, datetime

import time_machine

from engine.deadlines import rules as deadlines
from engine.store import deadlines as store
from tests.helpers.api import add_users
from tests.helpers.engine import complete, deploy, start

REGISTER = {"amount": 500, "channel": "window"}
T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # Monday 10:00 Shanghai


def add_rule(db, escalate_after_hours=24):
    with db.begin() as conn:
        store.insert_rule(conn, {"key": "examine_10d", "name": "审查（10日）", "kind": "sla", "process_key": "review",
                                 "element_id": "examine", "dispute_type": None, "duration": 10, "clock": "natural",
                                 "warn_fraction": None, "warn_before_hours": None,
                                 "escalate_after_hours": escalate_after_hours, "source": "test", "active": True,
                                 "updated_by": "test", "updated_at": T0})
    deadlines.RULES.clear()


def case_with_sla(db):
    """A review case waiting in 'examine' with one SLA deadline (and its BPMN timer mirror)."""
    deploy(db, "review_v1.bpmn")
    add_rule(db)
    add_users(db)
    with time_machine.travel(T0, tick=False):
        case = start(db, "review", {"community": "福田社区"})
        complete(db, case.open_tasks[0].id, REGISTER)
    (sla,) = [r for r in sla_rows(db, case.id)]
    return case, sla


def sla_rows(db, case_id):
    with db.begin() as conn:
        return [r for r in store.for_case(conn, case_id) if r.kind == "sla"]
