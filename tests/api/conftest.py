"""Fixtures of the API tests: the app and a supervisor's client, per-test settings, the deadline and fuzz setups, a
leader reading period reports."""

import os

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from api.app import create_app
from api.deadlines.views import router as deadlines_router
from engine import Database, processes
from engine.cases import service
from engine.core import datakeys
from engine.core.settings import get_settings
from engine.deadlines import rules as deadlines
from engine.deadlines import seed as sla_seed
from engine.processes.deploy import load_dir
from engine.store.tables import metadata
from engine.tasks import claim_task
from tests.helpers.api import PASSWORD, add_users, client_for, make_app
from tests.helpers.deadlines import case_with_sla
from tests.helpers.ledger import write_csv
from tests.helpers.outage import Proxy
from tests.helpers.paths import BPMN_DIR
from tests.helpers.period import IMPORT, LEDGER_ROWS
from tests.helpers.pg import PG_ADMIN_URL
from tests.helpers.process_driver import bundle, intake
from tests.helpers.tasks import setup
from tests.helpers.ui import new_case


@pytest.fixture
def app(request, db):
    """The API on the test database with the test users; under ``pytest.mark.process_set`` the shipped
    process set (bpmn/) is deployed first."""
    if request.node.get_closest_marker("process_set"):
        with db.begin() as c:
            processes.deploy(c, bundle())
    return make_app(db)


@pytest.fixture
def sup(app):
    """A supervisor's client."""
    return client_for(app, "super1")


@pytest.fixture
def small_limits(monkeypatch):
    """Call after deploying: a 20 000-byte attachment limit, 4 000 bytes for other multipart uploads."""
    def apply():
        monkeypatch.setenv("TIAOJIE_MAX_ATTACHMENT_BYTES", "20000")
        monkeypatch.setenv("TIAOJIE_MAX_DEFINITION_BYTES", "1000")
        get_settings.cache_clear()
    yield apply
    get_settings.cache_clear()


@pytest.fixture
def redis_url(monkeypatch):
    """Set TIAOJIE_REDIS_URL for one test (settings are cached: cleared before and after)."""

    def use(url: str | None):
        if url is None:
            monkeypatch.delenv("TIAOJIE_REDIS_URL", raising=False)
        else:
            monkeypatch.setenv("TIAOJIE_REDIS_URL", url)
        get_settings.cache_clear()

    yield use
    get_settings.cache_clear()


@pytest.fixture
def deadline_setup(db):
    """(app, case, sla): a review case with one SLA deadline, the seeded SLA rules, the API users."""
    deadlines.RULES.clear()
    case, sla = case_with_sla(db)  # adds the API users too
    with db.begin() as conn:
        sla_seed.seed(conn)
    from api.app import ROUTERS, create_app

    app = create_app(db) if deadlines_router in ROUTERS else _with_deadlines_router(create_app(db))
    yield app, case, sla
    deadlines.RULES.clear()


def _with_deadlines_router(app):
    app.include_router(deadlines_router, prefix="/api/v1")
    return app


@pytest.fixture
def seeded_app(app, db):
    """``app`` with the seeded SLA and statutory rules in force."""
    with db.begin() as conn:
        sla_seed.seed(conn)
    deadlines.RULES.clear()
    yield app
    deadlines.RULES.clear()


@pytest.fixture
def period_leader(app, sup, tmp_path):
    """A leader's client, the ledger rows of the period tests imported (tests.helpers.period.LEDGER_ROWS)."""
    path = write_csv(tmp_path / "ledger.csv", LEDGER_ROWS)
    assert sup.post(IMPORT, files={"file": (path.name, path.read_bytes(), "text/csv")}).json()["imported"] == 4
    return client_for(app, "leader1")


@pytest.fixture(scope="module")
def fuzz_db(request, tmp_path_factory):
    """The fuzzed app's database: the process set deployed, the test users, one case past intake."""
    sqlite = os.environ.get("TIAOJIE_TEST_SKIP_PG") == "1"  # else PostgreSQL, this worker's database emptied
    if sqlite:
        db = Database(f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'fuzz.sqlite'}")
        db.create_all()
    else:
        db = request.getfixturevalue("pg_database")
        with db.engine.begin() as c:
            c.execute(text(f"TRUNCATE {', '.join(t.name for t in metadata.sorted_tables)} RESTART IDENTITY CASCADE"))
    add_users(db)
    with db.begin() as conn:
        processes.deploy(conn, load_dir(BPMN_DIR))
    with pytest.MonkeyPatch.context() as mp:  # the parties sealed under the key file the fuzz tests use
        mp.delenv("TIAOJIE_DATA_KEYS", raising=False)
        mp.setenv("TIAOJIE_DATA_KEY_FILE", str(tmp_path_factory.getbasetemp() / "fuzz-keys" / "data.keys"))
        get_settings.cache_clear()
        datakeys.reset()
        with db.begin() as conn:
            case = service.start_case(conn, "dispute_case", {}, actor="window1")
            service.complete_task(conn, case.open_tasks[0].id, intake(), actor="window1")
    get_settings.cache_clear()
    datakeys.reset()
    yield db
    if sqlite:
        db.dispose()


