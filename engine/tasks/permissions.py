"""Who may do what with a task, by role: the rules of claim, release, assign, delegate, complete, the form.

Caseworkers (intake, mediator, lawyer) work on their own role's tasks; a supervisor on any group's.
The checks here look at the user and the task as read; the scope (a task of a case outside the
user's communities is "not found") comes first, in ``visible``.
"""

from sqlalchemy import Connection

from engine.core.errors import Conflict, Forbidden
from engine.core.scope import scope
from engine.core.types import TaskView, User
from engine.tasks.assignment import visible_task

SUPERVISOR = "supervisor"


def visible(conn: Connection, user: User, task_id: str) -> TaskView:
    """The task if its case is in the user's communities; NotFound otherwise."""
    return visible_task(conn, task_id, scope(user))


def in_group(user: User, task: TaskView) -> bool:
    """The user's role is the task's group (a supervisor belongs to every group)."""
    return user.role == SUPERVISOR or (task.group is not None and user.role == task.group)


def check_group(user: User, task: TaskView) -> None:
    if not in_group(user, task):
        raise Forbidden(f"task {task.id} belongs to the '{task.group}' group")


def may_work(user: User, task: TaskView) -> None:
    """The assignee works on a task; an unclaimed one, anyone of its group (or a supervisor)."""
    if task.assignee == user.username and task.status == "claimed":
        return
    check_group(user, task)
    if task.status == "claimed":
        raise Conflict(f"task {task.id} is held by {task.assignee}; they or a supervisor must release it first")


def may_release(user: User, task: TaskView) -> None:
    """Its holder gives a task back; a supervisor may take it from anyone."""
    if task.status == "claimed" and task.assignee != user.username and user.role != SUPERVISOR:
        raise Forbidden(f"only {task.assignee} or a supervisor may release task {task.id}")


def may_delegate(user: User, task: TaskView) -> None:
    """Only the assignee hands a claimed task on."""
    if task.status == "claimed" and task.assignee != user.username:
        raise Forbidden(f"only the assignee ({task.assignee}) may delegate task {task.id}")


def may_see_form(user: User, task: TaskView) -> None:
    """Those who may work on the task, or hold or own it, see its form and the case data."""
    if user.username not in (task.assignee, task.owner):
        check_group(user, task)


def actions(user: User, task: TaskView) -> dict[str, bool]:
    """What the queue offers on the task: claim (a ready task of the user's group) and work on it (theirs,
    or one they may claim); a task of another group is shown to read only."""
    ready = task.status == "ready" and in_group(user, task)
    return {"can_claim": ready, "can_work": ready or (task.status == "claimed" and task.assignee == user.username)}
