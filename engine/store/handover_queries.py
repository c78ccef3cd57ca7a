"""Moving work between people: a departing caseworker's open work (the handover preview), moving chosen
tasks and cases to chosen colleagues, the colleagues eligible for a task, a task sent to another group's pool.

Every write is conditional on what the caller read (the holder, the owner, the task still open).
"""

from sqlalchemy import Connection, bindparam, literal_column, select, update
from sqlalchemy import case as when

from engine.core.types import Person
from engine.store.tables import cases, tasks, user_communities, users
from engine.store.tasks import OPEN_SQL

_FROM = bindparam("from_user")
_OPEN_WORK = (select(tasks.c.id, tasks.c.case_id, tasks.c.name, tasks.c.candidate_group, tasks.c.status,
                     tasks.c.assignee, tasks.c.owner, tasks.c.due_at, cases.c.case_number, cases.c.community)
              .join(cases, cases.c.id == tasks.c.case_id)
              .where(OPEN_SQL, (tasks.c.assignee == _FROM) | (tasks.c.owner == _FROM))
              .order_by(tasks.c.case_id, tasks.c.created_at, tasks.c.id))
_OWNED = (select(cases.c.id, cases.c.case_number, cases.c.community, cases.c.dispute_type, cases.c.process_key,
                 cases.c.created_at)
          .where(cases.c.owner == _FROM, cases.c.status == literal_column("'active'"))
          .order_by(cases.c.id))
_IDS = bindparam("ids", expanding=True)
_MOVE_TASKS = (update(tasks)
               .where(tasks.c.id.in_(_IDS), OPEN_SQL, (tasks.c.assignee == _FROM) | (tasks.c.owner == _FROM))
               .values(assignee=when((tasks.c.assignee == _FROM, bindparam("to_user")), else_=tasks.c.assignee),
                       owner=when((tasks.c.owner == _FROM, bindparam("to_user")), else_=tasks.c.owner))
               .returning(tasks.c.id, tasks.c.case_id))
_MOVE_CASES = (update(cases)
               .where(cases.c.id.in_(_IDS), cases.c.owner == _FROM, cases.c.status == literal_column("'active'"))
               .values(owner=bindparam("to_user"))
               .returning(cases.c.id))
_ELIGIBLE = (select(users.c.id, users.c.username, users.c.role, users.c.display_name, user_communities.c.community)
             .outerjoin(user_communities, user_communities.c.user_id == users.c.id)
             .where(users.c.role == bindparam("role"), users.c.active.is_(True))
             .order_by(users.c.username, user_communities.c.community))
_REGROUP = (update(tasks)
            .where(tasks.c.id == bindparam("task_id"), OPEN_SQL,
                   tasks.c.assignee.is_not_distinct_from(bindparam("expected")))
            .values(candidate_group=bindparam("group"), status="ready", assignee=None, owner=None, claimed_at=None))


def open_work(conn: Connection, username: str) -> tuple[list[dict], list[dict]]:
    """(open tasks held or delegated by ``username``, active cases they own), in case order."""
    params = {"from_user": username}
    return ([dict(r._mapping) for r in conn.execute(_OPEN_WORK, params)],
            [dict(r._mapping) for r in conn.execute(_OWNED, params)])


def move_tasks(conn: Connection, from_user: str, to_user: str, ids: list[str]) -> list[tuple[str, int]]:
    """Those of ``ids`` still open and held (or delegated) by ``from_user`` go to ``to_user``: (task, case)."""
    if not ids:
        return []
    return [(r.id, r.case_id) for r in conn.execute(_MOVE_TASKS, {"from_user": from_user, "to_user": to_user,
                                                                  "ids": ids})]


def move_cases(conn: Connection, from_user: str, to_user: str, ids: list[int]) -> list[int]:
    """Those of ``ids`` still active and owned by ``from_user`` are now owned by ``to_user``."""
    if not ids:
        return []
    return [r.id for r in conn.execute(_MOVE_CASES, {"from_user": from_user, "to_user": to_user, "ids": ids})]


def eligible(conn: Connection, role: str) -> list[Person]:
    """Active users of ``role`` with their communities, by username."""
    out: dict[int, Person] = {}
    for r in conn.execute(_ELIGIBLE, {"role": role}):
        p = out.setdefault(r.id, Person(r.id, r.username, r.role, True, r.display_name, []))
        if r.community is not None:
            p.communities.append(r.community)
    return list(out.values())


def regroup(conn: Connection, task_id: str, expected: str | None, group: str) -> bool:
    """The open task (held by ``expected``, or unclaimed) goes to ``group``'s pool, unclaimed."""
    return conn.execute(_REGROUP, {"task_id": task_id, "expected": expected, "group": group}).rowcount == 1
