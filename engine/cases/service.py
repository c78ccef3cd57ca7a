"""The engine's public service: start cases, complete tasks, fire timers, read queues.

Every function takes a connection inside one transaction (``Database.begin()``) and does
one thing. A step reads the case row locked, runs the workflow in memory, then writes
the case, its task rows and its events in a few bulk statements (``engine.cases.step``).
"""

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from engine.cases import attachments, signed
from engine.cases import dates as case_dates
from engine.cases import pause as clocks
from engine.cases import step as steps
from engine.cases.readonly import check_not_filed
from engine.core import clock
from engine.core.errors import Conflict, InvalidData, NotFound, StepFailed
from engine.core.events import event
from engine.core.privacy import needs_known, seal_parties
from engine.core.settings import get_settings
from engine.core.types import Case, Event, Task, User
from engine.deadlines import escalation as escalations
from engine.processes import forms
from engine.spiff.runtime import Run
from engine.store import case_queries
from engine.store import cases as case_store
from engine.store import definitions as def_store
from engine.store import drafts as draft_store
from engine.store import events as event_store
from engine.store import privacy as privacy_store
from engine.store import tasks as task_store

SHANGHAI = ZoneInfo("Asia/Shanghai")


def case_number(year: int, seq: int) -> str:
    s = get_settings()
    return f"{s.case_number_prefix}{s.case_number_kind}〔{year}〕{seq:04d}号"


def _number_parts(year: int) -> tuple[str, str]:
    """(what comes before, after) the sequence number in the year's 案号 (``case_number``)."""
    probe = 987654321
    head, _, tail = case_number(year, probe).rpartition(str(probe))
    return head, tail


def start_case(conn: Connection, process_key: str, data: dict | None = None, actor: str | None = None,
               version: int | None = None, received_on=None) -> Case:
    """Start a case on the latest (or given) version of a process.

    Case dates in ``data`` (received_on …) are recorded; ``received_on`` (a date or ISO string) is the day the
    matter reached the office, today (Shanghai) when neither gives it.
    """
    if data is not None and not isinstance(data, dict):
        raise InvalidData("case data must be a JSON object")
    dates = case_dates.check({**(data or {}), **({"received_on": received_on} if received_on else {})})
    data, parties = seal(dict(data or {}))
    for fresh in (False, True):  # the latest version as this process knows it; read again if a deploy came since
        if fresh:
            def_store.forget(conn, process_key)
        try:
            return _start(conn, process_key, version, dict(data), dict(dates), parties, actor)
        except steps.StaleDefinition:
            continue
    raise Conflict(f"process '{process_key}' was deployed again while the case started; try again")


def _start(conn: Connection, process_key: str, version: int | None, data: dict, dates: dict, parties, actor):
    definition = def_store.get(conn, process_key, version) if version else def_store.latest(conn, process_key)
    if definition is None:
        raise NotFound(f"process '{process_key}'" + (f" version {version}" if version else "") + " is not deployed")
    at = clock.now()
    dates.setdefault("received_on", at.astimezone(SHANGHAI).date())
    run = Run.start(definition.content_hash, steps.spec_loader(conn, definition.id), data)
    year = at.astimezone(SHANGHAI).year
    in_one = conn.dialect.name == "postgresql"  # the number is made in the start's own statement
    number = None if in_one else case_number(year, case_store.next_number(conn, year))
    row = SimpleNamespace(
        id=None, revision=0, next_timer_at=None, definition_id=definition.id, version=definition.version, case_number=number,
        process_key=process_key, created_at=at, definition=definition,
        number_parts=(year, *_number_parts(year)) if in_one else None,
        insert_values={"case_number": number, "year": year, "process_key": process_key,
                       "definition_id": definition.id, "created_at": at, "created_by": actor, "owner": actor},
    )
    started = event(0, at, actor, "case_started", number=number, version=definition.version)
    return steps.write(conn, row, run, {}, actor, at, [started], dates=dates, parties=parties)


def seal(data: dict, conn: Connection | None = None, case_id: int | None = None) -> tuple[dict, list[dict] | None]:
    """(``data`` with its parties' ID numbers and phones swapped for a ``party_ref`` and masked values, the
    parties' ``case_parties`` rows with the full values encrypted; None when the data brings no parties)."""
    if "parties" not in data:
        return data, None
    known = privacy_store.known_rows(conn, case_id) if case_id and needs_known(data["parties"]) else None
    sealed, rows = seal_parties(data["parties"], known)
    return {**data, "parties": sealed}, rows


