"""engine.people.admin: the last active admin under concurrency, the audit's contents, temporary passwords."""

import threading

import pytest
from sqlalchemy import select

from engine import people
from engine.core.errors import Conflict
from engine.store.tables import user_audit

PASSWORD = "correct horse battery"


def test_two_admins_deactivating_each_other_at_once_leave_one_admin(pg_db):
    with pg_db.begin() as conn:
        a = people.add_user(conn, "admin_a", PASSWORD, "admin", [])
        b = people.add_user(conn, "admin_b", PASSWORD, "admin", [])
    first = pg_db.engine.connect()
    tx = first.begin()
    people.update_user(first, "admin_a", b, {"active": False})  # holds the admins' locks until committed
    outcome = {}

    def other():
        try:
            with pg_db.begin() as conn:
                people.update_user(conn, "admin_b", a, {"active": False})
            outcome["b"] = "done"
        except Conflict as err:
            outcome["b"] = err.code

    thread = threading.Thread(target=other)
    thread.start()
    tx.commit()
    first.close()
    thread.join()
    assert outcome["b"] == "last_admin"
    with pg_db.begin() as conn:
        active = {u["username"] for u in people.list_users(conn, role="admin", active=True)}
    assert active == {"admin_a"}


def test_the_audit_keeps_changed_fields_never_a_password(db):
    with db.begin() as conn:
        made, temp = people.create_user(conn, "admin1", username="li", role="intake", communities=["福田社区"])
        people.update_user(conn, "admin1", made["id"], {"communities": [" 岗厦社区 ", "福田社区", "岗厦社区"],
                                                       "display_name": "  "})
        again = people.reset_password(conn, "admin1", made["id"])
        rows = conn.execute(select(user_audit).order_by(user_audit.c.id)).all()
    assert [r.action for r in rows] == ["created", "updated", "password_reset"]
    assert rows[1].old == {"communities": ["福田社区"]} and rows[1].new == {"communities": ["岗厦社区", "福田社区"]}
    text = repr(rows)
    assert temp not in text and again not in text and "argon2" not in text and temp != again


def test_groups_follow_the_role(db):
    assert people.groups_of("lawyer") == ["lawyer"]
    assert people.groups_of("supervisor") == ["intake", "mediator", "lawyer"]
    assert people.groups_of("leader") == [] and people.groups_of("admin") == []


def test_unknown_users_are_not_found(db):
    with db.begin() as conn, pytest.raises(Exception) as err:
        people.update_user(conn, "admin1", 999, {"active": False})
    assert err.value.code == "not_found"
