"""Who works on a task: claim, release, assign (to a person or a group's pool), delegate, who may take it.

Each function takes a connection inside one transaction, writes conditionally on what was read
(a racing change makes it a Conflict, never a lost update) and records an event with the actor.
Permission checks (who may call what) belong to the caller; the checks here are about the data:
the task is open, the target user exists, is active, has the right role and serves the community.
"""

from datetime import datetime

from sqlalchemy import Connection

from engine.core import clock
from engine.core.errors import Conflict, InvalidData, NotFound
from engine.core.types import CASEWORKER_ROLES, Person, TaskView
from engine.store import events as event_store
from engine.store import handover_queries as handover_store
from engine.store import task_queries as store
from engine.store.task_queries import OPEN

# the candidate groups a supervisor may send a task to (the roles that work on tasks)
TASK_GROUPS = (*CASEWORKER_ROLES, "supervisor", "leader")


def _event(task: TaskView, at: datetime, actor: str, kind: str, reason: str | None = None, **data) -> dict:
    if reason:
        data["reason"] = reason
    return {"case_id": task.case_id, "at": at, "actor": actor, "kind": kind, "task_id": task.id, "data": data}


def _require_open(task: TaskView) -> None:
    if task.status not in OPEN:
        raise Conflict(f"task {task.id} is already {task.status}")


def visible_task(conn: Connection, task_id: str, communities: list[str] | None) -> TaskView:
    """The task, if it exists in one of ``communities`` (None: all); NotFound either way."""
    task = store.get(conn, task_id, communities)
    if task is None:
        raise NotFound(f"task {task_id} not found")
    return task


def check_target(conn: Connection, username: str, role: str | None, community: str | None,
                 field: str = "username") -> Person:
    """The user a task or case goes to: exists, active, has ``role``, serves ``community`` (caseworkers)."""
    target = store.person(conn, username=username)
    if target is None:
        raise InvalidData(f"no user '{username}'", {field: "unknown user"})
    if not target.active:
        raise InvalidData(f"user '{username}' is not active", {field: "inactive user"})
    if role is None or target.role != role:
        raise InvalidData(f"user '{username}' has role '{target.role}', the task needs '{role}'",
                          {field: f"must have role '{role}'"})
    if target.role in CASEWORKER_ROLES and community is not None and community not in target.communities:
        raise InvalidData(f"user '{username}' does not serve {community}", {field: f"does not serve {community}"})
    return target


def claim(conn: Connection, task: TaskView, actor: str) -> TaskView:
    _require_open(task)
    if task.assignee == actor:
        return task
    if task.status == "claimed":
        raise Conflict(f"task {task.id} is already claimed by {task.assignee}")
    at = clock.now()
    if not store.claim(conn, task.id, actor, at):
        raise Conflict(f"task {task.id} was claimed by someone else just now")
    event_store.append(conn, [_event(task, at, actor, "task_claimed")])
    task.status, task.assignee, task.owner = "claimed", actor, None
    return task


def release(conn: Connection, task: TaskView, actor: str, reason: str | None = None) -> TaskView:
    """Back to the group's queue (whoever holds it; the caller checked who may do this)."""
    _require_open(task)
    if task.status != "claimed":
        raise Conflict(f"task {task.id} is not claimed")
    if not store.release(conn, task.id, task.assignee):
        raise Conflict(f"task {task.id} changed hands meanwhile; reload it")
    event_store.append(conn, [_event(task, clock.now(), actor, "task_released", reason, assignee=task.assignee)])
    task.status, task.assignee, task.owner = "ready", None, None
    return task


def assign(conn: Connection, task: TaskView, username: str, actor: str, reason: str | None = None) -> TaskView:
    """Give the task to ``username`` (a supervisor's decision), whoever held it before."""
    _require_open(task)
    check_target(conn, username, task.group, task.community)
    at = clock.now()
    if not store.assign(conn, task.id, task.assignee, username, at):
        raise Conflict(f"task {task.id} changed hands meanwhile; reload it")
    event_store.append(conn, [_event(task, at, actor, "task_assigned", reason, to=username,
                                        previous=task.assignee)])
    task.status, task.assignee, task.owner = "claimed", username, None
    return task


def delegate(conn: Connection, task: TaskView, username: str, actor: str, reason: str | None = None) -> TaskView:
    """The assignee hands the task to a colleague of the same role; ``owner`` keeps who it was for."""
    _require_open(task)
    if task.status != "claimed" or task.assignee != actor:
        raise Conflict(f"task {task.id} is not held by {actor}; claim it first")
    if username == actor:
        raise InvalidData("a task cannot be delegated to its assignee", {"username": "is the assignee"})
    check_target(conn, username, task.group, task.community)
    owner = task.owner or actor
    if not store.delegate(conn, task.id, actor, username, owner):
        raise Conflict(f"task {task.id} changed hands meanwhile; reload it")
    event_store.append(conn, [_event(task, clock.now(), actor, "task_delegated", reason, to=username,
                                               owner=owner)])
    task.assignee, task.owner = username, owner
    return task


def regroup(conn: Connection, task: TaskView, group: str, actor: str, reason: str | None = None) -> TaskView:
    """Send the task to ``group``'s pool, unclaimed (a supervisor's decision), whoever held it before."""
    _require_open(task)
    if group not in TASK_GROUPS:
        raise InvalidData(f"no group '{group}'", {"group": "unknown group"})
    if not handover_store.regroup(conn, task.id, task.assignee, group):
        raise Conflict(f"task {task.id} changed hands meanwhile; reload it")
    event_store.append(conn, [_event(task, clock.now(), actor, "task_regrouped", reason, group=group,
                                     previous_group=task.group, previous=task.assignee)])
    task.status, task.assignee, task.owner, task.group = "ready", None, None, group
    return task


def eligible(conn: Connection, task: TaskView) -> list[Person]:
    """Active colleagues who could hold the task: its group's role, serving its community."""
    if task.group is None:
        return []
    return [p for p in handover_store.eligible(conn, task.group)
            if p.role not in CASEWORKER_ROLES or task.community is None or task.community in p.communities]
