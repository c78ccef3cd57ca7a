"""One engine step on one case: load under lock, write back in a few bulk statements.

``load`` reads the locked case row and its workflow; ``write`` stores what the step
changed (case row, new/cancelled task rows, events) and returns the case as it now is.
"""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from sqlalchemy import Connection

from engine.cases import consent, continuity, warning
from engine.cases import dates as case_dates
from engine.core.errors import Conflict, NotFound, StepFailed
from engine.core.events import event
from engine.core.settings import get_settings
from engine.core.types import Case, Task, TaskInfo
from engine.deadlines import clocks
from engine.deadlines import rules as deadlines
from engine.ledger import terms
from engine.spiff.runtime import Run
from engine.store import case_clocks as date_store
from engine.store import cases as case_store
from engine.store import deadlines as deadline_store
from engine.store import definitions as def_store
from engine.store import events as event_store
from engine.store import parties as party_store
from engine.store import startwrite, stepwrite, task_queries
from engine.store import tasks as task_store


def spec_loader(conn: Connection, definition_id: int):
    return lambda: def_store.spec_json(conn, definition_id)


def business_fields(data: dict) -> dict:
    """Workflow variables copied onto the case row, coerced to the column types."""
    out = {}
    for name in case_store.BUSINESS_FIELDS:
        value = data.get(name)
        if name == "over_level":  # 越级: a flag, never NULL
            value = value is True
        elif value is None:
            pass
        elif name == "amount":
            try:
                value = Decimal(str(value)).quantize(Decimal("0.01"))
            except (InvalidOperation, ValueError):
                value = None
        elif name == "people_count":
            value = int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
        elif name == "difficult":
            value = bool(value)
        elif not isinstance(value, str):
            value = str(value)
        out[name] = value
    return out


def _ledger(row, data: dict, values: dict) -> dict:
    """The case's ledger (台账) columns, so the annual report counts it like an imported one."""
    return terms.case_ledger(row.process_key, data, values["status"], row.created_at, values["completed_at"])


def check_active(row) -> None:
    if row.status != "active":
        raise Conflict(f"case {row.case_number} is {row.status}")


def load(conn: Connection, case_id: int):
    """(locked row, Run) for an active case."""
    row = case_store.lock(conn, case_id)
    if row is None:
        raise NotFound(f"case {case_id} not found")
    check_active(row)
    return row, load_run(conn, row)


def load_run(conn: Connection, row) -> Run:
    return Run.load(row.content_hash, spec_loader(conn, row.definition_id), row.state)


def record_incident(conn: Connection, row, err: StepFailed, at: datetime, task_id: str | None = None,
                    actor: str | None = None) -> StepFailed:
    """Record the failed step (the step itself is not written) and keep that record; ``task_id``: the task whose
    completion failed, ``actor`` who submitted it (a retry completes it for them)."""
    incident_id = event_store.record_incident(conn, row.id, getattr(err, "element", None), str(err), at,
                                              task_id, actor)
    event_store.append(conn, [event(row.id, at, None, "incident", incident=incident_id, message=str(err))])
    err.incident_id = incident_id
    err.keeps_transaction = True
    return err


def dump(run: Run) -> str:
    """The state to store; ``StepFailed`` above the per-case cap (``case_state_max_bytes``)."""
    return run.dump(get_settings().case_state_max_bytes)


def _task_rows(row, infos: list[TaskInfo], at: datetime) -> list[dict]:
    return [
        {"id": t.id, "case_id": row.id, "element_id": t.element_id, "name": t.name, "process_key": t.process_key,
         "candidate_group": t.group, "status": "ready", "form_key": t.form_key, "created_at": at,
         "due_at": t.due_at, "assignee": None, "claimed_at": None}
        for t in infos
    ]


def _due_from_rules(run: Run, task_rows: list[dict], rule_rows: list, case_clocks: list) -> None:
    """A task is due at its BPMN timer, its earliest SLA/statutory deadline or the earliest open case clock of
    the processes it runs in, whichever is first, so the queue, the badges and the dashboard all see the same
    due time."""
    served = [*rule_rows, *case_clocks]
    case_wide = any(d["scope"] == "case" for d in rule_rows) or case_clocks
    chains = case_dates.process_chains(run, [r["id"] for r in task_rows]) if case_wide else {}
    for r in task_rows:
        r["due_at"] = clocks.earliest(r["id"], chains.get(r["id"], (r["process_key"],)), r["due_at"], served)


def _close_ended_clocks(conn: Connection, row, states: dict, case_clocks: list, at: datetime) -> None:
    """Case clocks whose process has ended for the case (nothing of it ready, waiting or running, per
    ``Run.element_states()``): closed."""
    keys = {d["process_key"] if isinstance(d, dict) else d.process_key for d in case_clocks}
    if not keys:
        return
    active = {k for k, v in states.items() if v["active"]}
    date_store.close_case_clocks(conn, row.id, sorted(k for k in keys if k not in active), at)


