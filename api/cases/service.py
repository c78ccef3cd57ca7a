"""Case use cases for the HTTP API: translate requests to ``engine.cases`` and its answers to JSON bodies.

Each function takes a connection inside the request's one transaction and the acting user. The rules
(registration, scoping, masking, paging) are the engine's.
"""

from datetime import date

from sqlalchemy import Connection

from engine import cases
from engine.core.types import User

__all__ = ["cancel", "detail", "migrate", "preview_migration", "search", "start"]


def start(conn: Connection, user: User, process_key: str, data: dict) -> dict:
    """Register the case (duplicate check, start, the intake task when it is the caller's)."""
    done = cases.register_case(conn, process_key, data, user=user)
    case = done.case
    return {"id": case.id, "case_number": case.case_number, "status": case.status,
            "open_tasks": [cases.task_item(t) for t in case.open_tasks],
            "related_cases": [cases.related_item(r) for r in done.related],
            "repeat_petitioner": done.repeat_petitioner}


def search(conn: Connection, user: User, *, limit: int = 20, cursor: str | None = None,
           created_from: date | None = None, created_to: date | None = None, **filters) -> dict:
    """A page of cases in the user's communities, newest first, and the cursor of the next page."""
    return cases.search(conn, user, limit=limit, cursor=cursor, created_from=created_from, created_to=created_to,
                        **filters)


def detail(conn: Connection, user: User, case_id: int) -> dict:
    return cases.detail(conn, user, case_id)


def preview_migration(conn: Connection, user: User, case_id: int, version: int | None) -> dict:
    return cases.preview_migration(conn, user, case_id, version)


def migrate(conn: Connection, user: User, case_id: int, version: int | None) -> dict:
    return cases.migrate(conn, user, case_id, version)


def cancel(conn: Connection, user: User, case_id: int, reason: str) -> dict:
    return cases.cancel(conn, user, case_id, reason)
