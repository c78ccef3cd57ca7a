"""Users as supervisors see them, and the handover of a departing caseworker's work."""

from sqlalchemy import Connection

from engine import people, tasks
from engine.core.types import Person, User


def list_users(conn: Connection) -> list[Person]:
    return people.list_people(conn)


def get_user(conn: Connection, user_id: int) -> Person:
    return people.get_person(conn, user_id)


def handover(conn: Connection, actor: User, user_id: int, to_user: str, note: str) -> dict:
    return tasks.handover(conn, user_id, to_user, note.strip(), actor.username)
