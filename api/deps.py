"""Request dependencies: the request's one transaction, the authenticated user, role checks.

A route that touches the database takes ``conn: Connection = TRANSACTION``: one ``Database.begin()``
per request, shared by the session lookup of ``current_user`` and the route's own work, committed (or
rolled back on an error) when the route has returned and before the response is sent, so a failed
commit becomes an error response instead of a lost write behind a 200. The hot routes take ``unit: Unit = UNIT``
(or ``unit_of(*roles)``) instead: the same transaction in two trips to the thread pool (``Unit``).
"""

from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

from fastapi import Depends, Request, Response
from fastapi.exceptions import ResponseValidationError
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy import Connection
from starlette.concurrency import run_in_threadpool

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


class Unit:
    """The request's transaction and user for a route whose database work is one trip to the thread pool.

    ``TRANSACTION`` + ``current_user`` + a sync route take five trips (BEGIN, the session read, the route,
    the COMMIT, the response's validation), each a hand-over between the event loop and a worker thread.
    A route taking ``unit: Unit = UNIT`` (or ``unit_of(*roles)``) is ``async`` and takes two: the
    dependency's (BEGIN, the session read and the role check, so a refusal still comes before the body's
    422) and ``await unit.respond(work)``'s (the route's work, its response validated and made JSON by the
    route's own response field, then the COMMIT, so a failed commit is still an error response and a
    response that fails validation commits nothing). Errors roll back as with ``TRANSACTION``.
    """

    __slots__ = ("conn", "user", "_scope", "_tx", "_open")

    def __init__(self, scope, tx, conn: Connection, user: User):
        self._scope, self._tx, self.conn, self.user, self._open = scope, tx, conn, user, True

    def close(self, error: BaseException | None = None) -> None:
        """Commit (no error), else roll back as ``Database.begin`` does; then return the connection."""
        if not self._open:
            return
        self._open = False
        if error is None:
            self._tx.__exit__(None, None, None)
        else:
            self._tx.__exit__(type(error), error, error.__traceback__)

    def _respond(self, work: Callable[[Connection, User], Any], status: Callable[[Any], int] | None) -> Response:
        route = self._scope["route"]
        try:
            out = work(self.conn, self.user)
            field = route.response_field
            value, errors = field.validate(out, {}, loc=("response",))
            if errors:
                raise ResponseValidationError(errors=errors, body=out)
            body = field.serialize_json(value)
        except BaseException as err:
            self.close(err)
            raise
        self.close()  # a failed COMMIT raises here: an error response, not a 200 for a lost write
        return Response(body, status_code=status(out) if status else route.status_code or 200,
                        media_type="application/json")

    async def respond(self, work: Callable[[Connection, User], Any],
                      status: Callable[[Any], int] | None = None) -> Response:
        """``work(conn, user)``'s answer as the route's response (``status(answer)``: its status code, else
        the route's), the transaction committed: one trip to the thread pool."""
        return await run_in_threadpool(self._respond, work, status)


def _open_unit(request: Request, db: Database, given: tuple[str | None, str | None], roles: tuple[str, ...]) -> Unit:
    tx = db.begin()
    conn = tx.__enter__()
    unit = Unit(request.scope, tx, conn, None)
    try:
        unit.user = authenticate(request, conn, *given)
        if roles:
            allow(unit.user, *roles)
    except BaseException as err:
        unit.close(err)
        raise
    return unit


def unit_of(*roles: str) -> Any:
    """``Depends`` of the request's ``Unit`` (transaction + user), the user having one of ``roles`` (any if none);
    scope="function": ended when the route returns, before the response is sent (as ``TRANSACTION``)."""

    async def unit(request: Request, given: tuple[str | None, str | None] = Depends(credentials),
                   db: Database = Depends(get_db)) -> AsyncIterator[Unit]:
        opened = await run_in_threadpool(_open_unit, request, db, given, roles)
        try:
            yield opened
        except BaseException as err:  # the route failed before (or without) ``respond``: roll back
            if opened._open:
                await run_in_threadpool(opened.close, err)
            raise
        if opened._open:  # the route returned without ``respond``: commit, as ``TRANSACTION`` does
            await run_in_threadpool(opened.close)

    return Depends(unit, scope="function")


UNIT = unit_of()
