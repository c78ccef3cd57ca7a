"""Login sessions: short-lived signed access tokens and revocable, rotating refresh tokens."""

import hashlib
import secrets
import uuid
from datetime import timedelta

import jwt
from sqlalchemy import Connection

from engine.core import clock
from engine.core.errors import EngineError
from engine.core.keys import secret_key
from engine.core.settings import get_settings
from engine.core.types import User
from engine.people.passwords import check_password
from engine.store import users as store


class AuthError(EngineError):
    """Authentication failed (401)."""

    code = "auth_failed"


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


def login(conn: Connection, username: str, password: str) -> dict:
    """Check the password; open a session. Same answer and timing for unknown users."""
    row = store.by_username(conn, username or "")
    ok = check_password(password, row.password_hash if row else None)
    if row is None or not ok or not row.active:
        raise AuthError("wrong username or password")
    sid, refresh_token = str(uuid.uuid4()), secrets.token_urlsafe(32)
    now = clock.now()
    store.open_session(
        conn,
        sid=sid,
        user_id=row.id,
        refresh_hash=_hash_refresh(refresh_token),
        now=now,
        expires_at=now + timedelta(hours=get_settings().refresh_token_hours),
    )
    return {**_issue(row.id, sid), "refresh_token": refresh_token}


def refresh(conn: Connection, refresh_token: str) -> dict:
    """Exchange a refresh token for a new access token; the refresh token rotates."""
    old = _hash_refresh(refresh_token or "")
    row = store.session_by_refresh(conn, old)
    if row is None or row.revoked_at is not None or row.expires_at < clock.now() or not row.active:
        raise AuthError("session expired, log in again")
    new = secrets.token_urlsafe(32)
    expires = clock.now() + timedelta(hours=get_settings().refresh_token_hours)
    if not store.rotate_refresh(conn, row.session_id, old, _hash_refresh(new), expires):
        raise AuthError("session expired, log in again")
    return {**_issue(row.id, row.session_id), "refresh_token": new}


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
        communities=store.communities(conn, row.id),
        display_name=row.display_name,
        email=row.email,
        locale=row.locale,
        session_id=sid,
    )


def user_from_access(conn: Connection, token: str) -> User:
    try:
        claims = jwt.decode(
            token, secret_key(), algorithms=["HS256"], options={"require": ["exp", "sub", "sid"]}
        )
    except jwt.ExpiredSignatureError:
        raise AuthError("token expired") from None
    except jwt.PyJWTError:
        raise AuthError("invalid token") from None
    return _user(conn, store.session_user(conn, claims["sid"]), claims["sid"])


def user_from_refresh_cookie(conn: Connection, refresh_token: str) -> User:
    row = store.session_by_refresh(conn, _hash_refresh(refresh_token))
    return _user(conn, row, row.session_id if row else "")
