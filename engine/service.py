"""The engine's public service: start cases, complete tasks, fire timers, read queues.

Every function takes a connection inside one transaction (``Database.begin()``) and does
one thing. A step reads the case row locked, runs the workflow in memory, then writes
the case, its task rows and its events in a few bulk statements.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from engine import forms
from engine.definitions import deploy  # noqa: F401  (part of the service API)
from engine.errors import Conflict, InvalidData, NotFound, StepFailed
from engine.settings import get_settings
from engine.spiff.runtime import Run
from engine.store import cases as case_store
from engine.store import definitions as def_store
from engine.store import events as event_store
from engine.store import tasks as task_store
from engine.types import Case, Event, Task, TaskInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _now() -> datetime:
    return datetime.now(UTC)


def _spec_loader(conn: Connection, definition_id: int):
    return lambda: def_store.spec_json(conn, definition_id)


def case_number(year: int, seq: int) -> str:
    s = get_settings()
    return f"{s.case_number_prefix}{s.case_number_kind}〔{year}〕{seq:04d}号"


def _business_fields(data: dict) -> dict:
    out = {}
    for name in case_store.BUSINESS_FIELDS:
        value = data.get(name)
        if name == "amount" and value is not None:
            try:
                value = Decimal(str(value)).quantize(Decimal("0.01"))
            except (InvalidOperation, ValueError):
                value = None
        elif name == "people_count" and value is not None:
            value = int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
        elif name == "difficult" and value is not None:
            value = bool(value)
        elif value is not None and not isinstance(value, str):
            value = str(value)
        out[name] = value
    return out


@dataclass
class _Step:
    """What one engine step changed, ready to write."""

    conn: Connection
    case_id: int
    process_key: str
    actor: str | None
    now: datetime

    def task_rows(self, infos: list[TaskInfo]) -> list[dict]:
        return [
            {
                "id": t.id,
                "case_id": self.case_id,
                "element_id": t.element_id,
                "name": t.name,
                "process_key": t.process_key,
                "candidate_group": t.group,
                "status": "ready",
                "form_key": t.form_key,
                "created_at": self.now,
                "due_at": t.due_at,
            }
            for t in infos
        ]

    def event(self, kind: str, task_id: str | None = None, **data) -> dict:
        return {"case_id": self.case_id, "at": self.now, "actor": self.actor, "kind": kind, "task_id": task_id,
                "data": data}


def _write_step(step: _Step, run: Run, before: dict[str, TaskInfo], revision: int,
                events: list[dict], completed_id: str | None = None, extra: dict | None = None) -> None:
    after = {t.id: t for t in run.ready_user_tasks()}
    created = [t for i, t in after.items() if i not in before]
    cancelled = [i for i in before if i not in after and i != completed_id]
    data = run.data
    status = "completed" if run.completed else "active"
    values = {
        "state": run.dump(),
        "data": data,
        "status": status,
        "next_timer_at": run.next_timer_at(),
        "updated_at": step.now,
        "completed_at": step.now if run.completed else None,
        **_business_fields(data),
        **(extra or {}),
    }
    case_store.save_step(step.conn, step.case_id, revision, values)
    task_store.insert_many(step.conn, step.task_rows(created))
    task_store.cancel_many(step.conn, cancelled, step.now)
    events += [step.event("task_created", t.id, element=t.element_id, name=t.name, group=t.group) for t in created]
    events += [step.event("task_cancelled", i, element=before[i].element_id) for i in cancelled]
    if run.completed:
        events.append(step.event("case_completed", outcome=data.get("outcome")))
    event_store.append(step.conn, events)


def start_case(conn: Connection, process_key: str, data: dict | None = None, actor: str | None = None,
               version: int | None = None) -> Case:
    """Start a case on the latest (or given) version of a process."""
    definition = def_store.get(conn, process_key, version)
    if definition is None:
        raise NotFound(f"process '{process_key}'" + (f" version {version}" if version else "") + " is not deployed")
    if data is not None and not isinstance(data, dict):
        raise InvalidData("case data must be a JSON object")
    now = _now()
    run = Run.start(definition.content_hash, _spec_loader(conn, definition.id), dict(data or {}))
    year = now.astimezone(SHANGHAI).year
    number = case_number(year, case_store.next_number(conn, year))
    case_id = case_store.insert(conn, {
        "case_number": number, "year": year, "process_key": process_key, "definition_id": definition.id,
        "status": "active", "revision": 0, "state": "{}", "data": {}, "created_at": now, "created_by": actor,
        "updated_at": now,
    })
    step = _Step(conn, case_id, process_key, actor, now)
    events = [step.event("case_started", number=number, version=definition.version)]
    _write_step(step, run, {}, 0, events)
    return get_case(conn, case_id)


def _load(conn: Connection, case_id: int):
    row = case_store.lock(conn, case_id)
    if row is None:
        raise NotFound(f"case {case_id} not found")
    if row.status != "active":
        raise Conflict(f"case {row.case_number} is {row.status}")
    return row, Run.load(row.content_hash, _spec_loader(conn, row.definition_id), row.state)


def _incident(conn: Connection, row, err: StepFailed, now: datetime) -> StepFailed:
    """Record the failed step (the step itself is not written) and keep that record."""
    incident_id = event_store.record_incident(conn, row.id, getattr(err, "element", None), str(err), now)
    event_store.append(conn, [{"case_id": row.id, "at": now, "actor": None, "kind": "incident", "task_id": None,
                               "data": {"incident": incident_id, "message": str(err)}}])
    err.incident_id = incident_id
    err.keeps_transaction = True
    return err


def complete_task(conn: Connection, task_id: str, data: dict | None, actor: str | None) -> Case:
    """Complete an open user task with validated form data; exactly one completion wins."""
    task = task_store.get(conn, task_id)
    if task is None:
        raise NotFound(f"task {task_id} not found")
    if task.status not in task_store.OPEN:
        raise Conflict(f"task {task_id} is already {task.status}")
    if task.status == "claimed" and actor is not None and task.assignee not in (None, actor):
        raise Conflict(f"task {task_id} is claimed by {task.assignee}")
    row, run = _load(conn, task.case_id)
    schema = def_store.forms(conn, row.definition_id).get(task.form_key) if task.form_key else None
    clean = forms.validate(row.content_hash, task.form_key, schema, dict(data or {}) if isinstance(data, dict)
                           else data)
    now = _now()
    before = {t.id: t for t in run.ready_user_tasks()}
    try:
        run.complete(task_id, clean)
    except StepFailed as err:
        raise _incident(conn, row, err, now) from None
    if not task_store.complete(conn, task_id, actor, now):
        raise Conflict(f"task {task_id} was completed by someone else")
    step = _Step(conn, row.id, row.process_key, actor, now)
    events = [step.event("task_completed", task_id, element=task.element_id, name=task.name, data=clean)]
    _write_step(step, run, before, row.revision, events, completed_id=task_id)
    return get_case(conn, row.id)


def fire_due_timers(conn: Connection, case_id: int) -> Case:
    """Let the case's due timers fire (at the current time) and run the steps that follow."""
    row, run = _load(conn, case_id)
    now = _now()
    before = {t.id: t for t in run.ready_user_tasks()}
    timer_before = run.next_timer_at()
    try:
        run.advance()
    except StepFailed as err:
        raise _incident(conn, row, err, now) from None
    step = _Step(conn, row.id, row.process_key, None, now)
    events = []
    if run.next_timer_at() != timer_before or run.completed:
        events.append(step.event("timer_fired", due=timer_before.isoformat() if timer_before else None))
    _write_step(step, run, before, row.revision, events)
    return get_case(conn, row.id)


