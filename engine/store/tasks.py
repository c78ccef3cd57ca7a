"""Task rows: the queryable mirror of a case's open user tasks."""

from datetime import datetime

from sqlalchemy import Connection, and_, bindparam, literal_column, select, update

from engine.core.types import Task
from engine.store.tables import cases, tasks

OPEN = ("ready", "claimed")
# Literal, not bound: PostgreSQL must see the partial indexes' predicate in generic plans too.
OPEN_SQL = tasks.c.status.in_([literal_column("'ready'"), literal_column("'claimed'")])

_READ = (tasks.c.id, tasks.c.case_id, tasks.c.element_id, tasks.c.name, tasks.c.candidate_group,
         tasks.c.assignee, tasks.c.status, tasks.c.form_key, tasks.c.created_at, tasks.c.claimed_at,
         tasks.c.completed_at, tasks.c.completed_by, tasks.c.due_at, tasks.c.process_key)


def _task(row, case_number=None) -> Task:
    return Task(
        id=row.id,
        case_id=row.case_id,
        element_id=row.element_id,
        name=row.name,
        group=row.candidate_group,
        assignee=row.assignee,
        status=row.status,
        form_key=row.form_key,
        created_at=row.created_at,
        claimed_at=row.claimed_at,
        completed_at=row.completed_at,
        completed_by=row.completed_by,
        due_at=row.due_at,
        case_number=case_number,
        process_key=row.process_key,
    )


def insert_many(conn: Connection, rows: list[dict]) -> None:
    if rows:
        conn.execute(tasks.insert(), rows)


def complete(conn: Connection, task_id: str, actor: str | None, now: datetime) -> bool:
    """Mark an open task completed; False when it was not open (someone else won)."""
    res = conn.execute(
        update(tasks)
        .where(tasks.c.id == task_id, tasks.c.status.in_(OPEN))
        .values(status="completed", completed_at=now, completed_by=actor)
    )
    return res.rowcount == 1


def cancel_many(conn: Connection, task_ids: list[str], now: datetime) -> None:
    if task_ids:
        conn.execute(  # one statement: an executemany cannot expand the IN list (several tasks ending at once)
            update(tasks)
            .where(tasks.c.id.in_(task_ids), tasks.c.status.in_(OPEN))
            .values(status="cancelled", completed_at=now)
        )


def set_due(conn: Connection, changes: list[tuple[str, datetime | None]]) -> None:
    if changes:
        conn.execute(
            update(tasks).where(tasks.c.id == bindparam("tid")).values(due_at=bindparam("due")),
            [{"tid": i, "due": d} for i, d in changes],
        )


def move_due(conn: Connection, task_id: str, old: datetime, new: datetime) -> None:
    """An open task due at ``old`` becomes due at ``new`` (an extended deadline)."""
    conn.execute(update(tasks).where(tasks.c.id == task_id, tasks.c.due_at == old, tasks.c.status.in_(OPEN))
                 .values(due_at=new))


def get(conn: Connection, task_id: str) -> Task | None:
    row = conn.execute(
        select(*_READ, cases.c.case_number).join(cases, cases.c.id == tasks.c.case_id).where(tasks.c.id == task_id)
    ).first()
    return _task(row, row.case_number) if row else None


def open_for_case(conn: Connection, case_id: int) -> list[Task]:
    rows = conn.execute(
        select(*_READ).where(tasks.c.case_id == case_id, tasks.c.status.in_(OPEN)).order_by(tasks.c.created_at)
    )
    return [_task(r) for r in rows]


def search(conn: Connection, *, group: str | None = None, assignee: str | None = None, case_id: int | None = None,
           status: str = "open", limit: int = 50) -> list[Task]:
    """Tasks sorted by due time (no due time last), then age. Index-backed for group/assignee."""
    conds = []
    if status == "open":
        conds.append(OPEN_SQL)
    elif status != "all":
        conds.append(tasks.c.status == status)
    if group is not None:
        conds.append(tasks.c.candidate_group == group)
    if assignee is not None:
        conds.append(tasks.c.assignee == assignee)
    if case_id is not None:
        conds.append(tasks.c.case_id == case_id)
    rows = conn.execute(
        select(*_READ, cases.c.case_number)
        .join(cases, cases.c.id == tasks.c.case_id)
        .where(and_(*conds))
        .order_by(tasks.c.due_at.asc().nulls_last(), tasks.c.created_at, tasks.c.id)
        .limit(limit)
    )
    return [_task(r, r.case_number) for r in rows]


# the case page's read of a case's tasks (engine.store.case_queries.page); the statuses are literals, as in
# ``OPEN_SQL``: the hot path (engine.store.wire) takes no expanding IN
OPEN_AND_DONE = (select(*_READ)
                 .where(tasks.c.case_id == bindparam("case_id"),
                        tasks.c.status.in_([literal_column(f"'{s}'") for s in (*OPEN, "completed")]))
                 .order_by(tasks.c.created_at))


def open_and_done(rows, process_key: str) -> tuple[list[Task], list[str]]:
    """From the rows of ``OPEN_AND_DONE``: the case's open tasks (oldest first) and the element ids of its
    completed user tasks of ``process_key`` (sorted, each once)."""
    done = sorted({r.element_id for r in rows if r.status == "completed" and r.process_key == process_key})
    return [_task(r) for r in rows if r.status in OPEN], done
