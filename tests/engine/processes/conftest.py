"""Fixtures of the process catalogue tests."""

import pytest

from engine import processes
from engine.processes.deploy import load_dir
from tests.helpers.paths import BPMN_DIR


@pytest.fixture
def deployed(db):
    """The test database with the shipped process set (bpmn/) deployed as version 1."""
    with db.begin() as conn:
        processes.deploy(conn, load_dir(BPMN_DIR), actor="test")
    return db
