"""Fixtures of the case tests."""

import pytest

from engine.cases import service
from tests.helpers.process_driver import bundle


@pytest.fixture
def process_bundle(db):
    """The shipped processes deployed (registration runs dispute_case's intake)."""
    with db.begin() as conn:
        service.deploy(conn, bundle(), actor="test")
