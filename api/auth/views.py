"""Login (OAuth2 password flow), refresh, logout, who am I."""

import secrets
from typing import Literal

from fastapi import APIRouter, Depends, Form, Request, Response
from pydantic import BaseModel, ConfigDict
from sqlalchemy import Connection

from api.deps import CSRF_COOKIE, SESSION_COOKIE, TRANSACTION, current_user
from api.openapi import JsonBool
from engine import people
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
    response.set_cookie(CSRF_COOKIE, secrets.token_urlsafe(24), max_age=max_age, httponly=False,
                        samesite="strict", secure=secure, path="/")


@router.post("/token", response_model=TokenOut, summary="Log in (OAuth2 password flow)")
def token(request: Request, response: Response, username: str = Form(max_length=100),
          password: str = Form(max_length=200), conn: Connection = TRANSACTION) -> dict:
    tokens = people.login(conn, username, password)
    _set_cookies(response, request, tokens["refresh_token"])
    return tokens


@router.post("/refresh", response_model=TokenOut, summary="New access token from a refresh token")
def refresh(request: Request, response: Response, body: RefreshIn | None = None,
            conn: Connection = TRANSACTION) -> dict:
    given = (body.refresh_token if body else None) or request.cookies.get(SESSION_COOKIE)
    if not given:
        raise people.AuthError("no refresh token")
    tokens = people.refresh(conn, given)
    _set_cookies(response, request, tokens["refresh_token"])
    return tokens


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
            "communities": user.communities, "email": user.email, "locale": user.locale}
