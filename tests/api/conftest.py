"""Fixtures of the API tests: the app and a supervisor's client, per-test settings, the deadline and fuzz setups, a
leader reading period reports."""

import pytest

from api.deadlines.views import router as deadlines_router
from engine import processes
from engine.core.settings import get_settings
from engine.deadlines import rules as deadlines
from engine.deadlines import seed as sla_seed
from tests.helpers.api import client_for, make_app
from tests.helpers.deadlines import case_with_sla
from tests.helpers.ledger import write_csv
from tests.helpers.period import IMPORT, LEDGER_ROWS
from tests.helpers.process_driver import bundle


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
