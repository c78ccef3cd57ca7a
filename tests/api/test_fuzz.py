"""Schemathesis against the OpenAPI document: every generated request gets an answer the document states.

All of schemathesis' default checks run (no server error, status code, content type, response schema and
headers conformance, negative data rejection, unsupported methods with Allow, ...): a 5xx, an undocumented
status or a body that does not match the documented schema fails. One is replaced: positive_data_acceptance
by schema_valid_passes_validation below (a schema-valid request may still break a business rule; it must
never be refused by the request validation). Generic over every operation of the app, so endpoints added
later are fuzzed too; a new endpoint's statuses that do not follow from its shape go in api/openapi.EXTRA.
Besides the checks, no request of the run (the checks' own included) may get a 5xx.

Bounded: derandomized, MAX_EXAMPLES examples per operation, on PostgreSQL (where NUL characters and
invalid Unicode used to reach the database and fail) unless TIAOJIE_TEST_SKIP_PG=1, then on SQLite.
Authenticated as a supervisor (the role that reaches the most operations) with a bearer token, so CSRF
does not apply; admin-only operations answer 403, which they document.
"""

import tempfile
from collections import Counter
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from api.app import create_app
from engine import Database

MAX_EXAMPLES = 25
SKIPPED = {
    ("POST", "/api/v1/auth/logout"),  # would end the shared session mid-run; covered in test_auth
}


# The app exists at import (schemathesis reads its OpenAPI document then, before any fixture); its
# database is set by the fuzz_token fixture (tests/api/conftest.py), before the first generated request.
_PLACEHOLDER = Database(f"sqlite:///{Path(tempfile.mkdtemp(prefix='tiaojie-fuzz-')) / 'unused.sqlite'}")
APP = create_app(_PLACEHOLDER)
schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", APP)


def answers() -> Counter:
    """Requests the app answered so far, by status (its Prometheus counter counts every request)."""
    counts = Counter()
    for registry in APP.state.metrics.collectors():
        for metric in registry.collect():
            for sample in metric.samples:
                if sample.name == "tiaojie_http_requests_total":
                    counts[sample.labels["status"]] += sample.value
    return counts


@schemathesis.check
def schema_valid_passes_validation(ctx, response, case):
    """Schemathesis' positive_data_acceptance, where a refusal by a business rule counts as acceptance.

    The document states the shape of a request, not the rules behind it (an unknown user to hand over to,
    an empty upload, a cursor this service did not issue, a task form's required fields): a schema-valid
    request may still get 422 ``invalid_data`` or another code of the engine's. What it must never get is
    the refusal of the request validation (``validation``, ``malformed_json``): then the document and the
    validator disagree."""
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code != 422:
        return None
    if any(not c.mode.is_positive for c in (meta.components or {}).values()):
        return None  # the coverage phase may pair a positive path parameter with a negative body ("0")
    code = response.json().get("error")
    if code in ("validation", "malformed_json"):
        raise AssertionError(f"schema-valid request refused by request validation: {response.text}")
    return None


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_every_answer_is_documented(case, fuzz_token):
    if (case.method.upper(), case.path) in SKIPPED:
        return
    case.call_and_validate(headers={"Authorization": f"Bearer {fuzz_token}"},
                           excluded_checks=[positive_data_acceptance],
                           additional_checks=[schema_valid_passes_validation])
