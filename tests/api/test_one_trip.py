"""Routes answered in one trip to the thread pool (``api.unit.OneTrip``): POST /cases, complete, GET /cases/{id}.
One trip per request (the session read, the validation, the work, its response and the COMMIT) instead of five;
a refusal still comes before the parameters' and the body's 422; a failure anywhere, the COMMIT's or the
response's own included, leaves nothing written."""

import json

import anyio.to_thread
import pytest
from fastapi import Query
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.unit import UNIT, Unit, one_trip, unit_of
from engine import people
from engine.core.errors import InvalidData
from engine.store.tables import users
from tests.helpers.api import client_for, make_app
from tests.helpers.engine import TWO_TASK_MEDIATE, TWO_TASK_REGISTER, deploy
from tests.helpers.sql import count_begins

DATA = {**TWO_TASK_REGISTER, "channel": "service_hall", "community": "福田社区"}


def _locale(db, username: str) -> str:
    with db.engine.connect() as other:
        return other.execute(select(users.c.locale).where(users.c.username == username)).scalar_one()


def _trips(monkeypatch) -> list:
    """Every call of ``anyio.to_thread.run_sync`` (Starlette's and FastAPI's trips to the thread pool) from now."""
    calls, real = [], anyio.to_thread.run_sync

    async def counted(func, *args, **kwargs):
        calls.append(getattr(func, "__qualname__", repr(func)))
        return await real(func, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counted)
    return calls


def test_the_full_case_takes_one_trip_to_the_thread_pool_per_request(app, db, monkeypatch):
    deploy(db, "two_task.bpmn")
    window, mediator = client_for(app, "window1"), client_for(app, "mediator1")
    trips = _trips(monkeypatch)
    started = window.post("/api/v1/cases", json={"process_key": "two_task", "data": DATA})
    assert started.status_code == 201, started.text
    assert len(trips) == 1, trips
    case = started.json()
    trips.clear()
    done = mediator.post(f"/api/v1/tasks/{case['open_tasks'][0]['id']}/complete", json={"data": TWO_TASK_MEDIATE})
    assert done.status_code == 200 and done.json()["status"] == "completed", done.text
    assert len(trips) == 1, trips
    trips.clear()
    page = mediator.get(f"/api/v1/cases/{case['id']}")
    assert page.status_code == 200 and page.json()["status"] == "completed"
    assert len(trips) == 1, trips
    trips.clear()
    assert window.get("/api/v1/tasks/summary").status_code == 200  # a route of the usual kind, for contrast
    assert len(trips) == 5, trips


def test_refusals_come_before_the_bodys_errors(app, db):
    deploy(db, "two_task.bpmn")
    bad_body = {"process_key": 7}
    lawyer = client_for(app, "lawyer1")
    r = lawyer.post("/api/v1/cases", json=bad_body)
    assert r.status_code == 403 and r.json()["error"] == "forbidden", r.text  # the role, not the body
    assert client_for(app).post("/api/v1/cases", json=bad_body).status_code == 401
    forged = client_for(app)
    forged.headers["Authorization"] = "Bearer not-a-token"
    assert forged.post("/api/v1/cases", json=bad_body).status_code == 401
    assert client_for(app, "window1").post("/api/v1/cases", json=bad_body).status_code == 422
    assert lawyer.post("/api/v1/tasks/no-such-task/complete", json={"data": []}).status_code == 422
    assert forged.get("/api/v1/cases/0").status_code == 401  # the path parameter's 422 comes after the session
    r = lawyer.get("/api/v1/cases/0")
    assert r.status_code == 422 and "case_id" in r.json()["fields"], r.text
    r = client_for(app, "window1").post("/api/v1/cases", content=b"", headers={"Content-Type": "application/json"})
    assert r.status_code == 422 and r.json()["error"] == "validation", r.text  # no body: FastAPI's "missing"


