"""Login, tokens, refresh, logout, cookie sessions with CSRF, errors in the user's language."""

import re
from datetime import timedelta

import time_machine
from fastapi.testclient import TestClient

from engine import people
from engine.core import clock
from tests.helpers.api import PASSWORD, client_for, make_app


def test_login_and_me(db):
    app = make_app(db)
    me = client_for(app, "window1").get("/api/v1/auth/me")
    assert me.status_code == 200
    assert me.json() == {"username": "window1", "display_name": None, "role": "intake", "communities": ["福田社区"],
                         "email": "window1@example.org", "locale": "zh-CN", "must_change_password": False}


def test_wrong_password_and_unknown_user_get_the_same_401(db):
    client = TestClient(make_app(db))
    wrong = client.post("/api/v1/auth/token", data={"username": "window1", "password": "nope-nope"})
    unknown = client.post("/api/v1/auth/token", data={"username": "ghost", "password": "nope-nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert wrong.json()["message"] == "未登录或登录已失效"
    en = client.post("/api/v1/auth/token", data={"username": "ghost", "password": "x"},
                     headers={"Accept-Language": "en-US,en;q=0.9"})
    assert en.json()["message"] == "not logged in or the session has expired"


def test_every_endpoint_but_login_and_health_needs_a_token(db):
    app = make_app(db)
    client = TestClient(app)
    assert client.get("/api/v1/healthz").status_code == 200
    open_paths = {"/api/v1/auth/token", "/api/v1/auth/refresh", "/api/v1/healthz"}
    spec = client.get("/api/v1/openapi.json").json()
    checked = 0
    for path, ops in spec["paths"].items():
        if path in open_paths:
            continue
        for method in ops:
            url = re.sub(r"\{[^}]+\}", "1", path)  # placeholder values (a number fits every one); auth comes first
            r = client.request(method.upper(), url)
            assert r.status_code == 401, (method, path, r.status_code)
            checked += 1
    assert checked >= 2
    assert client.get("/api/v1/auth/me", headers={"Authorization": "Bearer not-a-token"}).status_code == 401


def test_refresh_rotates_and_logout_revokes(db):
    app = make_app(db)
    client = TestClient(app)
    first = client.post("/api/v1/auth/token", data={"username": "mediator1", "password": PASSWORD}).json()
    second = client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert second.status_code == 200
    bearer = {"Authorization": f"Bearer {second.json()['access_token']}"}
    client.cookies.clear()
    assert client.post("/api/v1/auth/logout", headers=bearer).status_code == 204
    assert client.get("/api/v1/auth/me", headers=bearer).status_code == 401


def test_access_tokens_expire(db):
    client = client_for(make_app(db), "mediator1")
    with time_machine.travel(clock.now() + timedelta(minutes=16)):
        r = client.get("/api/v1/auth/me")
    assert r.status_code == 401 and r.json()["detail"] == "token expired"


def test_a_token_already_used_still_expires_and_a_changed_one_is_refused(db):
    client = client_for(make_app(db), "mediator1")
    assert client.get("/api/v1/auth/me").status_code == 200  # its signature checked (and remembered)
    with time_machine.travel(clock.now() + timedelta(minutes=16)):
        r = client.get("/api/v1/auth/me")
    assert r.status_code == 401 and r.json()["detail"] == "token expired"
    token = client.headers["Authorization"].removeprefix("Bearer ")
    head, payload, signature = token.split(".")
    forged = f"{head}.{payload}.{signature[:-2]}{'AA' if signature[-2:] != 'AA' else 'BB'}"
    r = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {forged}"})
    assert r.status_code == 401 and r.json()["detail"] == "invalid token"


def test_cookie_session_needs_csrf_for_writes(db):
    client = TestClient(make_app(db))
    assert client.post("/api/v1/auth/token", data={"username": "super1", "password": PASSWORD}).status_code == 200
    assert client.get("/api/v1/auth/me").json()["role"] == "supervisor"  # cookie alone reads
    refused = client.post("/api/v1/auth/logout")
    assert refused.status_code == 403 and refused.json()["error"] == "forbidden"
    ok = client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": client.cookies["tiaojie_csrf"]})
    assert ok.status_code == 204


def test_password_change_ends_sessions(db):
    app = make_app(db)
    client = client_for(app, "lawyer1")
    with db.begin() as conn:
        people.set_password(conn, "lawyer1", "another good password")
    assert client.get("/api/v1/auth/me").status_code == 401


def test_oversize_and_malformed_bodies_are_4xx(db):
    client = client_for(make_app(db), "window1")
    big = client.post("/api/v1/auth/refresh", content=b"{" + b" " * 2_000_000 + b"}",
                      headers={"Content-Type": "application/json"})
    assert big.status_code == 413 and big.json()["error"] == "body_too_large"
    bad = client.post("/api/v1/auth/refresh", content=b"{not json", headers={"Content-Type": "application/json"})
    assert bad.status_code == 422 and bad.json()["error"] == "malformed_json"
    extra = client.post("/api/v1/auth/refresh", json={"refresh_token": "x", "admin": True})
    assert extra.status_code == 422 and extra.json()["fields"] == {"admin": "不允许的字段"}


def test_users_set_their_language_and_digest_opt_out(db):
    from engine.store import users

    client = client_for(make_app(db), "mediator1")
    r = client.patch("/api/v1/auth/me/preferences", json={"locale": "en", "digest_opt_out": True})
    assert r.status_code == 200 and r.json() == {"locale": "en", "digest_opt_out": True}
    with db.begin() as conn:
        row = users.by_username(conn, "mediator1")
    assert (row.locale, row.digest_opt_out) == ("en", True)
    assert client.patch("/api/v1/auth/me/preferences", json={"locale": "fr"}).status_code == 422
    assert client.patch("/api/v1/auth/me/preferences", json={"role": "admin"}).status_code == 422
    with db.begin() as conn:
        assert users.by_username(conn, "mediator1").role == "mediator"
