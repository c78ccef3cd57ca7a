"""Operations: /healthz (database and broker) and /metrics (Prometheus, per-app and multiprocess)."""

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta

import time_machine
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import func, select

from api.app import create_app
from engine.core.settings import get_settings
from engine.store.tables import tasks
from tests.helpers import engine as eh
from tests.helpers.api import add_users, client_for, make_app
from tests.helpers.paths import ROOT

REDIS_OK = "redis://127.0.0.1:6379/0"
REDIS_DOWN = "redis://127.0.0.1:1/0"


def _samples(text: str) -> dict:
    """{(sample name, frozenset(labels)): value} of a Prometheus text exposition."""
    out = {}
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            out[(s.name, frozenset(s.labels.items()))] = s.value
    return out


def _scrape(app, user: str = "admin1") -> dict:
    r = client_for(app, user).get("/api/v1/metrics")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/plain")
    return _samples(r.text)


def test_healthz_without_broker(db, redis_url):
    redis_url(None)
    r = client_for(make_app(db)).get("/api/v1/healthz")
    assert r.status_code == 200
    assert r.json()["database"] == "ok" and r.json()["broker"] == "not configured" and r.json()["ok"] is True


def test_healthz_with_a_reachable_redis(db, redis_url):
    redis_url(REDIS_OK)
    r = client_for(make_app(db)).get("/api/v1/healthz")
    assert r.status_code == 200, r.text
    assert r.json()["broker"] == "ok" and r.json()["ok"] is True


def test_healthz_with_an_unreachable_redis_is_503(db, redis_url):
    redis_url(REDIS_DOWN)
    r = client_for(make_app(db)).get("/api/v1/healthz")
    assert r.status_code == 503
    body = r.json()
    assert body["broker"] == "unreachable" and body["database"] == "ok" and body["ok"] is False
    assert "127.0.0.1:1" not in r.text  # no connection details (a URL may hold a password)


def test_metrics_needs_admin_or_supervisor(db):
    app = make_app(db)
    assert client_for(app).get("/api/v1/metrics").status_code == 401
    for user in ("mediator1", "window1", "leader1"):
        assert client_for(app, user).get("/api/v1/metrics").status_code == 403, user
    for user in ("admin1", "super1"):
        assert client_for(app, user).get("/api/v1/metrics").status_code == 200, user


def test_requests_are_counted_under_their_route_template(db):
    app = make_app(db)
    c = client_for(app, "mediator1")
    assert c.get("/api/v1/processes/some_key/versions").status_code == 404
    assert c.get("/api/v1/processes/versions/versions").status_code == 404  # a key like a literal segment
    assert c.get("/api/v1/processes/k/versions/3/diff/4").status_code == 404
    assert c.get("/api/v1/processes").status_code == 200
    assert c.get("/api/v1/no/such/path").status_code == 404
    samples = _scrape(app)
    route = "/api/v1/processes/{key}/versions"
    key = ("tiaojie_http_requests_total", frozenset({"method": "GET", "route": route, "status": "404"}.items()))
    assert samples[key] == 2
    ok = ("tiaojie_http_requests_total", frozenset({"method": "GET", "route": "/api/v1/processes",
                                                    "status": "200"}.items()))
    assert samples[ok] == 1
    unmatched = ("tiaojie_http_requests_total", frozenset({"method": "GET", "route": "<unmatched>",
                                                           "status": "404"}.items()))
    assert samples[unmatched] == 1
    diff = ("tiaojie_http_requests_total", frozenset({
        "method": "GET", "route": "/api/v1/processes/{key}/versions/{version}/diff/{other}", "status": "404"}.items()))
    assert samples[diff] == 1
    routes = {dict(labels).get("route") for _, labels in samples}
    assert not any("some_key" in r or "no/such" in r for r in routes if r)  # raw paths never become labels
    count = ("tiaojie_http_request_duration_seconds_count", frozenset({"method": "GET", "route": route}.items()))
    assert samples[count] == 2


