"""Login sessions: short-lived signed access tokens and revocable, rotating refresh tokens.

A refresh token is used once: each use rotates it, and the old one is remembered; presenting an old one
again (a stolen copy, replayed) revokes the session, so every token descended from it stops working.
The web UI's CSRF token is an HMAC of its session cookie under the secret key: bound to that session.
"""

import base64
import hashlib
import hmac
import secrets
import time
import uuid
from datetime import timedelta
from functools import lru_cache

import jwt
from sqlalchemy import Connection

from engine.core import clock
from engine.core.errors import EngineError, Forbidden
from engine.core.keys import secret_key
from engine.core.settings import get_settings
from engine.core.types import User
from engine.people import throttle
from engine.people.passwords import check_password
from engine.store import logins
from engine.store import users as store


class AuthError(EngineError):
    """Authentication failed (401)."""

    code = "auth_failed"


class AccountInactive(AuthError):
    """The right password of a deactivated account (401)."""

    code = "account_inactive"


class PasswordChangeRequired(Forbidden):
    """The user logged in with a temporary password and must change it before anything else (403)."""

    code = "password_change_required"


def _hash_refresh(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _issue(user_id: int, sid: str) -> dict:
    s = get_settings()
    now = clock.now()
    access = jwt.encode(
        {"sub": str(user_id), "sid": sid, "iat": now, "exp": now + timedelta(minutes=s.access_token_minutes)},
        secret_key(),
        algorithm="HS256",
    )
    return {"access_token": access, "token_type": "bearer", "expires_in": s.access_token_minutes * 60}


def attempt_login(conn: Connection, username: str, password: str, address: str = "unknown") -> dict | EngineError:
    """Check the throttle and the password; open a session. Returns the tokens, or the error to answer
    *after* committing (the failure is recorded in ``conn``). Same answer and timing for unknown users;
    an attempt while throttled is refused unchecked (``throttle.LoginThrottled``)."""
    username = username or ""
    logins.lock_account(conn, username)  # parallel guesses at one account wait for each other
    now = clock.now()
    try:
        throttle.check(conn, username, address, now)
    except throttle.LoginThrottled as refused:
        return refused
    row = store.by_username(conn, username)
    ok = check_password(password, row.password_hash if row else None)
    if row is None or not ok or not row.active:
        throttle.failed(conn, username, address, now)
        if row is not None and ok:  # the right password of a deactivated account: say so
            return AccountInactive("this account is deactivated; ask an admin")
        return AuthError("wrong username or password")
    throttle.succeeded(conn, username, now)
    sid, refresh_token = str(uuid.uuid4()), secrets.token_urlsafe(32)
    store.open_session(
        conn,
        sid=sid,
        user_id=row.id,
        refresh_hash=_hash_refresh(refresh_token),
        now=now,
        expires_at=now + timedelta(hours=get_settings().refresh_token_hours),
    )
    return {**_issue(row.id, sid), "refresh_token": refresh_token}


def login(conn: Connection, username: str, password: str, address: str = "unknown") -> dict:
    """``attempt_login`` that raises its error (the caller's rollback then drops the recorded failure:
    callers that must keep it use ``attempt_login`` and commit first)."""
    outcome = attempt_login(conn, username, password, address)
    if isinstance(outcome, EngineError):
        raise outcome
    return outcome


def attempt_refresh(conn: Connection, refresh_token: str) -> dict | EngineError:
    """Exchange a refresh token for a new access token; the refresh token rotates. A token that was
    rotated away already revokes its session (reuse: someone holds a copy). Returns the tokens, or the
    error to answer after committing (the revocation must stay)."""
    old = _hash_refresh(refresh_token or "")
    now = clock.now()
    row = store.session_by_refresh(conn, old)
    if row is None:
        reused = logins.rotated_session(conn, old)
        if reused is not None:
            store.revoke_session(conn, reused, now)
            return AuthError("refresh token used twice: the session is ended, log in again")
        return AuthError("session expired, log in again")
    if row.revoked_at is not None or row.expires_at < now or not row.active:
        return AuthError("session expired, log in again")
    new = secrets.token_urlsafe(32)
    hours = get_settings().refresh_token_hours
    if not store.rotate_refresh(conn, row.session_id, old, _hash_refresh(new), now + timedelta(hours=hours)):
        return AuthError("session expired, log in again")
    logins.remember_rotation(conn, old, row.session_id, now)
    logins.purge_rotations(conn, now - timedelta(hours=hours))  # older ones are expired tokens anyway
    return {**_issue(row.id, row.session_id), "refresh_token": new}


def refresh(conn: Connection, refresh_token: str) -> dict:
    """``attempt_refresh`` that raises its error (after a reuse, commit first: see ``attempt_refresh``)."""
    outcome = attempt_refresh(conn, refresh_token)
    if isinstance(outcome, EngineError):
        raise outcome
    return outcome


def csrf_token(session_cookie: str) -> str:
    """The CSRF token of a web session: an HMAC of its session cookie, so a token works with its own session only."""
    mac = hmac.new(secret_key().encode(), b"csrf:" + session_cookie.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).decode().rstrip("=")


def csrf_ok(session_cookie: str | None, sent: str | None) -> bool:
    return bool(session_cookie and sent) and hmac.compare_digest(csrf_token(session_cookie), sent)


def logout(conn: Connection, user: User) -> None:
    if user.session_id:
        store.revoke_session(conn, user.session_id, clock.now())


def _user(conn: Connection, row, sid: str) -> User:
    if row is None or row.revoked_at is not None or row.expires_at < clock.now() or not row.active:
        raise AuthError("session expired, log in again")
    return User(
        id=row.id,
        username=row.username,
        role=row.role,
        communities=store.session_communities(row),
        display_name=row.display_name,
        email=row.email,
        locale=row.locale,
        session_id=sid,
        must_change_password=bool(row.must_change_password),
    )


@lru_cache(maxsize=4096)
def _verified_claims(token: str, key: str) -> dict:
    """The claims of an access token whose signature checks out (cached: a client sends the same token on every
    request until it expires); the expiry is checked by the caller on every use."""
    return jwt.decode(token, key, algorithms=["HS256"],
                      options={"require": ["exp", "sub", "sid"], "verify_exp": False})


def user_from_access(conn: Connection, token: str) -> User:
    try:
        claims = _verified_claims(token, secret_key())
    except jwt.PyJWTError:
        raise AuthError("invalid token") from None
    if not isinstance(claims["exp"], int | float) or isinstance(claims["exp"], bool):
        raise AuthError("invalid token")
    if claims["exp"] <= int(time.time()):  # as PyJWT would (no leeway)
        raise AuthError("token expired")
    return _user(conn, store.session_user(conn, claims["sid"]), claims["sid"])


def user_from_refresh_cookie(conn: Connection, refresh_token: str) -> User:
    row = store.session_by_refresh(conn, _hash_refresh(refresh_token))
    return _user(conn, row, row.session_id if row else "")
