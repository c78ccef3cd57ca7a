"""挂起 / 恢复 / 结束 a case from the 异常 page (issue 17), each with a reason, logged and on the timeline.

A suspended case (status ``suspended``) refuses every step (``engine.cases.step.check_active``) and its clocks
stand still: suspending pauses them the way a pause does (``engine.cases.pause``) unless they already stood
still; resuming gives them their time back. Ending cancels the workflow, its open tasks and deadlines
(``engine.cases.service.cancel_case``) and resolves its incidents.
"""

from sqlalchemy import Connection

from engine.cases import pause, service
from engine.cases import step as steps
from engine.cases.access import check_visible
from engine.cases.incidents import reason_of
from engine.cases.readonly import check_not_filed
from engine.core import clock
from engine.core.errors import Conflict, NotFound
from engine.core.events import event
from engine.core.types import User
from engine.store import cases as case_store
from engine.store import events as event_store
from engine.store import exceptions as store

SUSPENDED = "suspended"


def _out(conn: Connection, case_id: int) -> dict:
    case = service.get_case(conn, case_id)
    return {"id": case.id, "case_number": case.case_number, "status": case.status}


def suspend(conn: Connection, user: User, case_id: int, reason: str) -> dict:
    reason = reason_of(reason)
    check_visible(conn, user, case_id)
    check_not_filed(conn, case_id)
    row, _ = steps.load(conn, case_id)  # locked; an active case only
    paused = row.paused_at is None
    if paused:
        pause.pause_case(conn, case_id, user.username, reason, "other")
    at = clock.now()
    store.set_status(conn, case_id, SUSPENDED, at)
    store.log(conn, at, user.username, "suspend", case_id=case_id, reason=reason, data={"paused_clocks": paused})
    event_store.append(conn, [event(case_id, at, user.username, "case_suspended", reason=reason)])
    return _out(conn, case_id)


def _lock_suspended(conn: Connection, case_id: int):
    row = case_store.lock(conn, case_id)
    if row is None:
        raise NotFound(f"case {case_id} not found")
    if row.status != SUSPENDED:
        raise Conflict(f"case {row.case_number} is not suspended")
    return row


def _reactivate(conn: Connection, user: User, row, reason: str) -> None:
    """Active again, and the clocks that the suspension stopped running again (their paused time given back)."""
    at = clock.now()
    store.set_status(conn, row.id, "active", at)
    suspended = store.last_action(conn, row.id, "suspend")
    run = steps.load_run(conn, row)
    before = {t.id: t for t in run.ready_user_tasks()}
    events = []
    if row.paused_at is not None and suspended is not None and suspended.data.get("paused_clocks"):
        events = pause.resume(conn, row, run, user.username, at)
    events.append(event(row.id, at, user.username, "case_reactivated", reason=reason))
    steps.write(conn, row, run, before, user.username, at, events, timers_moved=len(events) > 1)


def resume(conn: Connection, user: User, case_id: int, reason: str) -> dict:
    reason = reason_of(reason)
    check_visible(conn, user, case_id)
    check_not_filed(conn, case_id)
    row = _lock_suspended(conn, case_id)
    _reactivate(conn, user, row, reason)
    store.log(conn, clock.now(), user.username, "resume", case_id=case_id, reason=reason)
    return _out(conn, case_id)


def end(conn: Connection, user: User, case_id: int, reason: str) -> dict:
    """Cancel the workflow, close its open tasks and deadlines, status cancelled; its incidents resolved."""
    reason = reason_of(reason)
    check_visible(conn, user, case_id)
    check_not_filed(conn, case_id)
    row = case_store.lock(conn, case_id)
    if row is None:
        raise NotFound(f"case {case_id} not found")
    if row.status == SUSPENDED:
        _reactivate(conn, user, row, reason)
    service.cancel_case(conn, case_id, user.username, reason)
    at = clock.now()
    resolved = store.resolve_for_case(conn, case_id, at)
    store.log(conn, at, user.username, "end", case_id=case_id, reason=reason, data={"incidents": resolved})
    return _out(conn, case_id)
