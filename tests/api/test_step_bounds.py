"""Issue 14, finding 1: one task completion must never take the service down.

A supervisor deploys the attack script (it passes validation); completing the task before it fails
clearly (an incident, the case unchanged) while a real server keeps answering ``/healthz``.
"""

import threading
import time

import requests
from sqlalchemy import select

from engine.store.tables import cases, incidents
from tests.helpers.api import PASSWORD, make_app
from tests.helpers.engine import start
from tests.helpers.live import LiveServer
from tests.helpers.scripts import NESTED_COMPARE, script_process


def _login(url: str, username: str) -> requests.Session:
    client = requests.Session()
    r = client.post(f"{url}/api/v1/auth/token", data={"username": username, "password": PASSWORD}, timeout=30)
    assert r.status_code == 200, r.text
    client.cookies.clear()
    client.headers["Authorization"] = f"Bearer {r.json()['access_token']}"
    return client


class HealthPoller(threading.Thread):
    """Asks /healthz over and over; records (status, seconds) of every answer, or the error."""

    def __init__(self, url: str):
        super().__init__(daemon=True)
        self.url, self.answers, self.stop = url, [], threading.Event()

    def run(self):
        with requests.Session() as client:
            while not self.stop.is_set():
                began = time.monotonic()
                try:
                    status = client.get(f"{self.url}/api/v1/healthz", timeout=2.0).status_code
                except requests.RequestException as err:
                    status = repr(err)
                self.answers.append((status, round(time.monotonic() - began, 3)))
                time.sleep(0.05)


def test_the_nested_compare_attack_fails_its_step_and_the_server_keeps_answering(pg_db):
    """On PostgreSQL, as deployed: on SQLite /healthz waits for the one writer's lock during any step."""
    db = pg_db
    server = LiveServer(make_app(db)).start()
    try:
        sup = _login(server.url, "super1")
        files = [("files", ("attack.bpmn", script_process(NESTED_COMPARE, "attack"), "application/octet-stream"))]
        assert sup.post(f"{server.url}/api/v1/processes/validate", files=files).json()["ok"] is True
        assert sup.post(f"{server.url}/api/v1/processes", files=files).status_code == 201
        case = start(db, "attack")
        with db.begin() as conn:
            before = conn.execute(select(cases.c.revision, cases.c.state).where(cases.c.id == case.id)).one()
        poller = HealthPoller(server.url)
        poller.start()
        r = sup.post(f"{server.url}/api/v1/tasks/{case.open_tasks[0].id}/complete", json={"data": {}}, timeout=60)
        time.sleep(0.5)  # a few answers after the completion too
        poller.stop.set()
        poller.join()
        assert r.status_code == 409, r.text
        assert r.json()["error"] == "step_failed" and r.json().get("incident")
        assert "脚本超出时间或内存限制" in r.text
        with db.begin() as conn:
            assert conn.execute(select(cases.c.revision, cases.c.state).where(cases.c.id == case.id)).one() == before
            assert conn.execute(select(incidents.c.case_id)).scalars().all() == [case.id]
        assert len(poller.answers) >= 10
        assert all(status == 200 and took < 2.0 for status, took in poller.answers), poller.answers
        # the pool replaced the killed child: the service runs the next script
        assert sup.get(f"{server.url}/api/v1/healthz", timeout=5).status_code == 200
    finally:
        server.stop()
