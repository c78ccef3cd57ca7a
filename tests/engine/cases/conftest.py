"""Fixtures of the case tests."""

import pytest

from engine import processes
from tests.helpers.process_driver import bundle


@pytest.fixture
def process_bundle(db):
    """The shipped processes deployed (registration runs dispute_case's intake)."""
    with db.begin() as conn:
        processes.deploy(conn, bundle(), actor="test")
