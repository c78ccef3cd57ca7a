"""A case's dates the law counts from: read from forms and intake, checked, changed after intake.

Canonical names (a form field of ``"format": "date"`` with one of these names is captured when its task is
completed): see ``CASE_DATES``. A date in the future or more than ``MAX_YEARS`` years before today (Shanghai)
is refused with a field error. Changing a date recomputes the open deadlines that count from it.
"""

from datetime import date, datetime
from uuid import UUID

from sqlalchemy import Connection

from engine.cases.access import check_visible
from engine.cases.readonly import check_not_filed
from engine.core import clock
from engine.core.calendar import local_day
from engine.core.errors import Forbidden, InvalidData
from engine.core.events import event
from engine.core.types import CASEWORKER_ROLES, User
from engine.deadlines import clocks
from engine.spiff.runtime import Run
from engine.store import case_clocks as store
from engine.store import events as event_store
from engine.store import tasks as task_store

CASE_DATES = {
    "received_on": "收到/来访日期",
    "accepted_on": "受理日期",
    "applied_on": "申请日期",
    "agreement_effective_on": "协议生效日期",
    "notice_served_on": "告知书送达日期",
    "opinion_received_on": "处理意见书收到日期",
    "review_applied_on": "复查申请日期",
    "recheck_applied_on": "复核申请日期",
    "review_opinion_received_on": "复查意见书收到日期",
    "knew_on": "知道或应当知道权利被侵害之日",
    "leader_target_on": "包案化解目标日期",
}
TARGETS = {"leader_target_on"}  # a date set ahead (a target), not one that has happened: may be in the future
ALIASES = {"received_date": "received_on"}  # the intake form's older name
MAX_YEARS = 5
CHANGE_ROLES = (*CASEWORKER_ROLES, "supervisor")


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def check(values: dict, *, strict: bool = False) -> dict[str, date]:
    """The case dates among ``values`` as days, checked; raises InvalidData with one error per bad field.

    ``strict``: every key must be a case date name (a change request); otherwise other keys are ignored.
    """
    today = local_day(clock.now())
    oldest = _years_before(today, MAX_YEARS)
    out, errors, kinds = {}, {}, {}
    for key, value in values.items():
        name = ALIASES.get(key, key)
        if name not in CASE_DATES:
            if strict:
                errors[key], kinds[key] = "not a case date", "unknown_date"
            continue
        if value is None or value == "":
            continue
        try:
            day = value if isinstance(value, date) and not isinstance(value, datetime) else date.fromisoformat(value)
        except (TypeError, ValueError):
            errors[key], kinds[key] = "invalid date", "date_parsing"
            continue
        if day > today and name not in TARGETS:
            errors[key], kinds[key] = "must not be in the future", "date_in_future"
        elif day < oldest:
            errors[key], kinds[key] = f"more than {MAX_YEARS} years ago", "date_too_old"
        elif name not in out or key == name:
            out[name] = day
    if errors:
        field, reason = next(iter(errors.items()))
        err = InvalidData(f"日期不正确（{field}: {reason}）", errors)
        err.kinds = kinds
        raise err
    return out


def process_chains(run: Run, task_ids) -> dict[str, tuple[str, ...]]:
    """{task id: the process keys it runs in, innermost first}: its (sub)process, the processes around it.

    A case clock of process P serves every task whose chain holds P (a task of an embedded subprocess or a
    called process within P too).
    """
    out = {}
    for task_id in task_ids:
        names, task = [], run.wf.get_task_from_id(UUID(task_id))
        while task is not None:
            names.append(task.workflow.spec.name)
            parent_id = getattr(task.workflow, "parent_task_id", None)
            task = run.wf.get_task_from_id(parent_id) if parent_id is not None else None
        out[task_id] = tuple(names)
    return out


def refresh_task_dues(conn: Connection, case_id: int, run: Run) -> None:
    """Every open task shows the earliest clock it serves: its BPMN timer, its own rule deadlines, the open
    case clocks of its process."""
    timers = {t.id: t.due_at for t in run.ready_user_tasks()}
    chains = process_chains(run, timers)
    open_clocks = store.open_clocks(conn, case_id)
    changes = []
    for t in task_store.open_for_case(conn, case_id):
        if t.id not in timers:  # an escalation task, not a workflow task
            continue
        due = clocks.earliest(t.id, chains[t.id], timers[t.id], open_clocks)
        if due != t.due_at:
            changes.append((t.id, due))
    task_store.set_due(conn, changes)


def apply(conn: Connection, case_id: int, days: dict[str, date], actor: str | None, at: datetime,
          run: Run | None, announce_new: bool = False) -> list[dict]:
    """Store changed dates, recompute the open deadlines counting from them; the timeline events (not written):
    ``case_date_changed`` for a date that had another value (or any, ``announce_new``), ``deadline_recomputed``.

    ``run``: the case's workflow, to refresh its tasks' due times (None: the caller does it).
    """
    stored = store.for_case(conn, case_id)
    changed = {k: v for k, v in days.items() if stored.get(k) != v}
    if not changed:
        return []
    store.put(conn, case_id, changed, actor, at)
    events = [event(case_id, at, actor, "case_date_changed", name=k, label=CASE_DATES[k],
                    old=stored[k].isoformat() if k in stored else None, new=v.isoformat())
              for k, v in changed.items() if announce_new or stored.get(k) is not None]
    events += clocks.recompute_from_dates(conn, case_id, {**stored, **changed}, set(changed), actor, at)
    if run is not None and any(e["kind"] == "deadline_recomputed" for e in events):
        refresh_task_dues(conn, case_id, run)
    return events


def change_dates(conn: Connection, user: User, case_id: int, values: dict) -> dict:
    """PATCH /cases/{id}/dates by a caseworker or supervisor of the case's community: {"dates", "recomputed"}."""
    from engine.cases import step as steps  # step imports this module

    if user.role not in CHANGE_ROLES:
        raise Forbidden(f"role '{user.role}' may not change a case's dates")
    check_visible(conn, user, case_id)
    check_not_filed(conn, case_id)
    if not isinstance(values, dict) or not values:
        raise InvalidData("nothing to change", {"(body)": "required"})
    days = check(values, strict=True)
    row, run = steps.load(conn, case_id)
    at = clock.now()
    events = apply(conn, row.id, days, user.username, at, run, announce_new=True)
    event_store.append(conn, events)
    return {"case_id": case_id, "dates": {k: v.isoformat() for k, v in store.for_case(conn, case_id).items()},
            "recomputed": sum(1 for e in events if e["kind"] == "deadline_recomputed")}
