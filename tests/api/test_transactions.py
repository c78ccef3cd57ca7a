"""One transaction per request: the session read and the route's work share it; it commits before the
response (a write is visible right after), rolls back when the route fails, and refusals open none."""

from fastapi import Depends
from sqlalchemy import Connection, select

from api.deps import TRANSACTION, current_user
from engine import people
from engine.core.errors import InvalidData
from engine.core.types import User
from engine.store.tables import sessions, users
from tests.helpers.api import client_for, make_app
from tests.helpers.sql import count_begins


def _locale(db, username: str) -> str:
    with db.engine.connect() as other:
        return other.execute(select(users.c.locale).where(users.c.username == username)).scalar_one()


def test_an_authenticated_get_is_one_transaction(db):
    client = client_for(make_app(db), "super1")
    with count_begins(db) as begins:
        assert client.get("/api/v1/users").status_code == 200
    assert len(begins) == 1
    with count_begins(db) as begins:
        assert client.get("/api/v1/auth/me").status_code == 200
    assert len(begins) == 1


def test_an_authenticated_write_is_one_transaction_and_visible_right_after(db):
    client = client_for(make_app(db), "mediator1")
    with count_begins(db) as begins:
        r = client.patch("/api/v1/auth/me/preferences", json={"locale": "en"})
    assert r.status_code == 200 and len(begins) == 1
    assert _locale(db, "mediator1") == "en"  # another connection, straight after the response
    with count_begins(db) as begins:
        assert client.post("/api/v1/auth/logout").status_code == 204
    assert len(begins) == 1
    with db.engine.connect() as other:
        assert other.execute(select(sessions.c.revoked_at)).scalar_one() is not None


def test_a_route_that_fails_after_writing_leaves_nothing_written(db):
    app = make_app(db)

    def write_then_fail(user: User = Depends(current_user), conn: Connection = TRANSACTION) -> dict:
        people.set_preferences(conn, user.id, {"locale": "en"})
        raise InvalidData("refused after the write")

    app.add_api_route("/api/v1/test/write-then-fail", write_then_fail, methods=["POST"])
    client = client_for(app, "mediator1")
    with count_begins(db) as begins:
        r = client.post("/api/v1/test/write-then-fail")
    assert r.status_code == 422 and len(begins) == 1
    assert _locale(db, "mediator1") == "zh-CN"


def test_refusals_are_unchanged_and_missing_credentials_open_no_transaction(db):
    app = make_app(db)
    anonymous = client_for(app)
    with count_begins(db) as begins:
        assert anonymous.get("/api/v1/tasks/summary").status_code == 401
        assert anonymous.post("/api/v1/auth/logout").status_code == 401
    assert begins == []
    bad = client_for(app)
    bad.headers["Authorization"] = "Bearer not-a-token"
    assert bad.get("/api/v1/auth/me").status_code == 401
    intake = client_for(app, "window1")
    with count_begins(db) as begins:
        assert intake.get("/api/v1/users").status_code == 403
    assert len(begins) == 1
    web = client_for(app, "mediator1", cookies=True)
    with count_begins(db) as begins:
        no_csrf = web.patch("/api/v1/auth/me/preferences", json={"locale": "en"})
    assert no_csrf.status_code == 403 and begins == []
    assert _locale(db, "mediator1") == "zh-CN"
    ok = web.patch(
        "/api/v1/auth/me/preferences",
        json={"locale": "en"},
        headers={"X-CSRF-Token": web.cookies["tiaojie_csrf"]},
    )
    assert ok.status_code == 200 and _locale(db, "mediator1") == "en"


def test_validate_reads_the_user_in_one_short_transaction(db):
    """POST /processes/validate does no database work: the user is read in a transaction of its own,
    which ends before the bundle is checked."""
    sup = client_for(make_app(db), "super1")
    with count_begins(db) as begins:
        assert sup.post("/api/v1/processes/validate").status_code in (200, 422)
    assert len(begins) == 1
