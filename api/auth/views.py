"""Login (OAuth2 password flow), refresh, logout, who am I."""

from datetime import datetime
from typing import Literal

from fastapi import APIRouter, Depends, Form, Request, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection

from api.auth.address import client_address
from api.deps import CSRF_COOKIE, SESSION_COOKIE, TRANSACTION, current_user, get_db, require
from api.openapi import JsonBool
from engine import Database, people
from engine.core.errors import EngineError
from engine.core.settings import get_settings
from engine.core.types import User

router = APIRouter(prefix="/auth", tags=["auth"])


class TokenOut(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int
    refresh_token: str


class RefreshIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    refresh_token: str | None = None


class MeOut(BaseModel):
    username: str
    display_name: str | None
    role: str
    communities: list[str]
    email: str | None
    locale: str
    must_change_password: bool = False


class PreferencesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    locale: Literal["zh-CN", "en"] | None = None
    digest_opt_out: JsonBool | None = None


class PreferencesOut(BaseModel):
    locale: str
    digest_opt_out: bool


def _set_cookies(response: Response, request: Request, refresh_token: str) -> None:
    secure = request.url.scheme == "https"
    max_age = get_settings().refresh_token_hours * 3600
    response.set_cookie(SESSION_COOKIE, refresh_token, max_age=max_age, httponly=True, samesite="lax",
                        secure=secure, path="/")
    response.set_cookie(CSRF_COOKIE, people.csrf_token(refresh_token), max_age=max_age, httponly=False,
                        samesite="strict", secure=secure, path="/")


def _committed(db: Database, attempt) -> dict:
    """Run ``attempt(conn)`` in a transaction that commits even when it answers with an error (a recorded
    login failure, a revoked session must stay), then raise that error."""
    with db.begin() as conn:
        outcome = attempt(conn)
    if isinstance(outcome, EngineError):
        raise outcome
    return outcome


@router.post("/token", response_model=TokenOut, summary="Log in (OAuth2 password flow)",
             responses={429: {"description": "too many failed logins for the account or the address: "
                                             "`Retry-After` seconds (a growing delay, then 15 minutes locked)"}})
def token(request: Request, response: Response, username: str = Form(max_length=100),
          password: str = Form(max_length=200), db: Database = Depends(get_db)) -> dict:
    address = client_address(request)
    tokens = _committed(db, lambda conn: people.attempt_login(conn, username, password, address))
    _set_cookies(response, request, tokens["refresh_token"])
    return tokens


@router.post("/refresh", response_model=TokenOut, summary="New access token from a refresh token",
             description="The refresh token rotates on every use; presenting a rotated one again ends its session.")
def refresh(request: Request, response: Response, body: RefreshIn | None = None,
            db: Database = Depends(get_db)) -> dict:
    given = (body.refresh_token if body else None) or request.cookies.get(SESSION_COOKIE)
    if not given:
        raise people.AuthError("no refresh token")
    tokens = _committed(db, lambda conn: people.attempt_refresh(conn, given))
    _set_cookies(response, request, tokens["refresh_token"])
    return tokens


class FailureGroupOut(BaseModel):
    username: str | None = None
    address: str | None = None
    failures: int
    refused_while_throttled: int
    last_at: datetime
    locked: bool
    free_at: datetime | None


class FailureOut(BaseModel):
    username: str
    address: str
    kind: str
    at: datetime
    cleared: bool


class LoginFailuresOut(BaseModel):
    accounts: list[FailureGroupOut]
    addresses: list[FailureGroupOut]
    recent: list[FailureOut]


class UnlockIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str | None = Field(None, min_length=1, max_length=100)
    address: str | None = Field(None, min_length=1, max_length=64)


class UnlockOut(BaseModel):
    cleared: int


@router.get("/login-failures", response_model=LoginFailuresOut,
            summary="Failed logins of the last hour by account and address (throttled, locked), the latest 100")
def login_failures(_: User = Depends(require("admin")), conn: Connection = TRANSACTION) -> dict:
    return people.login_failures(conn)


@router.post("/login-failures/unlock", response_model=UnlockOut,
             summary="Clear the failed logins of an account or an address: it may log in at once")
def unlock(body: UnlockIn, _: User = Depends(require("admin")), conn: Connection = TRANSACTION) -> dict:
    return {"cleared": people.unlock_login(conn, username=body.username, address=body.address)}


@router.post("/logout", status_code=204, summary="End this session")
def logout(response: Response, user: User = Depends(current_user), conn: Connection = TRANSACTION) -> None:
    people.logout(conn, user)
    response.delete_cookie(SESSION_COOKIE, path="/")
    response.delete_cookie(CSRF_COOKIE, path="/")


@router.patch("/me/preferences", response_model=PreferencesOut,
              summary="Your language (emails, messages) and the daily digest opt-out")
def set_preferences(body: PreferencesIn, user: User = Depends(current_user),
                    conn: Connection = TRANSACTION) -> dict:
    values = body.model_dump(exclude_none=True)
    return people.set_preferences(conn, user.id, values)


@router.get("/me", response_model=MeOut, summary="The logged-in user")
def me(user: User = Depends(current_user)) -> dict:
    return {"username": user.username, "display_name": user.display_name, "role": user.role,
            "communities": user.communities, "email": user.email, "locale": user.locale,
            "must_change_password": user.must_change_password}


class ChangePasswordIn(BaseModel):
    """The current password and a new one (8–200 characters, not the user name, not a common password, not the
    current one)."""

    model_config = ConfigDict(extra="forbid")
    current_password: str = Field(min_length=1, max_length=200)
    new_password: str = Field(min_length=1, max_length=200)


@router.post("/change-password", status_code=204,
             summary="Change your own password (required after a reset); your other sessions end",
             responses={422: {"description": "the current password is wrong, or the new one breaks the policy"}})
def change_password(body: ChangePasswordIn, user: User = Depends(current_user),
                    conn: Connection = TRANSACTION) -> None:
    people.change_password(conn, user, body.current_password, body.new_password)
