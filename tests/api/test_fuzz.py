"""Schemathesis against the OpenAPI document: generated requests never cause a server error.

Bounded: a fixed number of examples per operation, on SQLite, with a supervisor's token
(the role that reaches the most endpoints) and the real process set deployed.
"""

import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from api.app import create_app
from engine import Database

MAX_EXAMPLES = 20

# The app exists at import (schemathesis reads its OpenAPI document then); the database
# behind it is filled by the fuzz_token fixture (tests/api/conftest.py), before the first generated request.
_DB = Database(f"sqlite:///{Path(tempfile.mkdtemp(prefix='tiaojie-fuzz-')) / 'fuzz.sqlite'}")
APP = create_app(_DB)
schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", APP)


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_no_server_errors(case, fuzz_token):
    if case.path == "/api/v1/auth/logout":
        return  # would end the shared session mid-run; covered in test_api_auth
    case.call_and_validate(headers={"Authorization": f"Bearer {fuzz_token}"}, checks=[not_a_server_error])
