"""Event rows of a case's timeline (who did what, when), as the store appends them."""

from datetime import datetime


def event(row_id: int, at: datetime, actor: str | None, kind: str, task_id: str | None = None, **data) -> dict:
    return {"case_id": row_id, "at": at, "actor": actor, "kind": kind, "task_id": task_id, "data": data}