def _to_close(conn: Connection, values: dict, before: dict[str, TaskInfo], completed_id: str | None,
              cancelled: list[str]) -> tuple[str | None, list[str], bool] | None:
    """(completed task, cancelled tasks, whole case) whose open deadlines the step closes; None: nothing to close
    (only ended tasks with a rule can have deadlines; a case that ends closes all of its own)."""
    ended = [i for i in [completed_id, *cancelled] if i in before]
    with_rules = [i for i in ended if deadlines.has_rule(conn, before[i].process_key, before[i].element_id)]
    case_done = values["status"] != "active"
    if not with_rules and not case_done:
        return None
    return completed_id if completed_id in with_rules else None, [i for i in cancelled if i in with_rules], case_done


def _write_deadlines(conn: Connection, row, values: dict, rule_rows: list[dict], close, at: datetime) -> None:
    """Open SLA deadlines for new tasks; for a new case, mirror its timer and close what its end closes (a step
    does both in its own write, ``engine.store.stepwrite``)."""
    if row.revision == 0 and values["next_timer_at"] is not None:
        deadline_store.mirror_timer(conn, row.id, values["next_timer_at"], at)
    deadline_store.insert_many(conn, [{**d, "case_id": row.id} for d in rule_rows])
    if row.revision == 0 and close is not None:
        deadline_store.close_for_tasks(conn, row.id, *close, at)


def _start_in_one(conn: Connection, row, values: dict, dates: dict | None, new_rows: list[dict], events: list[dict],
                  actor: str | None, at: datetime) -> None:
    """A new case in one statement (``engine.store.startwrite``); ``StaleDefinition`` when its definition is
    not the latest any more (nothing written)."""
    received = {"received_on": dates["received_on"]} if dates and "received_on" in dates else {}
    year, head, tail = row.number_parts
    done = startwrite.start(conn, definition=row.definition, values={**row.insert_values, "revision": 1, **values,
                                                                     **received},
                            number_head=head, number_tail=tail, year=year, dates=dates or {}, new_tasks=new_rows,
                            events=events, actor=actor, at=at)
    if done is None:
        raise StaleDefinition(row.process_key)
    row.id, row.case_number = done
    for r in new_rows:
        r["case_id"] = row.id


class StaleDefinition(Exception):
    """The case was built on a definition that is no longer the latest of its key (another process deployed)."""


def _open_tasks(conn: Connection, row, created_rows: list[dict], kept: list[str]) -> list[Task]:
    """Open tasks after the step: the new ones from memory; read only when older ones stay open."""
    new = [Task(id=r["id"], case_id=row.id, element_id=r["element_id"], name=r["name"], group=r["candidate_group"],
                assignee=r["assignee"], status=r["status"], form_key=r["form_key"], created_at=r["created_at"],
                due_at=r["due_at"], case_number=row.case_number, process_key=r["process_key"]) for r in created_rows]
    if not kept:
        return new
    return task_store.open_for_case(conn, row.id)


