"""User administration through the API: add (temporary password, changed at first login), change role,
communities and status, reset a password, the audit; the last admin; who may do what."""

import pytest
from sqlalchemy import select

from engine.store.tables import sessions, user_audit, users
from tests.helpers.api import PASSWORD, client_for
from tests.helpers.tasks import API, assert_4xx


def uid(app, username: str) -> int:
    return next(u["id"] for u in client_for(app, "admin1").get(f"{API}/users").json() if u["username"] == username)


def login(app, username: str, password: str):
    client = client_for(app)
    r = client.post(f"{API}/auth/token", data={"username": username, "password": password})
    if r.status_code == 200:
        client.cookies.clear()
        client.headers["Authorization"] = f"Bearer {r.json()['access_token']}"
    return client, r


def audit_text(db) -> str:
    with db.begin() as conn:
        return repr(conn.execute(select(user_audit)).all())


def test_a_new_user_logs_in_with_the_temporary_password_only_to_change_it(app, db):
    admin = client_for(app, "admin1")
    r = admin.post(f"{API}/users", json={"username": "wangfang", "role": "mediator", "communities": ["福田社区"],
                                         "display_name": "王芳", "email": "wf@example.org"})
    assert r.status_code == 201, r.text
    made, temp = r.json()["user"], r.json()["temporary_password"]
    assert (made["role"], made["groups"], made["communities"], made["must_change_password"], made["active"]) == (
        "mediator", ["mediator"], ["福田社区"], True, True)
    assert len(temp) == 12

    client, r = login(app, "wangfang", temp)
    assert r.status_code == 200
    assert client.get(f"{API}/auth/me").json()["must_change_password"] is True
    assert_4xx(client.get(f"{API}/tasks"), 403, "password_change_required")
    wrong = client.post(f"{API}/auth/change-password", json={"current_password": "nope", "new_password": "x" * 9})
    assert assert_4xx(wrong, 422, "invalid_data")["fields"] == {"current_password": "当前密码不正确"}
    weak = client.post(f"{API}/auth/change-password", json={"current_password": temp, "new_password": "12345678"})
    assert "new_password" in assert_4xx(weak, 422)["fields"] or "password" in weak.json()["fields"]
    ok = client.post(f"{API}/auth/change-password", json={"current_password": temp, "new_password": "王芳的新密码2026"})
    assert ok.status_code == 204, ok.text
    assert client.get(f"{API}/tasks").status_code == 200
    assert login(app, "wangfang", temp)[1].status_code == 401
    assert login(app, "wangfang", "王芳的新密码2026")[1].status_code == 200
    actions = [a["action"] for a in admin.get(f"{API}/users/{made['id']}/audit").json()]
    assert actions == ["password_changed", "created"]
    assert temp not in audit_text(db) and "argon2" not in audit_text(db)


def test_deactivating_ends_the_sessions_and_refuses_login_and_is_audited(app, db):
    admin = client_for(app, "admin1")
    mediator, _ = login(app, "mediator1", PASSWORD)
    assert mediator.get(f"{API}/tasks").status_code == 200
    r = admin.patch(f"{API}/users/{uid(app, 'mediator1')}", json={"active": False})
    assert r.status_code == 200 and r.json()["active"] is False
    assert_4xx(mediator.get(f"{API}/tasks"), 401)
    assert_4xx(login(app, "mediator1", PASSWORD)[1], 401, "account_inactive")
    assert login(app, "mediator1", "wrong password")[1].json()["error"] == "auth_failed"
    assert admin.patch(f"{API}/users/{uid(app, 'mediator1')}", json={"active": True}).status_code == 200
    assert login(app, "mediator1", PASSWORD)[1].status_code == 200
    audit = admin.get(f"{API}/users/{uid(app, 'mediator1')}/audit").json()
    assert [(a["action"], a["actor"], a["old"], a["new"]) for a in audit] == [
        ("activated", "admin1", {"active": False}, {"active": True}),
        ("deactivated", "admin1", {"active": True}, {"active": False})]


def test_role_names_email_and_communities_change_with_old_and_new_values_audited(app):
    admin = client_for(app, "admin1")
    target = uid(app, "window1")
    r = admin.patch(f"{API}/users/{target}", json={"role": "mediator", "communities": ["岗厦社区", "福田社区"],
                                                   "display_name": "张三", "email": ""})
    assert r.status_code == 200, r.text
    assert {k: r.json()[k] for k in ("role", "groups", "communities", "display_name", "email")} == {
        "role": "mediator", "groups": ["mediator"], "communities": ["岗厦社区", "福田社区"], "display_name": "张三",
        "email": None}
    (entry,) = admin.get(f"{API}/users/{target}/audit").json()
    assert entry["action"] == "updated" and entry["old"] == {
        "role": "intake", "communities": ["福田社区"], "display_name": None, "email": "window1@example.org"}
    assert entry["new"] == {"role": "mediator", "communities": ["岗厦社区", "福田社区"], "display_name": "张三",
                            "email": None}
    # the new role counts at once: window1 now works the mediators' tasks (the role is read every request)
    assert client_for(app, "window1").get(f"{API}/auth/me").json()["role"] == "mediator"
    assert admin.patch(f"{API}/users/{target}", json={"role": "mediator"}).json()["role"] == "mediator"
    assert len(admin.get(f"{API}/users/{target}/audit").json()) == 1  # nothing changed, nothing recorded
    assert_4xx(admin.patch(f"{API}/users/{target}", json={}), 422)
    assert_4xx(admin.patch(f"{API}/users/{target}", json={"password_hash": "x"}), 422)
    assert_4xx(admin.patch(f"{API}/users/{target}", json={"role": "boss"}), 422)


