"""Users: adding one (role, name and password rules), passwords, own preferences, the user list."""

from sqlalchemy import Connection

from engine.core import clock
from engine.core.errors import InvalidData, NotFound
from engine.core.types import ROLES, Person
from engine.people.passwords import hash_password
from engine.store import task_queries
from engine.store import users as store


def add_user(
    conn: Connection,
    username: str,
    password: str,
    role: str,
    communities: list[str],
    email: str | None = None,
    display_name: str | None = None,
    locale: str = "zh-CN",
) -> int:
    if role not in ROLES:
        raise InvalidData(f"unknown role '{role}' (one of {', '.join(ROLES)})", {"role": "unknown"})
    if (
        not username
        or len(username) > 100
        or not username.replace("_", "").replace("-", "").replace(".", "").isalnum()
    ):
        raise InvalidData("username must be letters, digits, '.', '_' or '-'", {"username": "invalid"})
    if store.by_username(conn, username) is not None:
        raise InvalidData(f"user '{username}' exists already", {"username": "taken"})
    return store.insert(
        conn,
        username=username,
        password_hash=hash_password(password, username),
        role=role,
        communities=communities,
        email=email,
        display_name=display_name,
        locale=locale,
        now=clock.now(),
    )


def set_password(conn: Connection, username: str, password: str) -> None:
    """A new password ends the user's sessions."""
    row = store.by_username(conn, username)
    if row is None:
        raise InvalidData(f"no user '{username}'", {"username": "unknown"})
    store.set_password(conn, row.id, hash_password(password, username))
    store.revoke_user_sessions(conn, row.id, clock.now())


def set_preferences(conn: Connection, user_id: int, values: dict) -> dict:
    """Own settings a user may change (``locale``, ``digest_opt_out``); returns both as now stored."""
    store.set_preferences(conn, user_id, values)
    row = store.by_id(conn, user_id)
    return {"locale": row.locale, "digest_opt_out": row.digest_opt_out}


def list_people(conn: Connection) -> list[Person]:
    """Every user with role, communities and status, by username."""
    return task_queries.people(conn)


def get_person(conn: Connection, user_id: int) -> Person:
    found = task_queries.person(conn, user_id=user_id)
    if found is None:
        raise NotFound(f"user {user_id} not found")
    return found


def find_person(conn: Connection, username: str) -> Person | None:
    return task_queries.person(conn, username=username)
