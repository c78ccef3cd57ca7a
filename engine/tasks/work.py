"""A user's actions on a task, each checked by ``permissions`` and done by ``assignment`` or the case step.

Every function takes a connection inside the caller's one transaction. ``claim_task`` also serves an
operator at the command line (``user=None``, named by ``actor``): no scope and no group rule.
"""

from types import SimpleNamespace

from sqlalchemy import Connection

from engine.cases import service as cases
from engine.core.errors import NotFound
from engine.core.scope import scope
from engine.core.types import Case, Person, TaskView, User
from engine.tasks import assignment, permissions


def claim_task(conn: Connection, user: User | None, task_id: str, actor: str | None = None) -> TaskView:
    """Take a ready task of your group (idempotent for its holder)."""
    if user is None:
        return assignment.claim(conn, assignment.visible_task(conn, task_id, None), actor)
    task = permissions.visible(conn, user, task_id)
    permissions.check_group(user, task)
    return assignment.claim(conn, task, user.username)


def release_task(conn: Connection, user: User, task_id: str, reason: str | None = None) -> TaskView:
    task = permissions.visible(conn, user, task_id)
    permissions.may_release(user, task)
    return assignment.release(conn, task, user.username, reason)


def assign_task(conn: Connection, user: User, task_id: str, username: str | None, reason: str | None = None,
                group: str | None = None) -> TaskView:
    """A supervisor's decision (the route admits only supervisors): the task goes to ``username``, or to
    ``group``'s pool."""
    task = permissions.visible(conn, user, task_id)
    if username is None:
        return assignment.regroup(conn, task, group or "", user.username, reason)
    return assignment.assign(conn, task, username, user.username, reason)


def delegate_task(conn: Connection, user: User, task_id: str, username: str, reason: str | None = None) -> TaskView:
    task = permissions.visible(conn, user, task_id)
    permissions.may_delegate(user, task)
    return assignment.delegate(conn, task, username, user.username, reason)


def eligible_assignees(conn: Connection, user: User, task_id: str) -> list[Person]:
    """Who could hold the task (for the people picker), to those who may see it."""
    task = permissions.visible(conn, user, task_id)
    permissions.may_see_form(user, task)
    return assignment.eligible(conn, task)


def complete_task(conn: Connection, user: User, task_id: str, data: dict) -> Case:
    """Complete a task the user may work on; its scope and the work rule are checked on the row the step
    locks (one read)."""
    def authorize(row) -> None:
        communities = scope(user)
        if communities is not None and row.community not in communities:
            raise NotFound(f"task {task_id} not found")
        permissions.may_work(user, SimpleNamespace(id=task_id, group=row.task_group, assignee=row.assignee,
                                                   status=row.task_status))

    return cases.complete_task(conn, task_id, data, user.username, worker=user, authorize=authorize)
