"""The escalation chain of a deadline: warn → breach (督办) → leader (领导包案), and the supervisor's acknowledgement.

Each function takes a connection inside one transaction, reads the deadline row locked and acts only
when the row is in the state its step expects; anything else does nothing and returns False, so a
duplicate or late message is harmless. Emails go to the outbox in the same transaction.
"""

import logging
import uuid
from datetime import datetime, timedelta

from sqlalchemy import Connection

from engine.core import clock
from engine.core.errors import Conflict, InvalidData, NotFound, StepFailed
from engine.core.events import event
from engine.core.types import Case
from engine.store import cases as case_store
from engine.store import escalations as store
from engine.store import events as event_store
from engine.store import tasks as task_store

log = logging.getLogger(__name__)

DEFAULT_ESCALATE_AFTER_HOURS = 24
SUPERVISOR_GROUP = "supervisor"
MAX_NOTE = 2000
TIMER_RETRY = timedelta(hours=1)  # a timer whose step fails (incident) is retried this often

try:  # the email side (engine/outbox.py) is built separately
    from engine.notifications import outbox
except ImportError:  # pragma: no cover - until the outbox lands
    outbox = None
    log.warning("engine.notifications.outbox is not available: deadline emails are not written")


def _seconds(row, now: datetime) -> int:
    return int((row.due_at - now).total_seconds())


def _context(row, now: datetime) -> dict:
    left = _seconds(row, now)
    ctx = {"case_id": row.case_id, "case_number": row.case_number, "deadline_name": row.name,
           "due_at": row.due_at.isoformat(), "task_name": row.task_name, "community": row.community,
           "assignee": row.assignee}
    ctx["seconds_left" if left >= 0 else "seconds_late"] = abs(left)
    return ctx


def _username(r) -> str | None:
    if isinstance(r, str):
        return r
    if isinstance(r, dict):
        return r.get("username")
    return getattr(r, "username", None)


def _address(r) -> str | None:
    if isinstance(r, dict):
        return r.get("email") or r.get("address")
    return getattr(r, "email", None) or getattr(r, "address", None)


def _email(conn: Connection, row, stage: str, template: str, who: dict | None, now: datetime) -> int:
    """Outbox rows for everyone ``who`` names (recipients() arguments); one per person, deduplicated."""
    if outbox is None or who is None:
        return 0
    return send(conn, row, stage, template, outbox.recipients(conn, **who), now)


def send(conn: Connection, row, stage: str, template: str, people: list | None, now: datetime) -> int:
    """Outbox rows for ``people`` (usernames or addresses) about ``row``'s ``stage``; deduplicated by key."""
    if outbox is None or not people:
        return 0
    ctx = _context(row, now)
    written = 0
    for person in people or []:
        user, address = _username(person), _address(person)
        key = f"deadline-{row.id}-{stage}-{int(row.due_at.timestamp())}-{user or address}"
        if outbox.enqueue(conn, dedupe_key=key, template=template, context=ctx, to_user=user,
                          to_address=None if user else address, case_id=row.case_id, at=now) is not None:
            written += 1
    return written


def _task_people(row) -> dict | None:
    """The assignee, or the candidate group's users in the case's community (None: nobody)."""
    if row.assignee:
        return {"usernames": [row.assignee]}
    return {"role": row.candidate_group, "community": row.community} if row.candidate_group else None


def _active(row) -> bool:
    return row is not None and row.case_status == "active" and row.case_paused_at is None


def warn(conn: Connection, deadline_id: int, now: datetime) -> bool:
    """Pending and past its warn point, not yet due: warned (level 1), the assignee is told."""
    row = store.lock(conn, deadline_id)
    if not _active(row) or row.kind == "timer" or row.status != "pending" or row.closed_at is not None:
        return False
    if row.warn_at is None or row.warn_at > now or row.due_at <= now:
        return False
    if not store.set_state(conn, row.id, "pending", {"status": "warned", "escalation_level": 1,
                                                      "claimed_until": None, "updated_at": now}):
        return False
    sent = _email(conn, row, "warn", "deadline_warning", _task_people(row), now)
    event_store.append(conn, [event(row.case_id, now, None, "deadline_warning", row.task_id, deadline=row.id,
                                          name=row.name, due=row.due_at.isoformat(),
                                          seconds_left=_seconds(row, now), emails=sent)])
    return True