def complete_task(conn: Connection, task_id: str, data: dict | None, actor: str | None,
                  worker: User | None = None, skip_element: str | None = None,
                  authorize: Callable[[Any], None] | None = None) -> Case:
    """Complete an open user task with validated form data; exactly one completion wins.

    ``worker``: the logged-in user named ``actor``, who keeps the case's next task of the same group
    (``engine.cases.continuity``); without it the person is read by name when it matters.
    ``skip_element``: an element that failed before is marked complete without running (``engine.cases.incidents``).
    ``authorize(row)``: raises when the caller may not complete the task, given the locked row (the task's
    status, group, assignee and the case's community): the check and the lock in one read.
    """
    row = case_store.lock_for_task(conn, str(task_id))
    if row is None:
        raise NotFound(f"task {task_id} not found")
    if authorize is not None:
        authorize(row)
    if row.task_status not in task_store.OPEN:
        raise Conflict(f"task {task_id} is already {row.task_status}")
    if row.task_status == "claimed" and actor is not None and row.assignee not in (None, actor):
        raise Conflict(f"task {task_id} is claimed by {row.assignee}")
    if row.task_kind == "escalation":  # a deadline breach for a supervisor, not a workflow task
        if row.has_draft:
            draft_store.delete_for_task(conn, str(task_id))
        return escalations.acknowledge(conn, str(task_id), data, actor)
    steps.check_active(row)
    schema = forms.schema_for(row.content_hash, row.form_key, lambda: def_store.forms(conn, row.definition_id))
    clean = forms.validate(row.content_hash, row.form_key, schema, data if data is not None else {})
    attachments.check_references(conn, row.id, schema, clean)
    signed.check(conn, row.id, schema, clean)
    dates = case_dates.check(clean)
    clean, parties = seal(clean, conn, row.id)
    run = steps.load_run(conn, row)
    at = clock.now()
    before = {t.id: t for t in run.ready_user_tasks()}
    events = clocks.resume(conn, row, run, actor, at) if row.paused_at is not None else []
    try:
        if skip_element is None:
            run.complete(task_id, clean)
        else:
            run.skip(skip_element, task_id, clean)
        state = steps.dump(run)  # over the cap: an incident, and the draft is kept
    except StepFailed as err:  # what was submitted becomes the task's draft: a retry (异常 page) completes with it
        draft_store.save(conn, str(task_id), data if data is not None else {}, actor or "system", at)
        raise steps.record_incident(conn, row, err, at, str(task_id), actor) from None
    if row.has_draft:  # read with the lock: no statement when there is none
        draft_store.delete_for_task(conn, str(task_id))
    done = event(row.id, at, actor, "task_completed", task_id, element=row.element_id, name=row.task_name,
                       data=clean)
    return steps.write(conn, row, run, before, actor, at, [*events, done], completed_id=task_id,
                       timers_moved=bool(events), dates=dates, parties=parties, state=state, worker=worker)


def fire_due_timers(conn: Connection, case_id: int) -> Case:
    """Let the case's due timers fire (at the current time) and run the steps that follow.

    A paused case's clocks stand still: nothing fires until it is resumed.
    """
    row, run = steps.load(conn, case_id)
    if row.paused_at is not None:
        return get_case(conn, case_id)
    at = clock.now()
    before = {t.id: t for t in run.ready_user_tasks()}
    timer_before = run.next_timer_at()
    try:
        run.advance()
    except StepFailed as err:
        raise steps.record_incident(conn, row, err, at) from None
    events = []
    if run.next_timer_at() != timer_before or run.completed:
        events.append(event(row.id, at, None, "timer_fired",
                                  due=timer_before.isoformat() if timer_before else None))
    return steps.write(conn, row, run, before, None, at, events)


def cancel_case(conn: Connection, case_id: int, actor: str | None, reason: str) -> Case:
    """Stop an active case: every open task is cancelled and the reason recorded."""
    if not isinstance(reason, str) or not reason.strip():
        raise InvalidData("a reason is required to cancel a case", {"reason": "required"})
    check_not_filed(conn, case_id)
    row, run = steps.load(conn, case_id)
    at = clock.now()
    before = {t.id: t for t in run.ready_user_tasks()}
    run.cancel()
    cancelled = event(row.id, at, actor, "case_cancelled", reason=reason.strip())
    return steps.write(conn, row, run, before, actor, at, [cancelled],
                       extra={"status": "cancelled", "completed_at": at})


def list_tasks(conn: Connection, group: str | None = None, assignee: str | None = None,
               case_id: int | None = None, status: str = "open", limit: int = 50) -> list[Task]:
    return task_store.search(conn, group=group, assignee=assignee, case_id=case_id, status=status, limit=limit)




def get_case(conn: Connection, case_id: int) -> Case:
    case = case_store.get(conn, case_id)
    if case is None:
        raise NotFound(f"case {case_id} not found")
    case.open_tasks = task_store.open_for_case(conn, case_id)
    return case


def element_states(conn: Connection, case_id: int) -> dict[str, dict[str, list[str]]]:
    """{process key: {"active": [...], "completed": [...]}} of the case's workflow (read, not stepped)."""
    row = case_queries.workflow_row(conn, case_id)
    if row is None:
        raise NotFound(f"case {case_id} not found")
    return steps.load_run(conn, row).element_states()


def case_events(conn: Connection, case_id: int) -> list[Event]:
    return event_store.for_case(conn, case_id)