@pytest.fixture(scope="module")
def fuzz_token(request, fuzz_db):
    """A supervisor's bearer token for the fuzz module's ``APP`` (made at import: schemathesis reads its
    document then), now on ``fuzz_db``; afterwards the requests of the run, none of them a 5xx."""
    module = request.module
    APP, answers = module.APP, module.answers
    APP.state.db = fuzz_db
    r = TestClient(APP).post("/api/v1/auth/token", data={"username": "super1", "password": PASSWORD})
    assert r.status_code == 200, r.text
    before = answers()
    yield r.json()["access_token"]
    APP.state.db = module._PLACEHOLDER
    after = answers()
    made = {status: after[status] - before.get(status, 0) for status in after}
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter and capture:
        with capture.global_and_fixture_disabled():
            reporter.write_line(f"\nschemathesis: {sum(made.values()):.0f} requests, by status "
                                f"{dict(sorted((k, int(v)) for k, v in made.items() if v))}")
    assert not any(v for k, v in made.items() if k.startswith("5")), made  # checks' own requests included


@pytest.fixture(autouse=True)
def key_file(request, tmp_path, tmp_path_factory, monkeypatch):
    """Data keys in a file of this test; the fuzz module's tests share one, as they share ``fuzz_db``."""
    shared = "fuzz_token" in request.fixturenames
    folder = tmp_path_factory.getbasetemp() / "fuzz-keys" if shared else tmp_path
    monkeypatch.delenv("TIAOJIE_DATA_KEYS", raising=False)
    monkeypatch.setenv("TIAOJIE_DATA_KEY_FILE", str(folder / "data.keys"))
    get_settings.cache_clear()
    datakeys.reset()
    yield
    get_settings.cache_clear()
    datakeys.reset()


@pytest.fixture
def proxied(pg_db):
    """(app, proxy): the API on the test's PostgreSQL database through a proxy that can be cut."""
    add_users(pg_db)
    proxy = Proxy(pg_db.engine.url.port or 5432).start()
    url = pg_db.engine.url.set(port=proxy.port).render_as_string(hide_password=False)
    db = Database(url)
    yield create_app(db), proxy
    proxy.cut()
    db.dispose()


@pytest.fixture
def read_only(pg_db):
    """switch(on) → the test's PostgreSQL database read-only for new connections (reset afterwards)."""
    name = pg_db.engine.url.database
    admin = create_engine(PG_ADMIN_URL.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT")

    def switch(on: bool) -> None:
        with admin.connect() as c:
            c.execute(text(f'ALTER DATABASE "{name}" ' + ("SET default_transaction_read_only = on" if on
                                                          else "RESET default_transaction_read_only")))

    yield switch
    switch(False)
    admin.dispose()


HANDOVER_EXTRA = [("window3", "intake", ["福田社区"]), ("window4", "intake", ["福田社区", "岗厦社区"]),
                  ("gone", "intake", ["福田社区"], False)]


@pytest.fixture
def departing(db):
    """window1 holds the intake tasks of three 福田 cases it registered and owns, and of one 岗厦 case."""
    app = setup(db, HANDOVER_EXTRA)
    work = [new_case(db) for _ in range(3)] + [new_case(db, "岗厦社区")]
    for _, task_id in work[:3]:
        assert client_for(app, "window1").post(f"/api/v1/tasks/{task_id}/claim").status_code == 200
    with db.begin() as conn:  # window1 moved from 岗厦 to 福田 since
        claim_task(conn, None, work[3][1], actor="window1")
    return app, work


@pytest.fixture
def cluster():
    """``api.serve --workers 2`` serving ``tests.helpers.pid_app`` (answers with its worker's pid), ready."""
    from tests.helpers.cluster import Cluster

    running = Cluster(workers=2)
    try:
        running.wait_ready(2)
        yield running
    finally:
        running.stop()
