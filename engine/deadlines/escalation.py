"""The escalation chain of deadlines: warn → breach (督办) → leader (领导包案), and the supervisor's acknowledgement.

Each step takes a batch of deadline ids (one or many) inside one transaction, with as many statements
for many as for one: the rows still in the state the step expects are locked together, changed by one
UPDATE, their escalation tasks and events written by one INSERT each, their recipients looked up once
per (role, community). A row in any other state (done already, closed, paused, not due, a timer) is
skipped, so a duplicate or late message changes nothing. ``warn``, ``breach`` and ``escalate_leader``
are the steps for one id. Emails go to the outbox in the same transaction, deduplicated by key, to the people
the rule alerts (``sla_rules.alerts``: assignee, supervisor, leader); the steps themselves run whoever is told.
"""

import uuid
from datetime import datetime, timedelta

from sqlalchemy import Connection

from engine.core import clock
from engine.core.errors import Conflict, InvalidData, NotFound
from engine.core.events import event
from engine.core.types import Case
from engine.notifications import outbox
from engine.store import cases as case_store
from engine.store import escalations as store
from engine.store import events as event_store
from engine.store import tasks as task_store

DEFAULT_ESCALATE_AFTER_HOURS = 24
SUPERVISOR_GROUP = "supervisor"
MAX_NOTE = 2000


def _seconds(row, now: datetime) -> int:
    return int((row.due_at - now).total_seconds())


def _context(row, now: datetime) -> dict:
    left = _seconds(row, now)
    ctx = {
        "case_id": row.case_id,
        "case_number": row.case_number,
        "deadline_name": row.name,
        "due_at": row.due_at.isoformat(),
        "task_name": row.task_name,
        "community": row.community,
        "assignee": row.assignee,
    }
    ctx["seconds_left" if left >= 0 else "seconds_late"] = abs(left)
    return ctx


def _send(conn: Connection, row, stage: str, template: str, usernames: list[str], now: datetime) -> int:
    """Outbox rows for ``usernames`` about ``row``'s ``stage``; deduplicated by key; how many were written."""
    ctx = _context(row, now)
    written = 0
    for user in usernames:
        key = f"deadline-{row.id}-{stage}-{int(row.due_at.timestamp())}-{user}"
        if (
            outbox.enqueue(
                conn,
                dedupe_key=key,
                template=template,
                context=ctx,
                to_user=user,
                case_id=row.case_id,
                at=now,
            )
            is not None
        ):
            written += 1
    return written


def _task_people(row) -> dict | None:
    """The assignee, or the candidate group's users in the case's community (None: nobody)."""
    if row.assignee:
        return {"usernames": [row.assignee]}
    return {"role": row.candidate_group, "community": row.community} if row.candidate_group else None


class _Recipients:
    """recipients() answers for a batch: every assignee in one query, each (role, community) once."""

    def __init__(self, conn: Connection, rows: list):
        self._conn = conn
        names = sorted({r.assignee for r in rows if r.assignee})
        self._users = set(outbox.recipients(conn, usernames=names)) if names else set()
        self._groups: dict[tuple, list] = {}

    def __call__(self, who: dict | None) -> list[str]:
        if who is None:
            return []
        if "usernames" in who:
            return [u for u in who["usernames"] if u in self._users]
        key = (who.get("role"), who.get("community"))
        if key not in self._groups:
            self._groups[key] = outbox.recipients(self._conn, **who)
        return self._groups[key]


ALL_ALERTS = frozenset({"assignee", "supervisor", "leader"})


def _alerts(conn: Connection, rows: list) -> dict[str, set[str]]:
    """Who each row's rule alerts (a row without a rule: everyone)."""
    return store.rule_alerts(conn, {r.rule_key for r in rows})


def _alerted(alerts: dict[str, set[str]], row, who: str) -> bool:
    return who in alerts.get(row.rule_key, ALL_ALERTS)


def _change(conn: Connection, rows: list, expected: tuple[str, ...], values: dict) -> list:
    """``rows`` (locked) after one UPDATE of those still in ``expected``."""
    done = store.set_states(conn, [r.id for r in rows], expected, values)
    return [r for r in rows if r.id in done]


def warn_many(conn: Connection, ids: list[int], now: datetime) -> list[int]:
    """Pending rows past their warn point, not yet due: warned (level 1), the assignee is told; the ids warned."""
    rows = [
        r
        for r in store.lock_many(conn, ids, ("pending",))
        if r.warn_at is not None and r.warn_at <= now < r.due_at
    ]
    rows = _change(
        conn,
        rows,
        ("pending",),
        {"status": "warned", "escalation_level": 1, "claimed_until": None, "updated_at": now},
    )
    people = _Recipients(conn, rows)
    alerts = _alerts(conn, rows)
    events = []
    for row in rows:
        told = people(_task_people(row)) if _alerted(alerts, row, "assignee") else []
        sent = _send(conn, row, "warn", "deadline_warning", told, now)
        events.append(
            event(
                row.case_id,
                now,
                None,
                "deadline_warning",
                row.task_id,
                deadline=row.id,
                name=row.name,
                due=row.due_at.isoformat(),
                seconds_left=_seconds(row, now),
                emails=sent,
            )
        )
    event_store.append(conn, events)
    return [r.id for r in rows]


