"""异常 (issue 17): failed steps, emails that keep failing and stuck cases, and what a supervisor does about them.

An incident is a step that failed (``engine.cases.step.record_incident``): the case was left as it was, and a
task whose completion failed keeps what was submitted as its draft. 重试 runs the step again (the task is completed
with its draft, which its holder may have corrected; otherwise the case's due timers and engine steps run again);
跳过 runs it with the failing element marked complete without running, with a reason. Each action is logged
(``exception_actions``) and shown on the case's timeline. Supervisors and admins, within their communities.
"""

from sqlalchemy import Connection

from engine.cases import service
from engine.cases import step as steps
from engine.cases.access import check_visible
from engine.cases.readonly import check_not_filed
from engine.core import clock
from engine.core.errors import Conflict, InvalidData, NotFound, StepFailed
from engine.core.events import event
from engine.core.scope import scope
from engine.core.types import User
from engine.store import drafts as draft_store
from engine.store import events as event_store
from engine.store import exceptions as store

REASON_MAX = 2000


def reason_of(reason) -> str:
    """A reason is required (and kept as written, trimmed)."""
    if not isinstance(reason, str) or not reason.strip():
        raise InvalidData("a reason is required", {"reason": "required"})
    return reason.strip()[:REASON_MAX]


def incident_item(r) -> dict:
    return {"id": r.id, "case_id": r.case_id, "case_number": r.case_number, "case_status": r.case_status,
            "community": r.community, "element_id": r.element_id, "task_id": r.task_id, "task_name": r.task_name,
            "message": r.message, "at": r.at, "attempts": r.attempts, "actor": r.actor}


def email_item(r) -> dict:
    return {"id": r.id, "case_id": r.case_id, "case_number": r.case_number, "to_user": r.to_user,
            "to_address": r.to_address, "template": r.template, "attempts": r.attempts, "error": r.last_error,
            "created_at": r.created_at, "failed_at": r.next_attempt_at}


def stuck_item(r) -> dict:
    return {"id": r.id, "case_number": r.case_number, "process_key": r.process_key, "community": r.community,
            "created_at": r.created_at, "updated_at": r.updated_at}


def overview(conn: Connection, user: User) -> dict:
    """The three lists of the 异常 page, in the user's communities."""
    communities = scope(user)
    return {"incidents": [incident_item(r) for r in store.open_incidents(conn, communities)],
            "emails": [email_item(r) for r in store.failed_emails(conn, communities)],
            "stuck": [stuck_item(r) for r in store.stuck_cases(conn, communities)]}


def for_case(conn: Connection, user: User, case_id: int) -> dict:
    """One case's open incidents and failed emails, its status and what was done about them."""
    check_visible(conn, user, case_id)
    status = service.get_case(conn, case_id).status
    return {"case_id": case_id, "status": status,
            "incidents": [incident_item(r) for r in store.open_incidents(conn, None, case_id)],
            "emails": [email_item(r) for r in store.failed_emails(conn, None, case_id)],
            "actions": [{"at": a.at, "actor": a.actor, "action": a.action, "reason": a.reason}
                        for a in store.actions_for_case(conn, case_id)]}


def _open_incident(conn: Connection, user: User, incident_id: int):
    row = store.get_incident(conn, incident_id)
    if row is None:
        raise NotFound(f"incident {incident_id} not found")
    check_visible(conn, user, row.case_id)
    if row.resolved_at is not None or row.case_status not in store.LIVE:
        raise Conflict(f"incident {incident_id} is already resolved")
    check_not_filed(conn, row.case_id)
    return row


def _done(conn: Connection, row, user: User, kind: str, reason: str | None, skipped: bool = False) -> dict:
    at = clock.now()
    store.resolve(conn, [row.id], at)
    event_store.append(conn, [event(row.case_id, at, user.username, kind, row.task_id, incident=row.id,
                                    element=row.element_id, **({"reason": reason} if reason else {}))])
    case = service.get_case(conn, row.case_id)
    return {"id": row.id, "case_id": case.id, "case_number": case.case_number, "status": case.status,
            "skipped": skipped, "open_tasks": [{"id": t.id, "name": t.name} for t in case.open_tasks]}


def _task_data(conn: Connection, row) -> dict:
    draft = draft_store.get(conn, row.task_id)
    return dict(draft.data) if draft is not None else {}


def retry(conn: Connection, user: User, incident_id: int) -> dict:
    """Run the failed step again; a failure again is the same incident, one attempt more (StepFailed)."""
    row = _open_incident(conn, user, incident_id)
    store.log(conn, clock.now(), user.username, "retry", case_id=row.case_id, incident_id=row.id,
              data={"error": row.message, "attempts": row.attempts, "element": row.element_id})
    if row.task_id is not None:
        service.complete_task(conn, row.task_id, _task_data(conn, row), row.assignee or row.actor)
    else:
        service.fire_due_timers(conn, row.case_id)
    return _done(conn, row, user, "incident_retried", None)


def skip(conn: Connection, user: User, incident_id: int, reason: str) -> dict:
    """Run the failed step with its failing element marked complete without running, with a reason."""
    reason = reason_of(reason)
    row = _open_incident(conn, user, incident_id)
    if not row.element_id:
        raise Conflict(f"incident {incident_id} names no element to skip")
    store.log(conn, clock.now(), user.username, "skip", case_id=row.case_id, incident_id=row.id, reason=reason,
              data={"error": row.message, "attempts": row.attempts, "element": row.element_id})
    if row.task_id is not None:
        service.complete_task(conn, row.task_id, _task_data(conn, row), row.assignee or row.actor,
                              skip_element=row.element_id)
    else:
        case_row, run = steps.load(conn, row.case_id)
        at = clock.now()
        before = {t.id: t for t in run.ready_user_tasks()}
        try:
            run.skip(row.element_id)
        except StepFailed as err:  # another element failed: recorded as its own incident
            raise steps.record_incident(conn, case_row, err, at) from None
        steps.write(conn, case_row, run, before, user.username, at, [])
    return _done(conn, row, user, "incident_skipped", reason, skipped=True)
