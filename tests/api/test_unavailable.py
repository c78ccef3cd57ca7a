"""A database that is unreachable or read-only: 503 with a retryable message (JSON and pages), /healthz
notices both, and everything works again once the database does, without a restart.

PostgreSQL is cut through a TCP proxy (tests/helpers/outage.py) and made read-only with
``ALTER DATABASE … SET default_transaction_read_only = on`` on the test's database (reset afterwards);
SQLite is opened read-only (``mode=ro``).
"""

import sqlite3

from sqlalchemy import event, text

from api.app import create_app
from engine import Database
from tests.helpers.api import add_users, client_for

PREFS = "/api/v1/auth/me/preferences"


def _assert_503(r, code: str, lang: str = "zh") -> None:
    assert r.status_code == 503, r.text
    body = r.json()
    assert body["error"] == code and body["retry_after"] > 0
    assert int(r.headers["Retry-After"]) == body["retry_after"]
    zh = {"unavailable": "数据库暂时无法连接", "read_only": "数据库暂时只读"}[code]
    assert (zh in body["message"]) == (lang == "zh")
    assert "127.0.0.1" not in r.text and "postgres" not in r.text.lower()  # no connection details




def test_an_unreachable_database_answers_503_and_recovers_without_a_restart(proxied):
    app, proxy = proxied
    api = client_for(app, "mediator1")
    en = client_for(app, "mediator1", lang="en")
    page = client_for(app, "mediator1", cookies=True)
    assert api.get("/api/v1/tasks").status_code == 200
    proxy.cut()  # the server is gone: pooled connections break, new ones are refused
    _assert_503(api.get("/api/v1/tasks"), "unavailable")
    _assert_503(api.patch(PREFS, json={"digest_opt_out": True}), "unavailable")
    _assert_503(en.get("/api/v1/tasks"), "unavailable", lang="en")
    _assert_503(client_for(app).post("/api/v1/auth/token", data={"username": "mediator1", "password": "x"}),
                "unavailable")
    r = page.get("/", headers={"Accept": "text/html"})
    assert r.status_code == 503 and r.headers["Retry-After"] == "10"
    assert r.headers["content-type"].startswith("text/html") and "服务暂时不可用" in r.text
    health = api.get("/api/v1/healthz")
    assert health.status_code == 503 and health.json()["database"].startswith("unreachable")
    proxy.restore()  # back: the same app serves again
    assert api.get("/api/v1/tasks").status_code == 200
    r = api.patch(PREFS, json={"digest_opt_out": True})
    assert r.status_code == 200 and r.json()["digest_opt_out"] is True
    assert page.get("/", headers={"Accept": "text/html"}).status_code == 200
    health = api.get("/api/v1/healthz")
    assert health.status_code == 200 and health.json()["database"] == "ok"


def test_connections_to_postgresql_give_up_after_ten_seconds(pg_db):
    """An unreachable server (packets dropped, no refusal) costs 10 s, not the system's minutes."""
    db, seen = Database(pg_db.url), {}
    event.listen(db.engine, "do_connect", lambda dialect, record, cargs, cparams: seen.update(cparams))
    with db.begin() as conn:
        conn.execute(text("SELECT 1"))
    assert seen["connect_timeout"] == 10
    db.dispose()




def test_a_read_only_database_serves_reads_refuses_writes_and_is_unhealthy(pg_db, read_only):
    add_users(pg_db)
    db = Database(pg_db.url)
    app = create_app(db)
    api = client_for(app, "mediator1")
    page = client_for(app, "mediator1", cookies=True)
    read_only(True)
    db.dispose()  # as after a failover to a standby: every connection from now on is new
    assert api.get("/api/v1/tasks").status_code == 200  # reads are still served
    assert api.get("/api/v1/auth/me").json()["username"] == "mediator1"
    assert page.get("/", headers={"Accept": "text/html"}).status_code == 200
    for _ in range(3):  # each attempt refused, none half-done
        _assert_503(api.patch(PREFS, json={"digest_opt_out": True}), "read_only")
    r = page.patch(PREFS, json={"locale": "en"}, headers={"Accept": "text/html", "x-csrf-token":
                                                           page.cookies.get("tiaojie_csrf")})
    _assert_503(r, "read_only")  # an API call answers JSON whatever it accepts
    health = api.get("/api/v1/healthz")
    assert health.status_code == 503 and health.json()["database"] == "read-only"
    assert health.json()["ok"] is False
    read_only(False)  # writable again: no restart, no pool reset
    r = api.patch(PREFS, json={"digest_opt_out": True})
    assert r.status_code == 200 and r.json()["digest_opt_out"] is True
    assert api.get("/api/v1/healthz").status_code == 200
    db.dispose()


def test_a_read_only_sqlite_file_answers_503_and_is_unhealthy(tmp_path):
    path = tmp_path / "tiaojie.sqlite"
    rw = Database(f"sqlite:///{path}")
    rw.create_all()
    add_users(rw)
    app_rw = create_app(rw)
    token = client_for(app_rw, "mediator1").headers["Authorization"]
    rw.dispose()
    ro = Database(f"sqlite:///{path}",
                  creator=lambda: sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False))
    api = client_for(create_app(ro))
    api.headers["Authorization"] = token
    _assert_503(api.patch(PREFS, json={"digest_opt_out": True}), "read_only")
    health = api.get("/api/v1/healthz")
    assert health.status_code == 503 and health.json()["database"] == "read-only"
    ro.dispose()
