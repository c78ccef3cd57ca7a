"""Passwords (argon2), access tokens (short-lived, signed) and refresh sessions (revocable)."""

import hashlib
import secrets
import uuid
from datetime import timedelta

import jwt
from pwdlib import PasswordHash
from sqlalchemy import Connection

from engine.core import clock
from engine.core.errors import EngineError, InvalidData
from engine.core.keys import secret_key
from engine.core.settings import get_settings
from engine.core.types import ROLES, User
from engine.store import users as store

_HASHER = PasswordHash.recommended()
_DUMMY_HASH = _HASHER.hash("not a password")


class AuthError(EngineError):
    """Authentication failed (401)."""

    code = "auth_failed"


def _hash_refresh(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def hash_password(password: str) -> str:
    if not isinstance(password, str) or len(password) < 8:
        raise InvalidData("password must have at least 8 characters", {"password": "too short"})
    return _HASHER.hash(password)


def add_user(conn: Connection, username: str, password: str, role: str, communities: list[str],
             email: str | None = None, display_name: str | None = None, locale: str = "zh-CN") -> int:
    if role not in ROLES:
        raise InvalidData(f"unknown role '{role}' (one of {', '.join(ROLES)})", {"role": "unknown"})
    if not username or len(username) > 100 or not username.replace("_", "").replace("-", "").replace(".", "").isalnum():
        raise InvalidData("username must be letters, digits, '.', '_' or '-'", {"username": "invalid"})
    if store.by_username(conn, username) is not None:
        raise InvalidData(f"user '{username}' exists already", {"username": "taken"})
    return store.insert(conn, username=username, password_hash=hash_password(password), role=role,
                        communities=communities, email=email, display_name=display_name, locale=locale,
                        now=clock.now())


def set_password(conn: Connection, username: str, password: str) -> None:
    row = store.by_username(conn, username)
    if row is None:
        raise InvalidData(f"no user '{username}'", {"username": "unknown"})
    store.set_password(conn, row.id, hash_password(password))
    store.revoke_user_sessions(conn, row.id, clock.now())


def _issue(conn: Connection, user_id: int, sid: str) -> dict:
    s = get_settings()
    now = clock.now()
    access = jwt.encode({"sub": str(user_id), "sid": sid, "iat": now,
                         "exp": now + timedelta(minutes=s.access_token_minutes)}, secret_key(), algorithm="HS256")
    return {"access_token": access, "token_type": "bearer", "expires_in": s.access_token_minutes * 60}


def login(conn: Connection, username: str, password: str) -> dict:
    """Check the password; open a session. Same answer and timing for unknown users."""
    row = store.by_username(conn, username or "")
    ok = _HASHER.verify(password or "", row.password_hash if row else _DUMMY_HASH)
    if row is None or not ok or not row.active:
        raise AuthError("wrong username or password")
    sid, refresh = str(uuid.uuid4()), secrets.token_urlsafe(32)
    now = clock.now()
    store.open_session(conn, sid=sid, user_id=row.id, refresh_hash=_hash_refresh(refresh), now=now,
                       expires_at=now + timedelta(hours=get_settings().refresh_token_hours))
    return {**_issue(conn, row.id, sid), "refresh_token": refresh}


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
    return {**_issue(conn, row.id, row.session_id), "refresh_token": new}


def logout(conn: Connection, user: User) -> None:
    if user.session_id:
        store.revoke_session(conn, user.session_id, clock.now())


def _user(conn: Connection, row, sid: str) -> User:
    if row is None or row.revoked_at is not None or row.expires_at < clock.now() or not row.active:
        raise AuthError("session expired, log in again")
    return User(id=row.id, username=row.username, role=row.role, communities=store.communities(conn, row.id),
                display_name=row.display_name, email=row.email, locale=row.locale, session_id=sid)


def user_from_access(conn: Connection, token: str) -> User:
    try:
        claims = jwt.decode(token, secret_key(), algorithms=["HS256"], options={"require": ["exp", "sub", "sid"]})
    except jwt.ExpiredSignatureError:
        raise AuthError("token expired") from None
    except jwt.PyJWTError:
        raise AuthError("invalid token") from None
    return _user(conn, store.session_user(conn, claims["sid"]), claims["sid"])


def user_from_refresh_cookie(conn: Connection, refresh_token: str) -> User:
    row = store.session_by_refresh(conn, _hash_refresh(refresh_token))
    return _user(conn, row, row.session_id if row else "")
