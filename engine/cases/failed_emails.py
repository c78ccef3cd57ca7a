"""Emails that keep failing (issue 17, 异常): sent again (every attempt back) or dropped with a reason.

An outbox row is ``failed`` once every attempt is used (``engine.notifications.delivery``). 重发 makes it
pending again for the next sweep; 放弃 marks it ``dropped`` (kept, never sent). Both are logged
(``exception_actions``, with the error and attempts they found) and, for a case's email, on its timeline.
"""

from sqlalchemy import Connection

from engine.cases.access import check_visible
from engine.cases.incidents import reason_of
from engine.core import clock
from engine.core.errors import Conflict, NotFound
from engine.core.events import event
from engine.core.types import User
from engine.store import events as event_store
from engine.store import exceptions as store


def _failed(conn: Connection, user: User, outbox_id: int):
    row = store.lock_email(conn, outbox_id)
    if row is None:
        raise NotFound(f"email {outbox_id} not found")
    if row.case_id is not None:
        check_visible(conn, user, row.case_id)
    if row.status != "failed":
        raise Conflict(f"email {outbox_id} is {row.status}, not failed")
    return row


def _record(conn: Connection, user: User, row, action: str, reason: str | None) -> dict:
    at = clock.now()
    store.log(conn, at, user.username, action, case_id=row.case_id, outbox_id=row.id, reason=reason,
              data={"error": row.last_error, "attempts": row.attempts, "template": row.template})
    if row.case_id is not None:
        event_store.append(conn, [event(row.case_id, at, user.username, action, email=row.id,
                                        **({"reason": reason} if reason else {}))])
    return {"id": row.id, "status": "pending" if action == "email_retried" else "dropped"}


def retry_email(conn: Connection, user: User, outbox_id: int) -> dict:
    row = _failed(conn, user, outbox_id)
    store.requeue_email(conn, row.id, clock.now())
    return _record(conn, user, row, "email_retried", None)


def drop_email(conn: Connection, user: User, outbox_id: int, reason: str) -> dict:
    reason = reason_of(reason)
    row = _failed(conn, user, outbox_id)
    store.drop_email(conn, row.id)
    return _record(conn, user, row, "email_dropped", reason)
