"""Warn and breach many deadlines in one transaction, with as many statements as for one.

The same steps as ``escalations.warn`` and ``escalations.breach`` (same state checks, same
escalation task, events and email dedupe keys), for a batch of deadline ids: the rows still in
the expected state are locked together, changed by one UPDATE, their escalation tasks and events
written by one INSERT each, their recipients looked up once per (role, community). A row in any
other state (done already, closed, paused, not due) is skipped, so a repeated batch changes nothing.
"""

import uuid
from datetime import datetime, timedelta

from sqlalchemy import Connection

from engine.core.events import event
from engine.deadlines.escalation import (
    DEFAULT_ESCALATE_AFTER_HOURS,
    SUPERVISOR_GROUP,
    _seconds,
    _task_people,
    outbox,
    send,
)
from engine.store import escalation_batch as store
from engine.store import events as event_store


class _Recipients:
    """recipients() answers for a batch: every assignee in one query, each (role, community) once."""

    def __init__(self, conn: Connection, rows: list):
        self._conn = conn
        names = sorted({r.assignee for r in rows if r.assignee})
        self._users = set(outbox.recipients(conn, usernames=names)) if names and outbox is not None else set()
        self._groups: dict[tuple, list] = {}

    def __call__(self, who: dict | None) -> list:
        if outbox is None or who is None:
            return []
        if "usernames" in who:
            return [u for u in who["usernames"] if u in self._users]
        key = (who.get("role"), who.get("community"))
        if key not in self._groups:
            self._groups[key] = outbox.recipients(self._conn, **who)
        return self._groups[key]


def warn_many(conn: Connection, ids: list[int], now: datetime) -> list[int]:
    """Pending rows past their warn point, not yet due: warned (level 1); the ids warned."""
    rows = [r for r in store.lock_many(conn, ids, ("pending",))
            if r.warn_at is not None and r.warn_at <= now < r.due_at]
    done = store.set_states(conn, [r.id for r in rows], ("pending",),
                            {"status": "warned", "escalation_level": 1, "claimed_until": None, "updated_at": now})
    rows = [r for r in rows if r.id in done]
    people = _Recipients(conn, rows)
    events = []
    for row in rows:
        sent = send(conn, row, "warn", "deadline_warning", people(_task_people(row)), now)
        events.append(event(row.case_id, now, None, "deadline_warning", row.task_id, deadline=row.id,
                                  name=row.name, due=row.due_at.isoformat(), seconds_left=_seconds(row, now),
                                  emails=sent))
    event_store.append(conn, events)
    return [r.id for r in rows]


def breach_many(conn: Connection, ids: list[int], now: datetime) -> list[int]:
    """Pending or warned rows past due: fired (level 2), one escalation task each; the ids fired."""
    rows = [r for r in store.lock_many(conn, ids, ("pending", "warned")) if r.due_at <= now]
    if not rows:
        return []
    hours = store.escalate_after_hours(conn, {r.rule_key for r in rows})
    default = now + timedelta(hours=DEFAULT_ESCALATE_AFTER_HOURS)
    next_at = store.by_rule({k: now + timedelta(hours=h) for k, h in hours.items()}, default)
    done = store.set_states(conn, [r.id for r in rows], ("pending", "warned"),
                            {"status": "fired", "escalation_level": 2, "next_escalation_at": next_at,
                             "claimed_until": None, "updated_at": now})
    rows = [r for r in rows if r.id in done]
    people = _Recipients(conn, rows)
    task_rows, events = [], []
    for row in rows:
        due = now + timedelta(hours=hours.get(row.rule_key) or DEFAULT_ESCALATE_AFTER_HOURS)
        task_id = str(uuid.uuid4())
        task_rows.append({"id": task_id, "case_id": row.case_id, "element_id": f"escalation_{row.id}",
                          "name": f"逾期督办：{row.name}"[:200], "process_key": row.process_key,
                          "candidate_group": SUPERVISOR_GROUP, "deadline_id": row.id, "status": "ready",
                          "created_at": now, "due_at": due})
        sent = send(conn, row, "breach-supervisor", "escalation_supervisor",
                    people({"role": SUPERVISOR_GROUP, "community": row.community}), now)
        sent += send(conn, row, "breach", "deadline_breached", people(_task_people(row)), now)
        events += [
            event(row.case_id, now, None, "deadline_breached", task_id, deadline=row.id, name=row.name,
                        due=row.due_at.isoformat(), seconds_late=-_seconds(row, now), escalation_task=task_id,
                        emails=sent),
            event(row.case_id, now, None, "task_created", task_id, element=f"escalation_{row.id}",
                        name=f"逾期督办：{row.name}", group=SUPERVISOR_GROUP, task_kind="escalation"),
        ]
    store.insert_tasks(conn, task_rows)
    event_store.append(conn, events)
    return [r.id for r in rows]
