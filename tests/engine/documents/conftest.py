"""Fixtures of the documents tests: the shipped processes."""

import pytest

from engine import processes
from engine.core.settings import get_settings
from tests.helpers.process_driver import bundle


@pytest.fixture
def process_bundle(db):
    with db.begin() as conn:
        processes.deploy(conn, bundle(), actor="test")


@pytest.fixture(autouse=True)
def _settings():
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()
