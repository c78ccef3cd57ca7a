"""Login throttling over HTTP (429, Retry-After, zh/en, several API processes, the admins' list and unlock,
the client address behind a trusted proxy), CSRF tokens bound to the session, refresh-token reuse
(issue 14, findings 4 and 8)."""

from datetime import UTC, datetime, timedelta

import time_machine
from fastapi.testclient import TestClient
from starlette.requests import Request

from api.app import create_app
from api.auth.address import client_address
from engine.core.settings import get_settings
from tests.helpers.api import PASSWORD, client_for, make_app

TOKEN = "/api/v1/auth/token"
T0 = datetime(2026, 12, 5, 8, 0, tzinfo=UTC)


def _login(client: TestClient, name: str, password: str, **headers):
    return client.post(TOKEN, data={"username": name, "password": password}, headers=headers)


def test_lockout_answers_429_with_retry_after_in_every_api_process(db):
    one, two = TestClient(make_app(db)), TestClient(create_app(db))  # two processes, one database
    with time_machine.travel(T0, tick=False) as tm:
        for i in range(10):
            assert _login(one if i % 2 else two, "mediator1", "wrong password").status_code == 401
            tm.shift(61)
        for client in (one, two):
            r = _login(client, "mediator1", PASSWORD)  # the right password, while locked
            assert r.status_code == 429, r.text
            assert r.headers["Retry-After"] == str(15 * 60 - 61)
            assert r.json()["error"] == "login_locked" and r.json()["retry_after"] == 15 * 60 - 61
            assert r.json()["message"] == "登录失败次数过多，已临时锁定 15 分钟；管理员可解锁"
            assert "tiaojie_session" not in r.cookies
        en = _login(one, "mediator1", PASSWORD, **{"Accept-Language": "en"})
        assert en.json()["message"] == "too many failed logins: locked for 15 minutes; an admin can unlock it"
        tm.shift(timedelta(minutes=15))
        assert _login(two, "mediator1", PASSWORD).status_code == 200


def test_delay_answers_429_then_lets_the_user_in(db):
    client = TestClient(make_app(db))
    with time_machine.travel(T0, tick=False) as tm:
        for _ in range(3):
            assert _login(client, "window1", "wrong password").status_code == 401
        r = _login(client, "window1", PASSWORD)
        assert (r.status_code, r.headers["Retry-After"], r.json()["error"]) == (429, "1", "login_throttled")
        assert r.json()["message"] == "登录失败次数过多，请稍后再试"
        tm.shift(1)
        assert _login(client, "window1", PASSWORD).status_code == 200


def test_admins_list_and_unlock_failed_logins(db):
    app = make_app(db)
    client = TestClient(app)
    with time_machine.travel(T0, tick=False) as tm:
        admin, caseworker = client_for(app, "admin1"), client_for(app, "mediator1")
        for _ in range(10):
            _login(client, "lawyer1", "wrong password")
            tm.shift(61)
        assert _login(client, "lawyer1", PASSWORD).status_code == 429
        assert caseworker.get("/api/v1/auth/login-failures").status_code == 403
        seen = admin.get("/api/v1/auth/login-failures")
        assert seen.status_code == 200, seen.text
        [account] = seen.json()["accounts"]
        assert (account["username"], account["failures"], account["locked"]) == ("lawyer1", 10, True)
        assert seen.json()["addresses"][0]["address"] == "testclient"
        assert seen.json()["recent"][0]["kind"] == "throttled"
        for body in ({}, {"username": "lawyer1", "address": "testclient"}, {"username": ""}, {"user": "x"}):
            assert admin.post("/api/v1/auth/login-failures/unlock", json=body).status_code == 422, body
        assert caseworker.post("/api/v1/auth/login-failures/unlock", json={"username": "lawyer1"}).status_code == 403
        r = admin.post("/api/v1/auth/login-failures/unlock", json={"username": "lawyer1"})
        assert r.status_code == 200 and r.json() == {"cleared": 11}
        assert _login(client, "lawyer1", PASSWORD).status_code == 200


def _request(peer: str, forwarded: str | None = None) -> Request:
    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded else []
    return Request({"type": "http", "client": (peer, 5000), "headers": headers})


def test_the_address_is_the_peer_unless_it_is_a_trusted_proxy(monkeypatch):
    assert client_address(_request("203.0.113.9", "1.2.3.4")) == "203.0.113.9"  # nobody trusted: header ignored
    monkeypatch.setattr(get_settings(), "trusted_proxies", "10.0.0.0/8, 127.0.0.1")
    assert client_address(_request("10.1.2.3", "1.2.3.4, 198.51.100.7, 10.9.9.9")) == "198.51.100.7"
    assert client_address(_request("127.0.0.1", "198.51.100.7")) == "198.51.100.7"
    assert client_address(_request("203.0.113.9", "198.51.100.7")) == "203.0.113.9"  # not a proxy of ours
    assert client_address(_request("10.1.2.3")) == "10.1.2.3"


def test_forwarded_addresses_are_throttled_apart_behind_a_trusted_proxy(db, monkeypatch):
    monkeypatch.setattr(get_settings(), "trusted_proxies", "127.0.0.1")
    client = TestClient(make_app(db), client=("127.0.0.1", 5000))
    with time_machine.travel(T0, tick=False):
        for i in range(20):
            _login(client, f"nobody{i}", "wrong password", **{"X-Forwarded-For": "198.51.100.7"})
        assert _login(client, "window1", PASSWORD, **{"X-Forwarded-For": "198.51.100.7"}).status_code == 429
        assert _login(client, "window1", PASSWORD, **{"X-Forwarded-For": "198.51.100.8"}).status_code == 200


def test_a_csrf_token_of_another_session_is_refused(db):
    app = make_app(db)
    mine, other = client_for(app, "super1", cookies=True), client_for(app, "mediator1", cookies=True)
    session, own = mine.cookies["tiaojie_session"], mine.cookies["tiaojie_csrf"]
    bare = TestClient(app)  # cookies sent exactly as given (an attacker can plant a cookie, not read one)

    def logout(csrf_cookie: str, csrf_header: str):
        return bare.post("/api/v1/auth/logout", headers={
            "Cookie": f"tiaojie_session={session}; tiaojie_csrf={csrf_cookie}", "X-CSRF-Token": csrf_header})

    theirs = other.cookies["tiaojie_csrf"]
    assert logout(theirs, theirs).status_code == 403  # another session's token, cookie and header alike
    planted = logout("planted", "planted")  # the double-submit of old accepted any matching pair
    assert planted.status_code == 403 and planted.json()["error"] == "forbidden"
    assert mine.get("/api/v1/auth/me").status_code == 200  # the session still stands
    assert logout(own, own).status_code == 204


def test_refresh_token_reuse_revokes_the_session(db):
    app = make_app(db)
    client = TestClient(app)
    first = _login(client, "mediator1", PASSWORD).json()
    client.cookies.clear()
    second = client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]}).json()
    third = client.post("/api/v1/auth/refresh", json={"refresh_token": second["refresh_token"]}).json()
    client.cookies.clear()
    replay = client.post("/api/v1/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert replay.status_code == 401 and "used twice" in replay.json()["detail"]
    client.cookies.clear()
    assert client.post("/api/v1/auth/refresh", json={"refresh_token": third["refresh_token"]}).status_code == 401
    assert client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {third['access_token']}"}).status_code == 401
    fresh = _login(client, "mediator1", PASSWORD)  # a new login is a new family
    assert fresh.status_code == 200