def test_the_body_is_read_as_fastapi_reads_it(app, db):
    deploy(db, "two_task.bpmn")
    window = client_for(app, "window1")
    body = json.dumps({"process_key": "two_task", "data": DATA}).encode()
    assert window.post("/api/v1/cases", content=body, headers={"Content-Type": "text/plain"}).status_code == 422
    r = window.post("/api/v1/cases", content=body, headers={"Content-Type": "application/json; charset=utf-8"})
    assert r.status_code == 201, r.text


def _answering_errors(client: TestClient) -> TestClient:
    """A client of the same app and user that gets a server error as a response instead of raising it."""
    other = TestClient(client.app, raise_server_exceptions=False)
    other.headers.update(client.headers)
    return other


def _route(app, path: str, fn, **kwargs) -> None:
    one_trip(app.router, "POST", path, **kwargs)(fn)


def test_a_failure_in_the_work_or_in_the_response_leaves_nothing_written(app, db):
    def fails(unit: Unit = UNIT) -> dict:
        people.set_preferences(unit.conn, unit.user.id, {"locale": "en"})
        raise InvalidData("refused after the write")

    def answers_wrongly(unit: Unit = UNIT) -> dict:
        people.set_preferences(unit.conn, unit.user.id, {"locale": "en"})
        return {"case_id": "not a number"}

    _route(app, "/api/v1/test/fails", fails)
    _route(app, "/api/v1/test/answers-wrongly", answers_wrongly, response_model=dict[str, int])
    client = client_for(app, "mediator1")
    with count_begins(db) as begins:
        assert client.post("/api/v1/test/fails").status_code == 422
    assert len(begins) == 1 and _locale(db, "mediator1") == "zh-CN"
    assert _answering_errors(client).post("/api/v1/test/answers-wrongly").status_code == 500
    assert _locale(db, "mediator1") == "zh-CN"  # validated before the COMMIT: nothing of it committed


def test_roles_are_checked_and_the_work_commits(app, db):
    def writes(unit: Unit = unit_of("mediator")) -> dict:
        people.set_preferences(unit.conn, unit.user.id, {"locale": "en"})
        unit.status = 202
        return {"ok": 1}

    _route(app, "/api/v1/test/writes", writes, response_model=dict[str, int])
    assert client_for(app, "window1").post("/api/v1/test/writes").status_code == 403
    assert _locale(db, "window1") == "zh-CN"
    r = client_for(app, "mediator1").post("/api/v1/test/writes")
    assert r.status_code == 202 and r.json() == {"ok": 1}
    assert _locale(db, "mediator1") == "en"


def test_a_one_trip_route_takes_path_parameters_a_body_and_its_unit_only(app):
    def with_query(q: str = Query(...), unit: Unit = UNIT) -> dict:
        return {}

    def without_unit(x: int) -> dict:
        return {}

    for fn in (with_query, without_unit):
        with pytest.raises(TypeError, match="OneTrip endpoint takes"):
            _route(app, "/api/v1/test/odd", fn)
    app.add_api_route("/api/v1/test/usual", lambda unit=UNIT: {}, methods=["POST"])  # a Unit on a usual route
    r = _answering_errors(client_for(app, "mediator1")).post("/api/v1/test/usual")
    assert r.status_code == 500  # refused loudly, not run without its transaction


@pytest.mark.postgres
def test_a_commit_that_fails_is_an_error_and_saves_nothing(pg_db):
    app = make_app(pg_db)

    def breaks(unit: Unit = UNIT) -> dict:
        people.set_preferences(unit.conn, unit.user.id, {"locale": "en"})
        unit.conn.exec_driver_sql("CREATE TEMP TABLE once (n int UNIQUE DEFERRABLE INITIALLY DEFERRED) ON COMMIT DROP")
        unit.conn.exec_driver_sql("INSERT INTO once VALUES (1), (1)")  # refused only when the COMMIT checks it
        return {"ok": 1}

    _route(app, "/api/v1/test/breaks", breaks, response_model=dict[str, int])
    client = _answering_errors(client_for(app, "mediator1"))
    r = client.post("/api/v1/test/breaks")
    assert r.status_code == 500 and r.json()["error"] == "error", r.text  # not a 200 for a write that was lost
    assert _locale(pg_db, "mediator1") == "zh-CN"
