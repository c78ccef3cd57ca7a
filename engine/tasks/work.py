"""A user's actions on a task, each checked by ``permissions`` and done by ``assignment`` or the case step.

Every function takes a connection inside the caller's one transaction. ``claim_task`` also serves an
operator at the command line (``user=None``, named by ``actor``): no scope and no group rule.
"""

from sqlalchemy import Connection

from engine.cases import service as cases
from engine.core.types import Case, TaskView, User
from engine.tasks import assignment, permissions


def claim_task(conn: Connection, user: User | None, task_id: str, actor: str | None = None) -> TaskView:
    """Take a ready task of your group (idempotent for its holder)."""
    if user is None:
        return assignment.claim(conn, assignment.visible_task(conn, task_id, None), actor)
    task = permissions.visible(conn, user, task_id)
    permissions.check_group(user, task)
    return assignment.claim(conn, task, user.username)


def release_task(conn: Connection, user: User, task_id: str) -> TaskView:
    task = permissions.visible(conn, user, task_id)
    permissions.may_release(user, task)
    return assignment.release(conn, task, user.username)


def assign_task(conn: Connection, user: User, task_id: str, username: str) -> TaskView:
    """A supervisor's decision (the route admits only supervisors): the task goes to ``username``."""
    task = permissions.visible(conn, user, task_id)
    return assignment.assign(conn, task, username, user.username)


def delegate_task(conn: Connection, user: User, task_id: str, username: str) -> TaskView:
    task = permissions.visible(conn, user, task_id)
    permissions.may_delegate(user, task)
    return assignment.delegate(conn, task, username, user.username)


def complete_task(conn: Connection, user: User, task_id: str, data: dict) -> Case:
    task = permissions.visible(conn, user, task_id)
    permissions.may_work(user, task)
    return cases.complete_task(conn, task_id, data, user.username, worker=user)
