"""Fixtures of the deadline tests."""

import pytest


@pytest.fixture
def embedded(db):
    """go() → the embedded dispatcher on the test database with a short lease, stopped afterwards."""
    from workers import dispatcher, embedded

    stops = []

    def go():
        stops.append(embedded.start(db, interval=0.05, lease_seconds=0.3))

    yield go
    for stop in stops:
        stop()
    assert dispatcher.LEASE_SECONDS > 1  # the default lease is not the test's


@pytest.fixture
def shipped(db):
    """The shipped processes (bpmn/) and the seeded SLA rules, deployed in January 2026, with the API users."""
    from datetime import UTC, datetime

    import time_machine

    from engine import processes
    from engine.deadlines import rules
    from engine.deadlines import seed as sla_seed
    from tests.helpers.api import add_users
    from tests.helpers.process_driver import bundle

    add_users(db)
    with time_machine.travel(datetime(2026, 1, 5, 2, 0, tzinfo=UTC), tick=False):
        with db.begin() as conn:
            processes.deploy(conn, bundle(), actor="test")
            sla_seed.seed(conn)
    rules.RULES.clear()
    yield db
    rules.RULES.clear()