def breach(conn: Connection, deadline_id: int, now: datetime) -> bool:
    """Pending or warned and past due: fired (level 2), an escalation task for the supervisors."""
    row = store.lock(conn, deadline_id)
    if not _active(row) or row.kind == "timer" or row.status not in ("pending", "warned"):
        return False
    if row.closed_at is not None or row.due_at > now:
        return False
    hours = store.escalate_after_hours(conn, row.rule_key) or DEFAULT_ESCALATE_AFTER_HOURS
    if not store.set_state(conn, row.id, row.status, {"status": "fired", "escalation_level": 2,
                                                       "next_escalation_at": now + timedelta(hours=hours),
                                                       "claimed_until": None, "updated_at": now}):
        return False
    task_id = str(uuid.uuid4())
    store.insert_task(conn, {"id": task_id, "case_id": row.case_id, "element_id": f"escalation_{row.id}",
                             "name": f"逾期督办：{row.name}"[:200], "process_key": row.process_key,
                             "candidate_group": SUPERVISOR_GROUP, "deadline_id": row.id, "status": "ready",
                             "created_at": now, "due_at": now + timedelta(hours=hours)})
    sent = _email(conn, row, "breach-supervisor", "escalation_supervisor",
                  {"role": SUPERVISOR_GROUP, "community": row.community}, now)
    sent += _email(conn, row, "breach", "deadline_breached", _task_people(row), now)
    event_store.append(conn, [
        event(row.case_id, now, None, "deadline_breached", task_id, deadline=row.id, name=row.name,
                    due=row.due_at.isoformat(), seconds_late=-_seconds(row, now), escalation_task=task_id,
                    emails=sent),
        event(row.case_id, now, None, "task_created", task_id, element=f"escalation_{row.id}",
                    name=f"逾期督办：{row.name}", group=SUPERVISOR_GROUP, task_kind="escalation"),
    ])
    return True


def escalate_leader(conn: Connection, deadline_id: int, now: datetime) -> bool:
    """Fired, level 2, the leader step due and the task still open: level 3, 领导包案."""
    row = store.lock(conn, deadline_id)
    if not _active(row) or row.status != "fired" or row.escalation_level != 2 or row.closed_at is not None:
        return False
    if row.next_escalation_at is None or row.next_escalation_at > now:
        return False
    if row.task_id is not None and row.task_status not in store.OPEN_TASK:
        return False
    if not store.set_state(conn, row.id, "fired", {"escalation_level": 3, "next_escalation_at": None,
                                                    "claimed_until": None, "updated_at": now}):
        return False
    leader = row.leader or store.first_leader(conn)
    if leader and not row.leader:
        store.set_case_leader(conn, row.case_id, leader, now)
    sent = _email(conn, row, "leader", "escalation_leader", {"role": "leader"}, now)
    event_store.append(conn, [event(row.case_id, now, None, "leader_case_assigned", row.task_id,
                                          deadline=row.id, name=row.name, leader=leader,
                                          seconds_late=-_seconds(row, now), emails=sent)])
    return True


def fire_timer(conn: Connection, deadline_id: int, now: datetime) -> bool:
    """A BPMN timer mirror is due: let the engine fire it (the step updates the row itself)."""
    from engine.cases import service  # service is the engine's entry point; imported late (it imports much)

    row = store.lock(conn, deadline_id)
    if row is None or row.kind != "timer" or row.status != "pending" or row.due_at > now:
        return False
    if row.case_status != "active":  # the case ended without the mirror being closed: close it
        return store.set_state(conn, row.id, "pending", {"status": "cancelled", "closed_at": now,
                                                          "claimed_until": None, "updated_at": now})
    if row.case_paused_at is not None:
        return False
    try:
        service.fire_due_timers(conn, row.case_id)
    except StepFailed:  # the incident is recorded; try again in an hour, not every lease
        store.set_state(conn, row.id, "pending", {"claimed_until": now + TIMER_RETRY, "updated_at": now})
        return False
    return True


def acknowledge(conn: Connection, task_id: str, data: dict | None, actor: str | None) -> Case:
    """Complete an escalation task (督办回复) with the supervisor's note; returns the case."""
    note = (data or {}).get("note") if isinstance(data, dict) else None
    if not isinstance(note, str) or not note.strip():
        raise InvalidData("a note is required to close an escalation", {"note": "required"})
    if len(note) > MAX_NOTE or "\x00" in note:
        raise InvalidData(f"the note must be at most {MAX_NOTE} characters", {"note": "too long"})
    task = store.lock_task(conn, str(task_id))
    if task is None or task.kind != "escalation":
        raise NotFound(f"escalation task {task_id} not found")
    if task.status not in store.OPEN_TASK:
        raise Conflict(f"task {task_id} is already {task.status}")
    if task.status == "claimed" and actor is not None and task.assignee not in (None, actor):
        raise Conflict(f"task {task_id} is claimed by {task.assignee}")
    at = clock.now()
    if not store.complete_task(conn, task.id, actor, at):
        raise Conflict(f"task {task_id} was completed meanwhile")
    event_store.append(conn, [event(task.case_id, at, actor, "escalation_acknowledged", task.id,
                                          deadline=task.deadline_id, note=note.strip())])
    case = case_store.get(conn, task.case_id)
    case.open_tasks = task_store.open_for_case(conn, task.case_id)
    return case
