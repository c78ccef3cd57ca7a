"""The task queue's query string to ``engine.tasks`` arguments; the other task routes call ``engine.tasks``
directly. The rules (community scope: outside it 404; roles: wrong role 403; drafts; the queue's cursor) are
the engine's.
"""

from sqlalchemy import Connection

from api.tasks.schemas import QueueQuery
from engine import tasks
from engine.core.types import TaskView, User

__all__ = ["queue"]


def _keys(process: str | None) -> list[str] | None:
    """'a,b' -> ['a', 'b']: a process filter may name a process together with its sub-processes."""
    keys = [k.strip() for k in (process or "").split(",") if k.strip()]
    return keys or None


def queue(conn: Connection, user: User, q: QueueQuery) -> tuple[list[TaskView], str | None]:
    return tasks.queue(conn, user, group=q.group, mine=q.mine, status=q.status, overdue=q.overdue,
                       process_keys=_keys(q.process), dispute_type=q.dispute_type, community=q.community,
                       cursor=q.cursor, limit=q.limit, led=q.led)