def _escalation_task(row, task_id: str, now: datetime, due: datetime) -> dict:
    """The 督办 task of a breached row, for the supervisors."""
    return {
        "id": task_id,
        "case_id": row.case_id,
        "element_id": f"escalation_{row.id}",
        "name": f"逾期督办：{row.name}"[:200],
        "process_key": row.process_key,
        "candidate_group": SUPERVISOR_GROUP,
        "deadline_id": row.id,
        "status": "ready",
        "created_at": now,
        "due_at": due,
    }


def _breach_events(row, task_id: str, now: datetime, emails: int) -> list[dict]:
    breached = event(
        row.case_id,
        now,
        None,
        "deadline_breached",
        task_id,
        deadline=row.id,
        name=row.name,
        due=row.due_at.isoformat(),
        seconds_late=-_seconds(row, now),
        escalation_task=task_id,
        emails=emails,
    )
    created = event(
        row.case_id,
        now,
        None,
        "task_created",
        task_id,
        element=f"escalation_{row.id}",
        name=f"逾期督办：{row.name}",
        group=SUPERVISOR_GROUP,
        task_kind="escalation",
    )
    return [breached, created]


def breach_many(conn: Connection, ids: list[int], now: datetime) -> list[int]:
    """Pending or warned rows past due: fired (level 2), one escalation task each for the supervisors;
    the ids fired."""
    rows = [r for r in store.lock_many(conn, ids, ("pending", "warned")) if r.due_at <= now]
    if not rows:
        return []
    hours = store.escalate_after_hours(conn, {r.rule_key for r in rows})
    default = now + timedelta(hours=DEFAULT_ESCALATE_AFTER_HOURS)
    next_at = store.by_rule({k: now + timedelta(hours=h) for k, h in hours.items()}, default)
    values = {"status": "fired", "escalation_level": 2, "next_escalation_at": next_at}
    rows = _change(conn, rows, ("pending", "warned"), {**values, "claimed_until": None, "updated_at": now})
    people = _Recipients(conn, rows)
    alerts = _alerts(conn, rows)
    task_rows, events = [], []
    for row in rows:
        task_id = str(uuid.uuid4())
        due = now + timedelta(hours=hours.get(row.rule_key) or DEFAULT_ESCALATE_AFTER_HOURS)
        task_rows.append(_escalation_task(row, task_id, now, due))
        supervisors = people({"role": SUPERVISOR_GROUP, "community": row.community}) \
            if _alerted(alerts, row, "supervisor") else []
        sent = _send(conn, row, "breach-supervisor", "escalation_supervisor", supervisors, now)
        told = people(_task_people(row)) if _alerted(alerts, row, "assignee") else []
        sent += _send(conn, row, "breach", "deadline_breached", told, now)
        events += _breach_events(row, task_id, now, sent)
    store.insert_tasks(conn, task_rows)
    event_store.append(conn, events)
    return [r.id for r in rows]


def escalate_leader_many(conn: Connection, ids: list[int], now: datetime) -> list[int]:
    """Fired rows at level 2 whose leader step is due and whose task is still open: level 3, 领导包案
    (the case gets a leader if it has none); the ids escalated."""
    rows = [
        r
        for r in store.lock_many(conn, ids, ("fired",))
        if r.escalation_level == 2
        and r.next_escalation_at is not None
        and r.next_escalation_at <= now
        and (r.task_id is None or r.task_status in store.OPEN_TASK)
    ]
    rows = _change(
        conn,
        rows,
        ("fired",),
        {"escalation_level": 3, "next_escalation_at": None, "claimed_until": None, "updated_at": now},
    )
    if not rows:
        return []
    first_leader = store.first_leader(conn) if any(not r.leader for r in rows) else None
    people = _Recipients(conn, rows)
    alerts = _alerts(conn, rows)
    events = []
    for row in rows:
        leader = row.leader or first_leader
        if leader and not row.leader:
            store.set_case_leader(conn, row.case_id, leader, now)
        leaders = people({"role": "leader"}) if _alerted(alerts, row, "leader") else []
        sent = _send(conn, row, "leader", "escalation_leader", leaders, now)
        events.append(
            event(
                row.case_id,
                now,
                None,
                "leader_case_assigned",
                row.task_id,
                deadline=row.id,
                name=row.name,
                leader=leader,
                seconds_late=-_seconds(row, now),
                emails=sent,
            )
        )
    event_store.append(conn, events)
    return [r.id for r in rows]


def warn(conn: Connection, deadline_id: int, now: datetime) -> bool:
    """``warn_many`` for one id: True when it was warned."""
    return bool(warn_many(conn, [deadline_id], now))


def breach(conn: Connection, deadline_id: int, now: datetime) -> bool:
    """``breach_many`` for one id: True when it was fired."""
    return bool(breach_many(conn, [deadline_id], now))


def escalate_leader(conn: Connection, deadline_id: int, now: datetime) -> bool:
    """``escalate_leader_many`` for one id: True when it was escalated."""
    return bool(escalate_leader_many(conn, [deadline_id], now))


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
    event_store.append(
        conn,
        [
            event(
                task.case_id,
                at,
                actor,
                "escalation_acknowledged",
                task.id,
                deadline=task.deadline_id,
                note=note.strip(),
            )
        ],
    )
    case = case_store.get(conn, task.case_id)
    case.open_tasks = task_store.open_for_case(conn, task.case_id)
    return case
