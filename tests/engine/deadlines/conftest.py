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
