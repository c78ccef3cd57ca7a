"""Request dependencies: the request's one transaction, the authenticated user, role checks.

A route that touches the database takes ``conn: Connection = TRANSACTION``: one ``Database.begin()``
per request, shared by the session lookup of ``current_user`` and the route's own work, committed (or
rolled back on an error) when the route has returned and before the response is sent, so a failed
commit becomes an error response instead of a lost write behind a 200. The hot routes are ``api.unit.OneTrip``
routes instead: the same transaction, the session read and the route's work in one trip to the thread pool.
"""

from collections.abc import Callable, Iterator

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy import Connection

from engine import Database
from engine.core.errors import Forbidden
from engine.core.types import User
from engine.people import (
    AuthError,
    PasswordChangeRequired,
    csrf_ok,
    user_from_access,
    user_from_refresh_cookie,
)

SESSION_COOKIE = "tiaojie_session"
CSRF_COOKIE = "tiaojie_csrf"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# What a user who must change a temporary password may call; everything else answers 403 password_change_required
PASSWORD_CHANGE_PATHS = {"/api/v1/auth/change-password", "/api/v1/auth/me", "/api/v1/auth/logout"}

bearer = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


async def get_db(request: Request) -> Database:  # async: no I/O, so no trip to the thread pool
    return request.app.state.db


def transaction(db: Database = Depends(get_db)) -> Iterator[Connection]:
    """The request's transaction; take it as ``TRANSACTION`` (FastAPI caches it: one per request)."""
    with db.begin() as conn:
        yield conn


# scope="function": the transaction ends when the route returns, before the response is sent
# (a yield dependency without it would end after the response).
TRANSACTION = Depends(transaction, scope="function")


def check_credentials(request: Request, token: str | None) -> tuple[str | None, str | None]:
    """(bearer token, session cookie), checked before any database work: one of them is there, and with
    the cookie alone an unsafe method needs the CSRF header with the token of this session (an HMAC of the
    cookie, ``engine.people.csrf_token``: a token of another session is refused)."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if not token and not cookie:
        raise AuthError("not logged in")
    if not token and request.method not in SAFE_METHODS and not csrf_ok(cookie, request.headers.get(CSRF_HEADER)):
        raise Forbidden("missing or wrong CSRF token")  # the token is bound to this session cookie
    return token, cookie


async def credentials(request: Request, token: str | None = Depends(bearer)) -> tuple[str | None, str | None]:
    """``check_credentials`` as a dependency (async: no I/O, so no trip to the thread pool)."""
    return check_credentials(request, token)


def authenticate(request: Request, conn: Connection, token: str | None, cookie: str | None) -> User:
    """The user of the bearer token, else of the session cookie, read with ``conn``."""
    user = user_from_access(conn, token) if token else user_from_refresh_cookie(conn, cookie)
    request.state.user = user.username
    if user.must_change_password and request.url.path not in PASSWORD_CHANGE_PATHS:
        raise PasswordChangeRequired("change your temporary password first (POST /api/v1/auth/change-password)")
    return user


def current_user(
    request: Request,
    given: tuple[str | None, str | None] = Depends(credentials),
    conn: Connection = TRANSACTION,
) -> User:
    """Bearer token, or the web UI's session cookie (then unsafe methods need the CSRF header). The
    credentials are checked first: a request without any opens no transaction."""
    return authenticate(request, conn, *given)


def allow(user: User, *roles: str) -> User:
    """``user``, who must have one of ``roles``."""
    if user.role not in roles:
        raise Forbidden(f"role '{user.role}' may not do this")
    return user


def require(*roles: str) -> Callable[..., User]:
    """Dependency: the current user, who must have one of ``roles``."""

    async def check(user: User = Depends(current_user)) -> User:  # async: no I/O
        return allow(user, *roles)

    return check


def user_apart(
    request: Request,
    given: tuple[str | None, str | None] = Depends(credentials),
    db: Database = Depends(get_db),
) -> User:
    """The current user read in a short transaction of its own, for the few routes whose work must not
    hold the request's transaction (on SQLite it holds the write lock): no database work at all, or a
    long rendering after the reads."""
    with db.begin() as conn:
        return authenticate(request, conn, *given)


def require_apart(*roles: str) -> Callable[..., User]:
    """``require`` with ``user_apart``: the route opens its own transaction, if it needs one."""

    async def check(user: User = Depends(user_apart)) -> User:  # async: no I/O
        return allow(user, *roles)

    return check
