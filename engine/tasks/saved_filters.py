"""Saved filters: each user names the filters they use again on the queue and the case search.

A filter is the page's query string (what the page keeps in its URL), so opening one is opening that URL.
Every user sees and deletes only their own; names are unique per user and page.
"""

from sqlalchemy import Connection

from engine.core import clock
from engine.core.errors import Conflict, InvalidData, NotFound
from engine.core.types import User
from engine.store import saved_filters as store

PAGES = ("queue", "cases")
MAX_NAME = 100
MAX_QUERY = 2000
MAX_PER_PAGE = 50
ENGLISH = {"required": "required", "string_too_long": "too long", "nul": "contains a forbidden character",
           "too_many_filters": f"at most {MAX_PER_PAGE} saved filters per page"}


def _item(r) -> dict:
    return {"id": r.id, "page": r.page, "name": r.name, "query": r.query, "created_at": r.created_at}


def _check_page(page: str) -> None:
    if page not in PAGES:
        raise InvalidData(f"page must be one of {', '.join(PAGES)}", {"page": "not one of the allowed values"})


def list_filters(conn: Connection, user: User, page: str) -> list[dict]:
    """The user's saved filters of ``page``, by name."""
    _check_page(page)
    return [_item(r) for r in store.for_user(conn, user.username, page)]


def save_filter(conn: Connection, user: User, page: str, name: str, query: str) -> dict:
    """Save ``query`` (a query string, with or without its leading ``?``) under ``name``; Conflict when the
    user already has a filter of that name on the page."""
    _check_page(page)
    name = " ".join(str(name or "").split())
    query = str(query or "").strip().removeprefix("?")
    kinds = {}
    if not name:
        kinds["name"] = "required"
    elif len(name) > MAX_NAME:
        kinds["name"] = "string_too_long"
    if len(query) > MAX_QUERY:
        kinds["query"] = "string_too_long"
    for field, value in (("name", name), ("query", query)):
        if any(ch in value for ch in "\x00\r\n"):
            kinds[field] = "nul"
    if not kinds and store.count(conn, user.username, page) >= MAX_PER_PAGE:
        kinds["name"] = "too_many_filters"
    if kinds:
        err = InvalidData(f"the filter is invalid: {', '.join(kinds)}", {k: ENGLISH[v] for k, v in kinds.items()})
        err.kinds = kinds
        raise err
    row = store.insert(conn, user.username, page, name, query, clock.now())
    if row is None:
        raise Conflict(f"a filter named {name!r} is already saved on this page")
    return _item(row)


def delete_filter(conn: Connection, user: User, filter_id: int) -> None:
    """Delete one of the user's filters; another user's filter is "not found"."""
    if not store.remove(conn, user.username, filter_id):
        raise NotFound(f"saved filter {filter_id} not found")
