"""Case rows: numbering, insert, lock-for-step, update, read."""

from datetime import datetime

from sqlalchemy import Connection, bindparam, exists, select, update
from sqlalchemy.dialects import postgresql, sqlite

from engine.core.case_numbers import key_columns
from engine.core.types import Case
from engine.store.tables import case_counters, cases, definitions, task_drafts, tasks
from engine.store.wire import first_row

# Business fields copied from workflow data onto the case row (queryable, indexed).
BUSINESS_FIELDS = ("channel", "source", "dispute_type", "community", "summary", "amount", "people_count",
                   "risk_level", "difficult", "outcome", "request_kind", "over_level")
# Ledger (台账) columns an engine step fills (engine.ledger.terms), with their PostgreSQL types.
LEDGER_FIELDS = {"handling_body": "text", "mediator": "text", "accepted_on": "date", "closed_on": "date",
                 "guidance_to": "text", "guidance_letter_no": "text", "recovered_amount": "numeric"}

_READ = (cases.c.id, cases.c.case_number, cases.c.process_key, cases.c.definition_id, cases.c.status,
         cases.c.data, cases.c.channel, cases.c.dispute_type, cases.c.community, cases.c.summary,
         cases.c.amount, cases.c.risk_level, cases.c.outcome, cases.c.next_timer_at, cases.c.created_at,
         cases.c.updated_at, cases.c.completed_at, definitions.c.version)


def next_number(conn: Connection, year: int) -> int:
    """Next sequence number of the year: one upsert, concurrency-safe (row lock on the counter)."""
    ins = (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(case_counters)
    return conn.execute(
        ins.values(year=year, last=1)
        .on_conflict_do_update(index_elements=["year"], set_={"last": case_counters.c.last + 1})
        .returning(case_counters.c.last)
    ).scalar_one()


def insert(conn: Connection, values: dict) -> int:
    values = {**key_columns(values["case_number"]), **values}
    return conn.execute(cases.insert().values(**values).returning(cases.c.id)).scalar_one()


_LOCKED = (cases.c.id, cases.c.definition_id, cases.c.state, cases.c.revision, cases.c.status,
           cases.c.process_key, cases.c.case_number, cases.c.created_at, cases.c.next_timer_at, cases.c.paused_at,
           definitions.c.content_hash, definitions.c.version)


# Hot-path statements are built once; executing a prebuilt statement skips construction.
_LOCK = (
    select(*_LOCKED)
    .join(definitions, definitions.c.id == cases.c.definition_id)
    .where(cases.c.id == bindparam("case_id"))
    .with_for_update(of=cases)
)
_LOCK_FOR_TASK = (
    select(*_LOCKED, tasks.c.case_id, tasks.c.element_id, tasks.c.name.label("task_name"),
           tasks.c.status.label("task_status"), tasks.c.assignee, tasks.c.form_key, tasks.c.kind.label("task_kind"),
           tasks.c.candidate_group.label("task_group"), cases.c.community,
           exists().where(task_drafts.c.task_id == tasks.c.id).label("has_draft"))
    .join(cases, cases.c.id == tasks.c.case_id)
    .join(definitions, definitions.c.id == cases.c.definition_id)
    .where(tasks.c.id == bindparam("task_id"))
    .with_for_update(of=cases)
)


def lock(conn: Connection, case_id: int):
    """The case row with its workflow state, locked for the rest of the transaction."""
    return first_row(conn, _LOCK, {"case_id": case_id})


def lock_for_task(conn: Connection, task_id: str):
    """One round trip: the task and its case row (locked), for completing the task.

    The task columns may be a moment old once the lock is granted; the conditional
    task UPDATE and the workflow state (read under the lock) decide who wins.
    """
    return first_row(conn, _LOCK_FOR_TASK, {"task_id": task_id})


def save_step(conn: Connection, case_id: int, revision: int, values: dict) -> None:
    """Write the new state; the revision check makes a lost update impossible."""
    res = conn.execute(
        update(cases)
        .where(cases.c.id == case_id, cases.c.revision == revision)
        .values(revision=revision + 1, **values)
    )
    if res.rowcount != 1:
        from engine.core.errors import Conflict

        raise Conflict(f"case {case_id} was changed concurrently; try again")


def set_paused(conn: Connection, case_id: int, paused_at: datetime | None) -> None:
    conn.execute(update(cases).where(cases.c.id == case_id).values(paused_at=paused_at))


def get(conn: Connection, case_id: int) -> Case | None:
    row = conn.execute(
        select(*_READ).join(definitions, definitions.c.id == cases.c.definition_id).where(cases.c.id == case_id)
    ).first()
    return _case(row) if row else None


def _case(row) -> Case:
    return Case(
        id=row.id,
        case_number=row.case_number,
        process_key=row.process_key,
        definition_id=row.definition_id,
        definition_version=row.version,
        status=row.status,
        data=row.data or {},
        channel=row.channel,
        dispute_type=row.dispute_type,
        community=row.community,
        summary=row.summary,
        amount=float(row.amount) if row.amount is not None else None,
        risk_level=row.risk_level,
        outcome=row.outcome,
        next_timer_at=row.next_timer_at,
        created_at=row.created_at,
        updated_at=row.updated_at,
        completed_at=row.completed_at,
    )

