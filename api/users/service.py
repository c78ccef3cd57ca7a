"""Users as supervisors see them, and the handover of a departing caseworker's work."""

from sqlalchemy import Connection

from engine.core.errors import NotFound
from engine.core.types import Person, User
from engine.store import task_queries
from engine.tasks import assignment


def list_users(conn: Connection) -> list[Person]:
    return task_queries.people(conn)


def get_user(conn: Connection, user_id: int) -> Person:
    found = task_queries.person(conn, user_id=user_id)
    if found is None:
        raise NotFound(f"user {user_id} not found")
    return found


def handover(conn: Connection, actor: User, user_id: int, to_user: str, note: str) -> dict:
    return assignment.handover(conn, user_id, to_user, note.strip(), actor.username)
