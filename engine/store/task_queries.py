"""Task queue pages scoped by community, assignment writes (claim, release, assign, delegate, handover).

A queue page reads tasks in due order (no due time last, then age, then id) by keyset, as two
branches: dated tasks after the key of the previous page's last row, then undated ones (the signed
cursor that carries that key is ``engine.tasks.queue``'s). Each branch is an index range scan on
the partial indexes of ``tables.py`` (group or assignee, due_at, created_at, id) when a group or
assignee is given: row comparisons seek straight to the cursor, whatever the page. Statuses are
rendered as literals so PostgreSQL can prove the partial-index predicate in generic plans too.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from sqlalchemy import Connection, bindparam, func, literal_column, select, true, tuple_, union_all, update

from engine.core.errors import InvalidData
from engine.core.types import Person, TaskView
from engine.store.queue_rows import CASE_COLUMNS, QueueTask, queue_task
from engine.store.tables import UtcTime, cases, definitions, tasks, user_communities, users
from engine.store.tasks import OPEN_SQL

OPEN = ("ready", "claimed")
STATUSES = ("open", "ready", "claimed", "completed")
_OPEN_SQL = OPEN_SQL


_VIEW = (tasks.c.id, tasks.c.case_id, tasks.c.element_id, tasks.c.name, tasks.c.candidate_group, tasks.c.assignee,
         tasks.c.owner, tasks.c.status, tasks.c.form_key, tasks.c.created_at, tasks.c.due_at, tasks.c.completed_by,
         tasks.c.process_key, cases.c.case_number, cases.c.community, cases.c.dispute_type)


def _view(r) -> TaskView:
    return TaskView(id=r.id, case_id=r.case_id, element_id=r.element_id, name=r.name, group=r.candidate_group,
                    assignee=r.assignee, owner=r.owner, status=r.status, form_key=r.form_key,
                    created_at=r.created_at, due_at=r.due_at, completed_by=r.completed_by,
                    process_key=r.process_key, case_number=r.case_number, community=r.community,
                    dispute_type=r.dispute_type)


# -- the queue --------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Shape:
    status: str
    group: bool
    assignee: bool
    scoped: bool
    community: bool
    process: bool
    dispute_type: bool
    overdue: bool
    region: str | None  # where the cursor points: None (first page), "dated", "undated"
    led: bool = False  # only tasks of the cases whose 包案 leader is :leader


def _conditions(s: _Shape) -> list:
    conds = [_OPEN_SQL if s.status == "open" else tasks.c.status == literal_column(f"'{s.status}'")]
    if s.group:
        conds.append(tasks.c.candidate_group == bindparam("group"))
    if s.assignee:
        conds.append(tasks.c.assignee == bindparam("assignee"))
    if s.scoped:
        conds.append(cases.c.community.in_(bindparam("communities", expanding=True)))
    if s.community:
        conds.append(cases.c.community == bindparam("community"))
    if s.process:
        conds.append(tasks.c.process_key.in_(bindparam("process", expanding=True)))
    if s.dispute_type:
        conds.append(cases.c.dispute_type == bindparam("dispute_type"))
    if s.overdue:
        conds.append(tasks.c.due_at < bindparam("now", type_=UtcTime))
    if s.led:
        conds.append(cases.c.leader == bindparam("leader"))
    return conds


@lru_cache(maxsize=512)
def _queue_statement(s: _Shape):
    """Built once per filter shape; SQLAlchemy caches the compiled form too. The rows carry their case's
    columns and applicant (``queue_rows.CASE_COLUMNS``): one statement."""
    base = select(*_VIEW, *CASE_COLUMNS).join(cases, cases.c.id == tasks.c.case_id).where(*_conditions(s))
    n = bindparam("n")
    branches = []
    if s.region != "undated":
        dated = base.where(tasks.c.due_at.is_not(None))
        if s.region == "dated":
            dated = dated.where(tuple_(tasks.c.due_at, tasks.c.created_at, tasks.c.id)
                                > tuple_(bindparam("c_due", type_=UtcTime), bindparam("c_created", type_=UtcTime),
                                         bindparam("c_id")))
        branches.append(dated.order_by(tasks.c.due_at, tasks.c.created_at, tasks.c.id).limit(n))
    if not s.overdue:  # an undated task is never overdue
        undated = base.where(tasks.c.due_at.is_(None))
        if s.region == "undated":
            undated = undated.where(tuple_(tasks.c.created_at, tasks.c.id)
                                    > tuple_(bindparam("c_created", type_=UtcTime), bindparam("c_id")))
        # due_at (all NULL here) leads the ORDER BY so it matches the index: no sort of the branch
        branches.append(undated.order_by(tasks.c.due_at, tasks.c.created_at, tasks.c.id).limit(n))
    if len(branches) == 1:
        return branches[0]
    both = union_all(*(select(*b.subquery().c) for b in branches)).subquery()
    return select(*both.c).order_by(both.c.due_at.asc().nulls_last(), both.c.created_at, both.c.id).limit(n)


def search(conn: Connection, *, communities: list[str] | None, group: str | None = None,
           assignee: str | None = None, status: str = "open", overdue_at: datetime | None = None,
           process_key: str | list[str] | None = None, dispute_type: str | None = None, community: str | None = None,
           after: tuple[datetime | None, datetime, str] | None = None, limit: int = 50,
           leader: str | None = None) -> list[QueueTask]:
    """Up to ``limit`` tasks in due order, after the key (due_at, created_at, id) ``after`` if given.

    ``communities`` None means every community; a list limits the page to tasks of cases in them.
    ``process_key`` is one process key or a list of them (a process and its sub-processes).
    ``leader``: only tasks of the cases whose 包案 leader that user is.
    """
    if status not in STATUSES:
        raise InvalidData(f"unknown status '{status}'", {"status": "invalid"})
    if communities is not None and not communities:
        return []
    if isinstance(process_key, str):
        process_key = [process_key]
    region = None if after is None else ("dated" if after[0] is not None else "undated")
    shape = _Shape(status, group is not None, assignee is not None, communities is not None, community is not None,
                   process_key is not None, dispute_type is not None, overdue_at is not None, region,
                   led=leader is not None)
    params = {"n": limit, "group": group, "assignee": assignee, "communities": communities,
              "community": community, "process": process_key, "dispute_type": dispute_type, "now": overdue_at,
              "leader": leader}
    if after is not None:
        params.update(c_due=after[0], c_created=after[1], c_id=after[2])
    return [queue_task(r) for r in conn.execute(_queue_statement(shape), params)]


# -- one task ---------------------------------------------------------------------------------
_ONE = select(*_VIEW).join(cases, cases.c.id == tasks.c.case_id).where(tasks.c.id == bindparam("task_id"))
_ONE_SCOPED = _ONE.where(cases.c.community.in_(bindparam("communities", expanding=True)))
_FORM = (select(*_VIEW, cases.c.data, cases.c.definition_id, definitions.c.content_hash)
         .join(cases, cases.c.id == tasks.c.case_id)
         .join(definitions, definitions.c.id == cases.c.definition_id)
         .where(tasks.c.id == bindparam("task_id")))
_FORM_SCOPED = _FORM.where(cases.c.community.in_(bindparam("communities", expanding=True)))


def get(conn: Connection, task_id: str, communities: list[str] | None) -> TaskView | None:
    """The task if it exists and its case is in ``communities`` (None: any community)."""
    if communities is not None and not communities:
        return None
    stmt, params = (_ONE, {"task_id": task_id}) if communities is None else \
        (_ONE_SCOPED, {"task_id": task_id, "communities": communities})
    row = conn.execute(stmt, params).first()
    return _view(row) if row else None


def form_context(conn: Connection, task_id: str, communities: list[str] | None):
    """(TaskView, case data, definition id, content hash) or None, scoped like ``get``."""
    if communities is not None and not communities:
        return None
    stmt, params = (_FORM, {"task_id": task_id}) if communities is None else \
        (_FORM_SCOPED, {"task_id": task_id, "communities": communities})
    row = conn.execute(stmt, params).first()
    return (_view(row), row.data or {}, row.definition_id, row.content_hash) if row else None


# -- assignment writes: each conditional on what the caller read (compare-and-set) --------------
_CLAIM = (update(tasks).where(tasks.c.id == bindparam("task_id"), tasks.c.status == literal_column("'ready'"))
          .values(status="claimed", assignee=bindparam("to"), owner=None, claimed_at=bindparam("at", type_=UtcTime)))
_RELEASE = (update(tasks)
            .where(tasks.c.id == bindparam("task_id"), tasks.c.status == literal_column("'claimed'"),
                   tasks.c.assignee == bindparam("expected"))
            .values(status="ready", assignee=None, owner=None, claimed_at=None))
_ASSIGN = (update(tasks)
           .where(tasks.c.id == bindparam("task_id"), _OPEN_SQL,
                  tasks.c.assignee.is_not_distinct_from(bindparam("expected")))
           .values(status="claimed", assignee=bindparam("to"), owner=None, claimed_at=bindparam("at", type_=UtcTime)))
_DELEGATE = (update(tasks)
             .where(tasks.c.id == bindparam("task_id"), tasks.c.status == literal_column("'claimed'"),
                    tasks.c.assignee == bindparam("expected"))
             .values(assignee=bindparam("to"), owner=bindparam("owner")))


def claim(conn: Connection, task_id: str, user: str, at: datetime) -> bool:
    return conn.execute(_CLAIM, {"task_id": task_id, "to": user, "at": at}).rowcount == 1


def release(conn: Connection, task_id: str, expected: str) -> bool:
    return conn.execute(_RELEASE, {"task_id": task_id, "expected": expected}).rowcount == 1


def assign(conn: Connection, task_id: str, expected: str | None, to: str, at: datetime) -> bool:
    return conn.execute(_ASSIGN, {"task_id": task_id, "expected": expected, "to": to, "at": at}).rowcount == 1


def delegate(conn: Connection, task_id: str, expected: str, to: str, owner: str) -> bool:
    return conn.execute(_DELEGATE, {"task_id": task_id, "expected": expected, "to": to, "owner": owner}).rowcount == 1


# -- users (for assignment targets and the user list) -------------------------------------------
_PEOPLE = (select(users.c.id, users.c.username, users.c.role, users.c.active, users.c.display_name,
                  user_communities.c.community)
           .outerjoin(user_communities, user_communities.c.user_id == users.c.id)
           .order_by(users.c.username, user_communities.c.community))
_PERSON_BY_NAME = _PEOPLE.where(users.c.username == bindparam("username"))
_PERSON_BY_ID = _PEOPLE.where(users.c.id == bindparam("user_id"))


def _people(rows) -> list[Person]:
    out: dict[int, Person] = {}
    for r in rows:
        p = out.get(r.id)
        if p is None:
            p = out[r.id] = Person(r.id, r.username, r.role, bool(r.active), r.display_name, [])
        if r.community is not None:
            p.communities.append(r.community)
    return list(out.values())


def people(conn: Connection) -> list[Person]:
    """Every user with their communities, by username: one query."""
    return _people(conn.execute(_PEOPLE))


def person(conn: Connection, *, username: str | None = None, user_id: int | None = None) -> Person | None:
    stmt, params = (_PERSON_BY_NAME, {"username": username}) if username is not None else \
        (_PERSON_BY_ID, {"user_id": user_id})
    found = _people(conn.execute(stmt, params))
    return found[0] if found else None


# -- the header's counts ------------------------------------------------------------------------
COUNT_CAP = 99  # the header shows "99+" above this: counting a million open tasks to show one badge is not worth it


def _capped(names: tuple[str, str], *conds, scoped: bool, rows: int):
    """(how many, how many overdue) of the first ``rows`` matching open tasks in due order (``rows`` is the cap
    + 1: the caller tells it as "more"). The overdue ones come first in due order, so both counts are exact up to
    the cap from one range of the index. The limit is a literal: a generic plan would guess a tenth of the table."""
    q = select(tasks.c.due_at).select_from(tasks.join(cases, cases.c.id == tasks.c.case_id)).where(*conds)
    if scoped:
        q = q.where(cases.c.community.in_(bindparam("communities", expanding=True)))
    first = q.order_by(tasks.c.due_at.asc().nulls_last()).limit(literal_column(str(int(rows)))).subquery()
    late = func.count().filter(first.c.due_at < bindparam("now", type_=UtcTime))
    return select(func.count().label(names[0]), late.label(names[1])).select_from(first).subquery()


@lru_cache(maxsize=8)
def _summary_statement(scoped: bool, cap: int):
    mine = (tasks.c.assignee == bindparam("me"), _OPEN_SQL)
    ready = (tasks.c.candidate_group == bindparam("group"), _OPEN_SQL, tasks.c.status == literal_column("'ready'"))
    both = (_capped(("claimed", "claimed_overdue"), *mine, scoped=scoped, rows=cap + 1),
            _capped(("group_ready", "group_overdue"), *ready, scoped=scoped, rows=cap + 1))
    return select(*both[0].c, *both[1].c).select_from(both[0].join(both[1], true()))  # one row each


def summary(conn: Connection, *, username: str, group: str, communities: list[str] | None, now: datetime,
            cap: int = COUNT_CAP) -> dict:
    """Open tasks claimed by ``username`` and unclaimed ready tasks of ``group``, each with how many are overdue;
    each count stops at ``cap`` (``capped`` names the counts that have more).

    One statement of two parts, each the first ``cap`` + 1 matches of one partial open-task index (assignee, group) in due
    order, read from the index (it includes case_id and status on PostgreSQL) with one case lookup per task.
    """
    params = {"now": now, "me": username, "group": group, "communities": communities or ["-"]}
    row = conn.execute(_summary_statement(communities is not None, cap), params).one()._asdict()
    capped = [name for name, n in row.items() if n > cap]
    return {**{name: min(n, cap) for name, n in row.items()}, "capped": capped}  # the four counts, in this order
