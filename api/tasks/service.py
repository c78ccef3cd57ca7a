"""Task endpoints over ``engine.tasks``: the query string to engine arguments, nothing more.

The rules (community scope: outside it 404; roles: wrong role 403; drafts; the queue's cursor) are
the engine's.
"""

from sqlalchemy import Connection

from api.tasks.schemas import QueueQuery
from engine import tasks
from engine.core.types import Case, TaskView, User

__all__ = ["assign", "claim", "complete", "delegate", "draft", "form", "queue", "release", "save_draft", "summary"]


def _keys(process: str | None) -> list[str] | None:
    """'a,b' -> ['a', 'b']: a process filter may name a process together with its sub-processes."""
    keys = [k.strip() for k in (process or "").split(",") if k.strip()]
    return keys or None


def queue(conn: Connection, user: User, q: QueueQuery) -> tuple[list[TaskView], str | None]:
    return tasks.queue(conn, user, group=q.group, mine=q.mine, status=q.status, overdue=q.overdue,
                       process_keys=_keys(q.process), dispute_type=q.dispute_type, community=q.community,
                       cursor=q.cursor, limit=q.limit)


def claim(conn: Connection, user: User, task_id: str) -> TaskView:
    return tasks.claim_task(conn, user, task_id)


def release(conn: Connection, user: User, task_id: str) -> TaskView:
    return tasks.release_task(conn, user, task_id)


def assign(conn: Connection, user: User, task_id: str, username: str) -> TaskView:
    return tasks.assign_task(conn, user, task_id, username)


def delegate(conn: Connection, user: User, task_id: str, username: str) -> TaskView:
    return tasks.delegate_task(conn, user, task_id, username)


def complete(conn: Connection, user: User, task_id: str, data: dict) -> Case:
    return tasks.complete_task(conn, user, task_id, data)


def summary(conn: Connection, user: User) -> dict:
    return tasks.summary(conn, user)


def save_draft(conn: Connection, user: User, task_id: str, data: dict) -> dict:
    return tasks.save_draft(conn, user, task_id, data)


def draft(conn: Connection, task_id: str) -> dict | None:
    return tasks.get_draft(conn, task_id)


def form(conn: Connection, user: User, task_id: str) -> tuple[TaskView, dict | None, dict]:
    return tasks.form(conn, user, task_id)
