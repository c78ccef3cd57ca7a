"""Fixtures of the case tests."""

import pytest

from engine import processes
from tests.helpers.engine import deploy, start
from tests.helpers.notifications import add_user
from tests.helpers.process_driver import bundle


@pytest.fixture
def process_bundle(db):
    """The shipped processes deployed (registration runs dispute_case's intake)."""
    with db.begin() as conn:
        processes.deploy(conn, bundle(), actor="test")


@pytest.fixture
def people(db):
    """Who early warnings go to: leaders and 综治 supervisors serving the case's community (福田社区)."""
    add_user(db, "leader1", role="leader", communities=())  # sees every community
    add_user(db, "leader_ns", role="leader", communities=("南山社区",))
    add_user(db, "sup_ft", role="supervisor", communities=("福田社区",))
    add_user(db, "sup_ns", role="supervisor", communities=("南山社区",))
    add_user(db, "mediator1", role="mediator", communities=("福田社区",))


@pytest.fixture
def state_cap(monkeypatch):
    from engine.core.settings import get_settings

    monkeypatch.setenv("TIAOJIE_CASE_STATE_MAX_BYTES", "40000")
    get_settings.cache_clear()
    yield 40_000
    monkeypatch.undo()
    get_settings.cache_clear()


@pytest.fixture
def driver_clock():
    """The whole test on the process driver's clock (its steps' dates are in March 2025)."""
    import time_machine

    from tests.helpers.process_driver import START

    with time_machine.travel(START, tick=False):
        yield


@pytest.fixture
def keep_case(db):
    """A case of the continuity fixture process (two intake steps, then two mediator steps) in 福田社区."""
    deploy(db, "continuity.bpmn")
    return start(db, "keep", data={"community": "福田社区"})