def test_reset_gives_a_temporary_password_once_and_ends_the_sessions(app, db):
    admin = client_for(app, "admin1")
    lawyer, _ = login(app, "lawyer1", PASSWORD)
    r = admin.post(f"{API}/users/{uid(app, 'lawyer1')}/reset-password")
    assert r.status_code == 200
    temp = r.json()["temporary_password"]
    assert_4xx(lawyer.get(f"{API}/tasks"), 401)
    assert login(app, "lawyer1", PASSWORD)[1].status_code == 401
    client, ok = login(app, "lawyer1", temp)
    assert ok.status_code == 200
    assert_4xx(client.get(f"{API}/cases"), 403, "password_change_required")
    assert admin.get(f"{API}/users/{uid(app, 'lawyer1')}").json()["must_change_password"] is True
    assert temp not in audit_text(db)
    with db.begin() as conn:
        assert conn.execute(select(users.c.password_hash).where(users.c.username == "lawyer1")).scalar() != temp


def test_the_last_active_admin_cannot_be_deactivated_nor_demoted(app, db):
    admin = client_for(app, "admin1")
    me = uid(app, "admin1")
    body = assert_4xx(admin.patch(f"{API}/users/{me}", json={"active": False}), 409, "last_admin")
    assert "最后一位" in body["message"]
    assert_4xx(admin.patch(f"{API}/users/{me}", json={"role": "supervisor"}), 409, "last_admin")
    second = admin.post(f"{API}/users", json={"username": "admin2", "role": "admin"}).json()["user"]
    assert admin.patch(f"{API}/users/{second['id']}", json={"active": False}).status_code == 200
    assert_4xx(admin.patch(f"{API}/users/{me}", json={"active": False}), 409, "last_admin")
    assert admin.patch(f"{API}/users/{second['id']}", json={"active": True}).status_code == 200
    assert admin.patch(f"{API}/users/{me}", json={"role": "supervisor"}).status_code == 200  # admin2 remains
    with db.begin() as conn:
        assert conn.execute(select(users.c.role).where(users.c.id == me)).scalar() == "supervisor"
        assert conn.execute(select(sessions.c.revoked_at).where(sessions.c.user_id == me)).first() is not None


def test_the_list_filters_by_role_community_status_and_text(app):
    sup = client_for(app, "super1")
    names = lambda q: [u["username"] for u in sup.get(f"{API}/users?{q}").json()]  # noqa: E731
    assert names("role=intake") == ["window1", "window2"]
    assert names("community=岗厦社区") == ["lawyer1", "window2"]
    assert names("q=WINDOW") == ["window1", "window2"]
    client_for(app, "admin1").patch(f"{API}/users/{uid(app, 'window2')}", json={"active": False})
    assert names("role=intake&active=false") == ["window2"]
    listed = {u["username"]: u for u in sup.get(f"{API}/users").json()}
    assert listed["super1"]["groups"] == ["intake", "mediator", "lawyer"]
    assert listed["super1"]["last_login_at"] is not None and listed["leader1"]["last_login_at"] is None


def test_username_taken_or_invalid_is_a_field_error_in_the_users_language(app):
    admin = client_for(app, "admin1")
    taken = assert_4xx(admin.post(f"{API}/users", json={"username": "window1", "role": "intake"}), 422)
    assert taken["fields"] == {"username": "该用户名已被使用"}
    assert_4xx(admin.post(f"{API}/users", json={"username": "张 三", "role": "intake"}), 422)
    assert_4xx(admin.post(f"{API}/users", json={"username": "x", "role": "intake", "password": "p"}), 422)


@pytest.mark.parametrize("role", ["window1", "mediator1", "lawyer1", "super1", "leader1"])
def test_only_admins_change_users(app, role):
    client = client_for(app, role)
    target = uid(app, "window2")
    assert_4xx(client.post(f"{API}/users", json={"username": "newbie", "role": "intake"}), 403, "forbidden")
    assert_4xx(client.patch(f"{API}/users/{target}", json={"active": False}), 403, "forbidden")
    assert_4xx(client.post(f"{API}/users/{target}/reset-password"), 403, "forbidden")
    assert_4xx(client.get(f"{API}/users/{target}/audit"), 403, "forbidden")
    listing = client.get(f"{API}/users")
    assert listing.status_code == (200 if role == "super1" else 403)


def test_unauthenticated_calls_are_refused(app):
    anonymous = client_for(app)
    assert_4xx(anonymous.get(f"{API}/users"), 401)
    assert_4xx(anonymous.post(f"{API}/users", json={"username": "x", "role": "intake"}), 401)
    assert_4xx(anonymous.post(f"{API}/auth/change-password", json={"current_password": "a", "new_password": "b"}), 401)
