"""The OpenAPI document states the real error answers: one error schema, and per operation the statuses it
can return; the request types accept what the document states and nothing more."""

import jsonschema
import pytest

from tests.helpers.api import client_for

API = "/api/v1"


pytestmark = pytest.mark.process_set  # the `app` fixture (tests/api/conftest.py) with the shipped processes


def document(app) -> dict:
    return client_for(app).get(f"{API}/openapi.json").json()


def operations(doc):
    for path, ops in doc["paths"].items():
        for method, op in ops.items():
            yield method, path, op


def error_schema(doc) -> dict:
    return {**doc["components"]["schemas"]["ErrorOut"], "components": doc["components"]}


def test_every_operation_documents_its_error_statuses_with_the_error_schema(app):
    doc = document(app)
    assert "HTTPValidationError" not in str(doc) and "ErrorOut" in doc["components"]["schemas"]
    checked = 0
    for method, path, op in operations(doc):
        documented = {int(code) for code in op["responses"]}
        expected = {503}
        if op.get("security"):
            expected |= {401, 403}
        if any(p["in"] == "path" for p in op.get("parameters", [])):
            expected |= {404, 422}
        if "requestBody" in op:
            expected |= {413, 422}
        if op.get("parameters"):
            expected.add(422)
        assert expected <= documented, (method, path, expected - documented)
        for code, response in op["responses"].items():
            if int(code) >= 400 and path != f"{API}/healthz":
                schema = response["content"]["application/json"]["schema"]
                assert schema == {"$ref": "#/components/schemas/ErrorOut"}, (method, path, code)
        checked += 1
    assert checked >= 50
    for path in ("/auth/token", "/auth/refresh"):
        assert {"401", "429"} <= set(doc["paths"][API + path]["post"]["responses"])


def test_error_answers_match_the_documented_schema_and_status(app):
    doc = document(app)
    sup = client_for(app, "super1")
    answers = [
        ("get", "/cases/{case_id}", sup.get(f"{API}/cases/99999")),  # 404
        ("get", "/cases/{case_id}", sup.get(f"{API}/cases/0")),  # 422
        ("get", "/cases/{case_id}", client_for(app).get(f"{API}/cases/1")),  # 401
        ("put", "/calendar/days/{day}", sup.put(f"{API}/calendar/days/2026-01-01", json={"kind": "rest"})),  # 403
        ("post", "/cases", sup.post(f"{API}/cases", json={"data": {}, "process_key": "nope"})),  # 404
        ("get", "/cases", sup.get(f"{API}/cases?q=a%00b")),  # 422 from the guard
    ]
    for method, path, r in answers:
        assert str(r.status_code) in doc["paths"][API + path][method]["responses"], (path, r.status_code)
        jsonschema.validate(r.json(), error_schema(doc))
    assert [r.status_code for *_, r in answers] == [404, 422, 401, 403, 404, 422]


def test_405_names_every_method_of_the_path(app):
    sup = client_for(app, "super1")
    r = sup.request("TRACE", f"{API}/cases")
    assert r.status_code == 405 and r.headers["allow"] == "GET, HEAD, POST"
    assert r.json()["error"] == "method_not_allowed"
    r = sup.get(f"{API}/calendar/import")  # /calendar/{year:int} does not take it for a year
    assert r.status_code == 405 and r.headers["allow"] == "POST"
    assert sup.delete(f"{API}/cases/1").headers["allow"] == "GET, HEAD"


@pytest.mark.parametrize("method, path, body", [
    ("patch", "/auth/me/preferences", {"digest_opt_out": 0}),  # 0 is not false
    ("post", "/cases/1/migrate", {"version": True}),  # true is not 1
    ("post", "/cases/1/migrate", {"version": "2"}),  # nor is "2"
    ("post", "/cases", {"data": {}, "received_on": 1704067200}),  # a date is written YYYY-MM-DD
    ("get", "/cases?created_to=0", None),
    ("get", "/reports/period?from=0&to=2026-02-01", None),
])
def test_request_types_accept_only_what_the_document_states(app, method, path, body):
    r = client_for(app, "super1").request(method.upper(), API + path, json=body)
    assert r.status_code == 422 and r.json()["error"] == "validation", r.text
