"""Task drafts: a task's unfinished form data, kept for its assignee until the task completes."""

import json

from sqlalchemy import Connection

from engine.core import clock
from engine.core.errors import Conflict, InvalidData
from engine.core.types import User
from engine.processes import forms
from engine.store import drafts as draft_store
from engine.store.task_queries import OPEN
from engine.tasks import permissions

MAX_DRAFT_BYTES = 256_000  # serialized JSON of one draft


def save_draft(conn: Connection, user: User, task_id: str, data: dict) -> dict:
    """Keep unfinished form data: only the task's assignee (an unclaimed task must be claimed first).

    Not checked against the form (it is unfinished), only for what JSON columns cannot hold and for size.
    """
    task = permissions.visible(conn, user, task_id)
    if task.status not in OPEN:
        raise Conflict(f"task {task.id} is already {task.status}")
    permissions.may_work(user, task)
    if task.status != "claimed":
        raise Conflict(f"claim task {task.id} first; drafts are kept for the assignee")
    forms.validate("", None, None, data)  # no schema: NUL, non-finite numbers, depth, text length
    size = len(json.dumps(data, ensure_ascii=False).encode())
    if size > MAX_DRAFT_BYTES:
        raise InvalidData(f"the draft is {size} bytes, over {MAX_DRAFT_BYTES}", {"data": "too large"})
    at = clock.now()
    draft_store.save(conn, task.id, data, user.username, at)
    return {"task_id": task.id, "data": data, "updated_by": user.username, "updated_at": at}


def get_draft(conn: Connection, task_id: str) -> dict | None:
    """The task's draft data, or None (the caller has checked the user may see the task)."""
    found = draft_store.get(conn, task_id)
    return dict(found.data) if found is not None else None