def test_each_app_has_its_own_registry(db):
    first, second = make_app(db), create_app(db)
    client_for(first, "mediator1").get("/api/v1/processes")
    key = ("tiaojie_http_requests_total", frozenset({"method": "GET", "route": "/api/v1/processes",
                                                     "status": "200"}.items()))
    assert _scrape(first)[key] == 1
    assert key not in _scrape(second)


def _open_in_db(db) -> dict:
    with db.begin() as conn:
        rows = conn.execute(select(tasks.c.candidate_group, func.count())
                            .where(tasks.c.status.in_(["ready", "claimed"])).group_by(tasks.c.candidate_group))
        return {g: n for g, n in rows}


def test_task_gauges_match_the_database(db):
    app = make_app(db)
    samples = _scrape(app)
    assert not [k for k in samples if k[0] == "tiaojie_open_tasks"]
    assert samples[("tiaojie_overdue_tasks", frozenset())] == 0

    eh.deploy(db, "review_v1.bpmn")
    eh.start(db)
    case = eh.start(db)
    assert _open_in_db(db) == {"intake": 2}
    samples = _scrape(app)
    assert samples[("tiaojie_open_tasks", frozenset({"group": "intake"}.items()))] == 2

    # register -> examine (mediator, due in 30 days by its boundary timer)
    eh.complete(db, eh.open_task(db, case.id, "register").id, {"amount": 5, "channel": "window"})
    assert _open_in_db(db) == {"intake": 1, "mediator": 1}
    samples = _scrape(app, "super1")
    assert samples[("tiaojie_open_tasks", frozenset({"group": "intake"}.items()))] == 1
    assert samples[("tiaojie_open_tasks", frozenset({"group": "mediator"}.items()))] == 1
    assert samples[("tiaojie_overdue_tasks", frozenset())] == 0
    with time_machine.travel(datetime.now(UTC) + timedelta(days=31)):
        late = _scrape(app)
    assert late[("tiaojie_overdue_tasks", frozenset())] == 1


WORKER = """
import sys
from api.app import create_app
from engine import Database
from tests.helpers.api import client_for

app = create_app(Database(sys.argv[1]))
client = client_for(app, "admin1")
assert client.get("/api/v1/processes").status_code == 200
if sys.argv[2] == "scrape":
    sys.stdout.write(client.get("/api/v1/metrics").text)
"""


def test_multiprocess_mode_aggregates_workers(tmp_path):
    """With PROMETHEUS_MULTIPROC_DIR, a scrape of one worker counts the requests of all."""
    from engine import Database

    url = f"sqlite:///{tmp_path / 'mp.sqlite'}"
    database = Database(url)
    database.create_all()
    add_users(database)
    database.dispose()
    mp_dir = tmp_path / "prom"
    mp_dir.mkdir()
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(mp_dir), "TIAOJIE_SECRET_KEY": "k" * 40,
           "PYTHONPATH": str(ROOT)}
    run = [sys.executable, "-c", WORKER, url]
    subprocess.run([*run, "request"], env=env, cwd=ROOT, check=True, timeout=120)
    scraped = subprocess.run([*run, "scrape"], env=env, cwd=ROOT, check=True, timeout=120, capture_output=True,
                             text=True).stdout
    samples = _samples(scraped)
    key = ("tiaojie_http_requests_total", frozenset({"method": "GET", "route": "/api/v1/processes",
                                                     "status": "200"}.items()))
    assert samples[key] == 2  # one request in each process
    assert ("tiaojie_overdue_tasks", frozenset()) in samples
    assert list(mp_dir.iterdir())


def test_metrics_accepts_the_configured_scraper_token(db, monkeypatch):
    from fastapi.testclient import TestClient

    from tests.helpers.api import make_app

    monkeypatch.setattr(get_settings(), "metrics_token", "scrape-me-0123456789")
    client = TestClient(make_app(db))
    ok = client.get("/api/v1/metrics", headers={"Authorization": "Bearer scrape-me-0123456789"})
    assert ok.status_code == 200 and "tiaojie_open_tasks" in ok.text
    assert client.get("/api/v1/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.get("/api/v1/metrics").status_code == 401