def write(conn: Connection, row, run: Run, before: dict[str, TaskInfo], actor: str | None, at: datetime,
          events: list[dict], completed_id: str | None = None, extra: dict | None = None,
          version: int | None = None, timers_moved: bool = False, dates: dict[str, date] | None = None,
          parties: list[dict] | None = None, state: str | None = None,
          worker: continuity.Worker | None = None) -> Case:
    """Persist the step (see ``engine.store.stepwrite``) and return the case as it now is.

    ``parties``: the ``case_parties`` rows of the parties the step brought in (``engine.core.privacy.
    seal_parties``: the workflow holds only their refs and masked values); written when the parties changed.

    ``dates``: case dates the step sets (checked, see ``engine.cases.dates``); the clocks counting from them
    start there, those already open are counted again.

    ``worker``: who completed ``completed_id`` (the logged-in user); new tasks of its group stay with them
    (``engine.cases.continuity``). None: read by ``actor`` when needed.
    """
    view = run.view()  # the ready tasks, the next timer, the diagram's states: one walk of the workflow
    after = {t.id: t for t in view.ready}
    created = [t for i, t in after.items() if i not in before]
    cancelled = [i for i in before if i not in after and i != completed_id]
    data = run.data
    done = run.completed
    fields = business_fields(data)
    try:
        state = state if state is not None else dump(run)
    except StepFailed as err:  # nothing of the step is written; a new case is not created at all
        raise (record_incident(conn, row, err, at) if row.revision != 0 else err) from None
    values = {"state": state, "data": data, "status": "completed" if done else "active",
              "next_timer_at": view.next_timer_at, "updated_at": at, "completed_at": at if done else None,
              **fields, **(extra or {})}
    values.update(_ledger(row, data, values))
    new_rows = _task_rows(row, created, at)
    known, case_clocks, date_events, states = dict(dates or {}), [], [], view.element_states
    completed_element = before[completed_id].element_id if completed_id in before else None
    if row.revision != 0:
        # the parties consented to extend a term: its clock extended (and open again) before the step's tasks
        date_events = consent.after_task(conn, row.id, completed_element, data, actor, at)
        reached = deadlines.reached_rules(conn, states)
        changed = date_store.put_changed(conn, row.id, dates, actor, at) if dates else set()
        if "received_on" in changed:  # the case row's column, written with the step
            values["received_on"] = dates["received_on"]
        if changed and any(r.starts_from in changed for r in reached):  # open clocks counting from them
            date_events += clocks.recompute_from_dates(conn, row.id, date_store.for_case(conn, row.id), changed,
                                                      actor, at)
        if deadlines.needs_dates(conn, new_rows):
            known = date_store.for_case(conn, row.id)
        if any(r.scope == "case" for r in reached):
            case_clocks = [d for d in date_store.open_clocks(conn, row.id) if d.scope == "case"]
    values["element_states"] = states  # the case page's diagram (no workflow load)
    # case clocks whose closing element is the task just completed (信访 60 days: the 处理意见书) end here
    closing = deadlines.closed_by(conn, completed_element)
    closing &= {d.rule_key for d in case_clocks}
    case_clocks = [d for d in case_clocks if d.rule_key not in closing]
    rule_rows = deadlines.task_deadlines(conn, row.id, new_rows, fields["dispute_type"], at, known,
                                         {d.rule_key for d in case_clocks} | closing)
    _due_from_rules(run, new_rows, rule_rows, case_clocks)
    events = [*events, *date_events]
    in_one = row.revision == 0 and getattr(row, "number_parts", None) is not None  # PostgreSQL: one statement
    if row.revision == 0 and not in_one:  # a new case: one INSERT with everything, then its rows
        received = {"received_on": dates["received_on"]} if dates and "received_on" in dates else {}
        row.id = case_store.insert(conn, {**row.insert_values, "revision": 1, **values, **received})
        for r in new_rows:
            r["case_id"] = row.id
        date_store.put(conn, row.id, dates or {}, actor, at, new_case=True)
        events = [{**e, "case_id": row.id} for e in events]
    events = events + [event(row.id, at, actor, "task_created", t.id, element=t.element_id, name=t.name,
                             group=t.group) for t in created]
    if row.revision != 0 and completed_id in before:
        events += continuity.keep(
            row.id, new_rows, before[completed_id].group, fields["community"],
            lambda: worker if worker is not None else task_queries.person(conn, username=actor),
            actor, completed_id, at)
    events += [event(row.id, at, actor, "task_cancelled", i, element=before[i].element_id) for i in cancelled]
    if done and values["status"] == "completed":
        events.append(event(row.id, at, actor, "case_completed", outcome=data.get("outcome")))
    close = _to_close(conn, values, before, completed_id, cancelled)
    if in_one:
        _start_in_one(conn, row, values, dates, new_rows, events, actor, at)
    elif row.revision == 0:
        task_store.insert_many(conn, new_rows)
        event_store.append(conn, events)
    else:
        timer_changed = timers_moved or values["next_timer_at"] != row.next_timer_at
        stepwrite.write(conn, case_id=row.id, revision=row.revision, values=values, new_tasks=new_rows,
                        cancelled=cancelled, events=events, completed_id=completed_id, actor=actor, at=at,
                        mirror_timer=timer_changed, close=close)
    if parties is not None and data.get("parties") != run.loaded_parties:
        party_store.replace(conn, row.id, parties, new=row.revision == 0)
    _write_deadlines(conn, row, values, rule_rows, close, at)
    if closing:
        date_store.close_rule_clocks(conn, row.id, sorted(closing), at)
    opened = [d for d in rule_rows if d["scope"] == "case"]
    if not done and values["status"] == "active" and (case_clocks or opened):
        _close_ended_clocks(conn, row, states, [*case_clocks, *opened], at)
    kept = [i for i in after if i in before]
    if kept and (opened or closing or any(e["kind"] in ("deadline_recomputed", "deadline_extended")
                                          for e in date_events)):
        case_dates.refresh_task_dues(conn, row.id, run)  # older tasks serve the clock that opened or moved
    warning.after_step(conn, row.id, before[completed_id].element_id if completed_id in before else None,
                       new_rows, data, actor, at)
    amount = fields.get("amount")
    case = Case(
        id=row.id, case_number=row.case_number, process_key=row.process_key,
        definition_id=values.get("definition_id", row.definition_id),
        definition_version=version or row.version, status=values["status"], data=data,
        channel=fields["channel"], dispute_type=fields["dispute_type"], community=fields["community"],
        summary=fields["summary"], amount=float(amount) if amount is not None else None,
        risk_level=fields["risk_level"], outcome=fields["outcome"], next_timer_at=values["next_timer_at"],
        created_at=row.created_at, updated_at=at, completed_at=values["completed_at"],
        open_tasks=_open_tasks(conn, row, new_rows, kept),
    )
    run.release()  # the workflow is written: its objects freed now, not by the cyclic collector
    return case