def claim_task(conn: Connection, task_id: str, user: str) -> Task:
    task = _open_task(conn, task_id)
    if task.assignee == user:
        return task
    if not task_store.claim(conn, task_id, user, _now()):
        raise Conflict(f"task {task_id} is already claimed by {task.assignee}")
    event_store.append(conn, [{"case_id": task.case_id, "at": _now(), "actor": user, "kind": "task_claimed",
                               "task_id": task_id, "data": {}}])
    return task_store.get(conn, task_id)


def release_task(conn: Connection, task_id: str, user: str | None) -> Task:
    task = _open_task(conn, task_id)
    if not task_store.release(conn, task_id, user):
        raise Conflict(f"task {task_id} is not claimed by {user}")
    event_store.append(conn, [{"case_id": task.case_id, "at": _now(), "actor": user, "kind": "task_released",
                               "task_id": task_id, "data": {}}])
    return task_store.get(conn, task_id)


def _open_task(conn: Connection, task_id: str) -> Task:
    task = task_store.get(conn, task_id)
    if task is None:
        raise NotFound(f"task {task_id} not found")
    if task.status not in task_store.OPEN:
        raise Conflict(f"task {task_id} is already {task.status}")
    return task


def list_tasks(conn: Connection, group: str | None = None, assignee: str | None = None,
               case_id: int | None = None, status: str = "open", limit: int = 50) -> list[Task]:
    return task_store.search(conn, group=group, assignee=assignee, case_id=case_id, status=status, limit=limit)


def get_task(conn: Connection, task_id: str) -> Task:
    task = task_store.get(conn, task_id)
    if task is None:
        raise NotFound(f"task {task_id} not found")
    return task


def get_case(conn: Connection, case_id: int) -> Case:
    case = case_store.get(conn, case_id)
    if case is None:
        raise NotFound(f"case {case_id} not found")
    case.open_tasks = task_store.open_for_case(conn, case_id)
    return case


def case_events(conn: Connection, case_id: int) -> list[Event]:
    return event_store.for_case(conn, case_id)


def due_timer_cases(conn: Connection, now: datetime | None = None, limit: int = 100) -> list[int]:
    return case_store.due_for_timers(conn, now or _now(), limit)
