"""Schemathesis against the OpenAPI document: generated requests never cause a server error.

Bounded: a fixed number of examples per operation, on SQLite, with a supervisor's token
(the role that reaches the most endpoints) and the real process set deployed.
"""

import tempfile
from pathlib import Path

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from api.app import create_app
from engine import Database
from engine.cases import service
from engine.processes.deploy import load_dir
from tests.helpers.api import PASSWORD, add_users
from tests.helpers.paths import BPMN_DIR
from tests.helpers.process_driver import intake

MAX_EXAMPLES = 20

# The app exists at import (schemathesis reads its OpenAPI document then); the database
# behind it is filled by the fixture below, before the first generated request.
_DB = Database(f"sqlite:///{Path(tempfile.mkdtemp(prefix='tiaojie-fuzz-')) / 'fuzz.sqlite'}")
APP = create_app(_DB)
schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", APP)


@pytest.fixture(scope="module")
def token():
    _DB.upgrade()
    add_users(_DB)
    with _DB.begin() as conn:
        service.deploy(conn, load_dir(BPMN_DIR))
    with _DB.begin() as conn:
        case = service.start_case(conn, "dispute_case", {}, actor="window1")
        service.complete_task(conn, case.open_tasks[0].id, intake(), actor="window1")
    r = TestClient(APP).post("/api/v1/auth/token", data={"username": "super1", "password": PASSWORD})
    yield r.json()["access_token"]
    _DB.dispose()


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case, token):
    if case.path == "/api/v1/auth/logout":
        return  # would end the shared session mid-run; covered in test_api_auth
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=[not_a_server_error])
