"""Request dependencies: the database, the authenticated user, role checks."""

from collections.abc import Callable

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from engine import Database
from engine.core.errors import Forbidden
from engine.core.types import User
from engine.people import AuthError, user_from_access, user_from_refresh_cookie

SESSION_COOKIE = "tiaojie_session"
CSRF_COOKIE = "tiaojie_csrf"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}

bearer = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


def get_db(request: Request) -> Database:
    return request.app.state.db


def current_user(request: Request, token: str | None = Depends(bearer), db: Database = Depends(get_db)) -> User:
    """Bearer token, or the web UI's session cookie (then unsafe methods need the CSRF header)."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if not token and not cookie:
        raise AuthError("not logged in")
    with db.begin() as conn:
        if token:
            user = user_from_access(conn, token)
        else:
            if request.method not in SAFE_METHODS:
                sent = request.headers.get(CSRF_HEADER)
                if not sent or sent != request.cookies.get(CSRF_COOKIE):
                    raise Forbidden("missing or wrong CSRF token")
            user = user_from_refresh_cookie(conn, cookie)
    request.state.user = user.username
    return user


def require(*roles: str) -> Callable[..., User]:
    """Dependency: the current user, who must have one of ``roles``."""

    def check(user: User = Depends(current_user)) -> User:
        if user.role not in roles:
            raise Forbidden(f"role '{user.role}' may not do this")
        return user

    return check
