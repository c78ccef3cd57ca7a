"""Who sees a case: caseworkers only their communities' cases; a case outside them is "not found"."""

from sqlalchemy import Connection

from engine.core.errors import NotFound
from engine.core.scope import scope
from engine.core.types import User
from engine.store import case_queries


def check_visible(conn: Connection, user: User, case_id: int, *, must_exist: bool = True) -> None:
    """NotFound unless the case exists in one of the user's communities (any, for those who see all).

    ``must_exist=False``: for a user who sees all, nothing is read (the caller's next step finds the case).
    """
    communities = scope(user)
    if communities is None and not must_exist:
        return
    if not case_queries.visible(conn, case_id, communities):
        raise NotFound(f"case {case_id} not found")
