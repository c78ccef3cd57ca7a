"""Who works on a task: claim, release, assign, delegate, and the handover of a departing user's work.

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
from engine.store import task_queries as store
from engine.store.task_queries import OPEN


def _event(task: TaskView, at: datetime, actor: str, kind: str, **data) -> dict:
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


def release(conn: Connection, task: TaskView, actor: str) -> TaskView:
    """Back to the group's queue (whoever holds it; the caller checked who may do this)."""
    _require_open(task)
    if task.status != "claimed":
        raise Conflict(f"task {task.id} is not claimed")
    if not store.release(conn, task.id, task.assignee):
        raise Conflict(f"task {task.id} changed hands meanwhile; reload it")
    event_store.append(conn, [_event(task, clock.now(), actor, "task_released", assignee=task.assignee)])
    task.status, task.assignee, task.owner = "ready", None, None
    return task


def assign(conn: Connection, task: TaskView, username: str, actor: str) -> TaskView:
    """Give the task to ``username`` (a supervisor's decision), whoever held it before."""
    _require_open(task)
    check_target(conn, username, task.group, task.community)
    at = clock.now()
    if not store.assign(conn, task.id, task.assignee, username, at):
        raise Conflict(f"task {task.id} changed hands meanwhile; reload it")
    event_store.append(conn, [_event(task, at, actor, "task_assigned", to=username, previous=task.assignee)])
    task.status, task.assignee, task.owner = "claimed", username, None
    return task


def delegate(conn: Connection, task: TaskView, username: str, actor: str) -> TaskView:
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
    event_store.append(conn, [_event(task, clock.now(), actor, "task_delegated", to=username, owner=owner)])
    task.assignee, task.owner = username, owner
    return task


def handover(conn: Connection, from_user_id: int, to_username: str, note: str, actor: str) -> dict:
    """Move a departing caseworker's open tasks and active cases to a colleague of the same role.

    Completed tasks and closed cases keep their people; every affected case gets a ``handover``
    event with the note. The target must serve the community of every moved case.
    """
    departing = store.person(conn, user_id=from_user_id)
    if departing is None:
        raise NotFound(f"user {from_user_id} not found")
    if departing.role not in CASEWORKER_ROLES:
        raise InvalidData(f"only caseworkers' work is handed over, not a {departing.role}'s",
                          {"user": f"role '{departing.role}' has no handover"})
    if to_username == departing.username:
        raise InvalidData("handover to the same user", {"to_user": "is the departing user"})
    target = check_target(conn, to_username, departing.role, None, field="to_user")
    moved_tasks = store.move_open_tasks(conn, departing.username, target.username)
    moved_cases = store.move_active_cases(conn, departing.username, target.username)
    communities = dict(moved_cases)
    communities.update(store.case_communities(conn, sorted({c for _, c in moved_tasks} - set(moved_cases))))
    missing = sorted({c for c in communities.values() if c is not None} - set(target.communities))
    if missing:  # raising rolls the whole transaction back: nothing moved
        raise InvalidData(f"user '{target.username}' does not serve {', '.join(missing)}",
                          {"to_user": f"does not serve {', '.join(missing)}"})
    at = clock.now()
    per_case: dict[int, list[str]] = {c: [] for c in communities}
    for task_id, case_id in moved_tasks:
        per_case[case_id].append(task_id)
    event_store.append(conn, [
        {"case_id": case_id, "at": at, "actor": actor, "kind": "handover", "task_id": None,
         "data": {"from": departing.username, "to": target.username, "note": note, "tasks": sorted(ids),
                  "case_owner": case_id in moved_cases}}
        for case_id, ids in sorted(per_case.items())
    ])
    return {"from_user": departing.username, "to_user": target.username, "tasks": len(moved_tasks),
            "cases": len(moved_cases)}
