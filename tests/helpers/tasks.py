"""HTTP task-test helpers: the app with the process set and extra users, rows and events, error answers."""

from sqlalchemy import func, select, update

from engine import processes
from engine.cases import service
from engine.core import clock
from engine.store import users
from engine.store.tables import events, tasks
from engine.store.tables import users as users_table
from tests.helpers import api as api_helpers
from tests.helpers.api import make_app
from tests.helpers.process_driver import bundle

API = "/api/v1"


def add_user(db, name: str, role: str, communities: list[str], active: bool = True) -> int:
    with db.begin() as conn:
        uid = users.insert(conn, username=name, password_hash=api_helpers._HASH, role=role, communities=communities,
                           email=None, display_name=None, locale="zh-CN", now=clock.now())
        if not active:
            conn.execute(update(users_table).where(users_table.c.id == uid).values(active=False))
    return uid


def setup(db, extra_users=()):
    """The app with the standard users (plus ``extra_users``) and the 大调解 process set deployed."""
    app = make_app(db)
    for name, role, communities, *active in extra_users:
        add_user(db, name, role, communities, *active)
    with db.begin() as conn:
        processes.deploy(conn, bundle(), actor="test")
    return app


def task_row(db, task_id):
    with db.begin() as conn:
        return conn.execute(select(tasks).where(tasks.c.id == task_id)).one()


def case_events(db, case_id, kind=None):
    with db.begin() as conn:
        found = service.case_events(conn, case_id)
    return [e for e in found if kind is None or e.kind == kind]


def event_count(db) -> int:
    with db.begin() as conn:
        return conn.execute(select(func.count()).select_from(events)).scalar_one()


def assert_4xx(r, status: int, code: str | None = None):
    assert r.status_code == status, (r.status_code, r.text)
    body = r.json()
    assert body["message"] and body["detail"]
    if code:
        assert body["error"] == code, body
    return body
