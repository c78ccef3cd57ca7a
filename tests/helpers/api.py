"""API test helpers: an app on the test database, users of every role, logged-in clients."""

from fastapi.testclient import TestClient

from api.app import create_app
from engine import people
from engine.core import clock
from engine.store import users

PASSWORD = "correct horse battery"
USERS = {
    # username: (role, communities)
    "window1": ("intake", ["福田社区"]),
    "window2": ("intake", ["岗厦社区"]),
    "mediator1": ("mediator", ["福田社区"]),
    "mediator2": ("mediator", ["福田社区"]),
    "lawyer1": ("lawyer", ["福田社区", "岗厦社区"]),
    "super1": ("supervisor", []),
    "leader1": ("leader", []),
    "admin1": ("admin", []),
}


_HASH = None


def add_users(db) -> None:
    """The users above, sharing one password hash (argon2 is slow on purpose)."""
    global _HASH
    _HASH = _HASH or people.hash_password(PASSWORD)
    with db.begin() as conn:
        for name, (role, communities) in USERS.items():
            users.insert(conn, username=name, password_hash=_HASH, role=role, communities=communities,
                         email=f"{name}@example.org", display_name=None, locale="zh-CN", now=clock.now())


def client_for(app, username: str | None = None, lang: str | None = None, cookies: bool = False) -> TestClient:
    """A client logged in as ``username``: with a bearer token, or (``cookies``) with the session
    and CSRF cookies the web pages use."""
    client = TestClient(app)
    if lang:
        client.headers["Accept-Language"] = lang
    if username:
        r = client.post("/api/v1/auth/token", data={"username": username, "password": PASSWORD})
        assert r.status_code == 200, r.text
        if not cookies:
            client.cookies.clear()  # bearer only, so CSRF does not apply
            client.headers["Authorization"] = f"Bearer {r.json()['access_token']}"
    return client


def make_app(db):
    add_users(db)
    return create_app(db)
