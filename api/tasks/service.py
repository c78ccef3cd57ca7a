"""Task endpoints' rules: community scope (outside it: 404), roles (wrong role: 403), then the engine.

Caseworkers (intake, mediator, lawyer) see only tasks of cases in their communities and only
their own role's queue; supervisors, leaders and admins see every community and every group.
"""

import json

from sqlalchemy import Connection

from api.tasks.schemas import QueueQuery
from engine.cases import service as engine
from engine.core import clock
from engine.core.errors import Conflict, Forbidden, InvalidData, NotFound
from engine.core.types import Case, TaskView, User
from engine.processes import forms
from engine.store import definitions as def_store
from engine.store import drafts as draft_store
from engine.store import task_queries
from engine.tasks import assignment

SUPERVISOR = "supervisor"
MAX_DRAFT_BYTES = 256_000  # serialized JSON of one draft


def scope(user: User) -> list[str] | None:
    """The communities the user works in; None for those who see all."""
    return None if user.sees_all_communities else list(user.communities)


def _keys(process: str | None) -> list[str] | None:
    """'a,b' -> ['a', 'b']: a process filter may name a process together with its sub-processes."""
    keys = [k.strip() for k in (process or "").split(",") if k.strip()]
    return keys or None


def queue(conn: Connection, user: User, q: QueueQuery) -> tuple[list[TaskView], str | None]:
    group = q.group
    if not user.sees_all_communities:
        if group is not None and group != user.role:
            raise Forbidden(f"a {user.role} sees only the '{user.role}' queue")
        if group is None and not q.mine:
            group = user.role
    return task_queries.search(
        conn, communities=scope(user), group=group, assignee=user.username if q.mine else None, status=q.status,
        overdue_at=clock.now() if q.overdue else None, process_key=_keys(q.process), dispute_type=q.dispute_type,
        community=q.community, cursor=q.cursor, limit=q.limit)


def _in_group(user: User, task: TaskView) -> bool:
    return user.role == SUPERVISOR or (task.group is not None and user.role == task.group)


def _may_work(user: User, task: TaskView) -> None:
    """The assignee works on a task; an unclaimed one, anyone of its group (or a supervisor)."""
    if task.assignee == user.username and task.status == "claimed":
        return
    if not _in_group(user, task):
        raise Forbidden(f"task {task.id} belongs to the '{task.group}' group")
    if task.status == "claimed":
        raise Conflict(f"task {task.id} is held by {task.assignee}; they or a supervisor must release it first")


def claim(conn: Connection, user: User, task_id: str) -> TaskView:
    task = assignment.visible_task(conn, task_id, scope(user))
    if not _in_group(user, task):
        raise Forbidden(f"task {task.id} belongs to the '{task.group}' group")
    return assignment.claim(conn, task, user.username)


def release(conn: Connection, user: User, task_id: str) -> TaskView:
    task = assignment.visible_task(conn, task_id, scope(user))
    if task.status == "claimed" and task.assignee != user.username and user.role != SUPERVISOR:
        raise Forbidden(f"only {task.assignee} or a supervisor may release task {task.id}")
    return assignment.release(conn, task, user.username)


def assign(conn: Connection, user: User, task_id: str, username: str) -> TaskView:
    task = assignment.visible_task(conn, task_id, scope(user))
    return assignment.assign(conn, task, username, user.username)


def delegate(conn: Connection, user: User, task_id: str, username: str) -> TaskView:
    task = assignment.visible_task(conn, task_id, scope(user))
    if task.status == "claimed" and task.assignee != user.username:
        raise Forbidden(f"only the assignee ({task.assignee}) may delegate task {task.id}")
    return assignment.delegate(conn, task, username, user.username)


def complete(conn: Connection, user: User, task_id: str, data: dict) -> Case:
    task = assignment.visible_task(conn, task_id, scope(user))
    _may_work(user, task)
    return engine.complete_task(conn, task_id, data, user.username)


def summary(conn: Connection, user: User) -> dict:
    return task_queries.summary(conn, username=user.username, group=user.role, communities=scope(user),
                                now=clock.now())


def save_draft(conn: Connection, user: User, task_id: str, data: dict) -> dict:
    """Keep unfinished form data: only the task's assignee (an unclaimed task must be claimed first).

    Not checked against the form (it is unfinished), only for what JSON columns cannot hold and for size.
    """
    task = assignment.visible_task(conn, task_id, scope(user))
    if task.status not in task_queries.OPEN:
        raise Conflict(f"task {task.id} is already {task.status}")
    _may_work(user, task)
    if task.status != "claimed":
        raise Conflict(f"claim task {task.id} first; drafts are kept for the assignee")
    forms.validate("", None, None, data)  # no schema: NUL, non-finite numbers, depth, text length
    size = len(json.dumps(data, ensure_ascii=False).encode())
    if size > MAX_DRAFT_BYTES:
        raise InvalidData(f"the draft is {size} bytes, over {MAX_DRAFT_BYTES}", {"data": "too large"})
    at = clock.now()
    draft_store.save(conn, task.id, data, user.username, at)
    return {"task_id": task.id, "data": data, "updated_by": user.username, "updated_at": at}


def draft(conn: Connection, task_id: str) -> dict | None:
    found = draft_store.get(conn, task_id)
    return dict(found.data) if found is not None else None


def form(conn: Connection, user: User, task_id: str) -> tuple[TaskView, dict | None, dict]:
    """The task's form schema and the case data, for those who may work on it (or hold or own it)."""
    found = task_queries.form_context(conn, task_id, scope(user))
    if found is None:
        raise NotFound(f"task {task_id} not found")
    task, data, definition_id, content_hash = found
    if user.username not in (task.assignee, task.owner) and not _in_group(user, task):
        raise Forbidden(f"task {task.id} belongs to the '{task.group}' group")
    schema = forms.schema_for(content_hash, task.form_key, lambda: def_store.forms(conn, definition_id))
    return task, schema, data
