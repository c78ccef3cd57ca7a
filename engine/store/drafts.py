"""Task drafts: a task's unfinished form data, one row per task (upsert), gone when the task completes."""

from datetime import datetime

from sqlalchemy import Connection, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from engine.store.tables import task_drafts


def save(conn: Connection, task_id: str, data: dict, user: str, at: datetime) -> None:
    ins = (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(task_drafts)
    conn.execute(ins.values(task_id=task_id, data=data, updated_by=user, updated_at=at)
                 .on_conflict_do_update(index_elements=["task_id"],
                                        set_={"data": data, "updated_by": user, "updated_at": at}))


def get(conn: Connection, task_id: str):
    """The draft row (data, updated_by, updated_at) or None."""
    return conn.execute(select(task_drafts.c.data, task_drafts.c.updated_by, task_drafts.c.updated_at)
                        .where(task_drafts.c.task_id == task_id)).first()


def delete_for_task(conn: Connection, task_id: str) -> None:
    conn.execute(delete(task_drafts).where(task_drafts.c.task_id == task_id))
