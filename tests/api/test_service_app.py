"""The HTTP service as it stands: login page, health and the OpenAPI document."""

from fastapi.testclient import TestClient

from api.app import create_app


def test_index_health_and_openapi(db):
    client = TestClient(create_app(db))
    page = client.get("/", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/login?next=/"
    login = client.get("/login")
    assert login.status_code == 200 and "大调解" in login.text
    health = client.get("/api/v1/healthz")
    assert health.status_code == 200 and health.json()["ok"] is True
    spec = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/healthz" in spec["paths"]


def test_health_reports_an_unreachable_database():
    from engine import Database

    client = TestClient(create_app(Database("postgresql://nobody@127.0.0.1:1/none")))
    health = client.get("/api/v1/healthz")
    assert health.status_code == 503 and health.json()["database"].startswith("unreachable")
