"""The task queue as a user sees it: role scoping, paging by signed cursor, the header's counts, the form.

Caseworkers see only tasks of cases in their communities and only their own role's queue;
supervisors, leaders and admins see every community and every group. A leader's queue is, unless they ask
for another group, the leaders' group (the tasks they may act on); ``led`` lists the open tasks of their 包案
cases whatever the group, to read (each row says whether the user may claim or work it).
"""

from sqlalchemy import Connection

from engine.cases.warning import is_group_case
from engine.core import clock
from engine.core.cursor import CursorKind
from engine.core.errors import Forbidden, NotFound
from engine.core.privacy import mask_deep
from engine.core.scope import scope
from engine.core.types import TaskView, User
from engine.processes import forms
from engine.store import definitions as def_store
from engine.store import task_queries
from engine.store.queue_rows import QueueTask
from engine.tasks import leader, permissions

LEADER = "leader"
# The queue is in due order (no due time last), then age, then id: a page's last (due_at, created_at, id).
TASKS_CURSOR = CursorKind("tasks", ("time?", "time", "id"), message="the cursor is not one this service issued",
                          field_error="invalid")


def queue(conn: Connection, user: User, *, group: str | None = None, mine: bool = False, status: str = "open",
          overdue: bool = False, process_keys: list[str] | None = None, dispute_type: str | None = None,
          community: str | None = None, cursor: str | None = None, limit: int = 50,
          led: bool = False) -> tuple[list[QueueTask], str | None]:
    """One page of the user's queue (``mine``: the tasks they hold; ``led``: the tasks of the cases the user
    leads, 包案) and the cursor of the next, or None."""
    if not user.sees_all_communities:
        if group is not None and group != user.role:
            raise Forbidden(f"a {user.role} sees only the '{user.role}' queue")
        if group is None and not mine:
            group = user.role
    elif user.role == LEADER and group is None and not mine and not led:
        group = LEADER
    after = TASKS_CURSOR.decode(cursor) if cursor else None
    rows = task_queries.search(
        conn, communities=scope(user), group=group, assignee=user.username if mine else None, status=status,
        overdue_at=clock.now() if overdue else None, process_key=process_keys, dispute_type=dispute_type,
        community=community, after=after, limit=limit + 1, leader=user.username if led else None)
    page = rows[:limit]
    last = page[-1] if page else None
    return page, (TASKS_CURSOR.encode(last.due_at, last.created_at, last.id) if len(rows) > limit else None)


def describe(user: User, task: QueueTask) -> dict:
    """What a queue row shows besides the task: the case's applicant (name, masked phone), one-line summary,
    risk level, people and group marker, its 包案 leader, and whether the user may claim or work the task."""
    return {"applicant": leader.applicant(task.applicant_name, task.applicant_phone), "summary": task.summary,
            "risk_level": task.risk_level, "people_count": task.people_count,
            "group_case": is_group_case(task.people_count), "leader": task.leader,
            **permissions.actions(user, task)}


def summary(conn: Connection, user: User) -> dict:
    """Open tasks the user holds and their group's unclaimed ones, each with how many are overdue."""
    return task_queries.summary(conn, username=user.username, group=user.role, communities=scope(user),
                                now=clock.now())


def form(conn: Connection, user: User, task_id: str) -> tuple[TaskView, dict | None, dict]:
    """The task, its form schema and the case data, for those who may work on it (or hold or own it)."""
    found = task_queries.form_context(conn, task_id, scope(user))
    if found is None:
        raise NotFound(f"task {task_id} not found")
    task, data, definition_id, content_hash = found
    permissions.may_see_form(user, task)
    schema = forms.schema_for(content_hash, task.form_key, lambda: def_store.forms(conn, definition_id))
    return task, schema, mask_deep(data)  # the case data keeps masked values; older data is masked here
