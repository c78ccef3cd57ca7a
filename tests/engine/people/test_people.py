"""engine.people: the rules for new users, passwords, preferences, the user list and login sessions."""

import pytest

from engine import people
from engine.core.errors import InvalidData, NotFound
from engine.core.types import User

PASSWORD = "correct horse battery"


def test_bad_users_are_refused(db):
    with db.begin() as conn:
        people.add_user(conn, "a.b-c_1", PASSWORD, "intake", ["福田社区"])
    for args, field in [
        (("x y", PASSWORD, "intake"), "username"),
        (("ok1", "short", "intake"), "password"),
        (("ok2", PASSWORD, "boss"), "role"),
        (("a.b-c_1", PASSWORD, "intake"), "username"),
    ]:
        with db.begin() as conn, pytest.raises(InvalidData) as err:
            people.add_user(conn, *args, [])
        assert field in err.value.errors


def test_the_user_list_shows_role_communities_and_status_by_username(db):
    with db.begin() as conn:
        uid = people.add_user(
            conn, "zhang", PASSWORD, "mediator", ["岗厦社区", "福田社区"], display_name="张"
        )
        people.add_user(conn, "admin", PASSWORD, "admin", [])
    with db.begin() as conn:
        listed = people.list_people(conn)
        one = people.get_person(conn, uid)
        assert people.find_person(conn, "zhang") == one
        assert people.find_person(conn, "nobody") is None
        with pytest.raises(NotFound):
            people.get_person(conn, uid + 100)
    assert [p.username for p in listed] == ["admin", "zhang"]
    assert (one.role, one.communities, one.active, one.display_name) == (
        "mediator",
        ["岗厦社区", "福田社区"],
        True,
        "张",
    )


def test_login_refuses_wrong_passwords_and_unknown_users_alike(db):
    with db.begin() as conn:
        people.add_user(conn, "li", PASSWORD, "intake", [])
    for name, password in [("li", "wrong password"), ("ghost", PASSWORD), ("", "")]:
        with db.begin() as conn, pytest.raises(people.AuthError, match="wrong username or password"):
            people.login(conn, name, password)


def test_a_session_reads_its_user_rotates_its_refresh_token_and_ends(db):
    with db.begin() as conn:
        people.add_user(conn, "li", PASSWORD, "intake", ["福田社区"], email="li@example.org")
        tokens = people.login(conn, "li", PASSWORD)
    with db.begin() as conn:
        user = people.user_from_access(conn, tokens["access_token"])
        assert people.user_from_refresh_cookie(conn, tokens["refresh_token"]) == user
        rotated = people.refresh(conn, tokens["refresh_token"])
    assert isinstance(user, User) and (user.username, user.communities) == ("li", ["福田社区"])
    with db.begin() as conn:
        people.logout(conn, people.user_from_access(conn, rotated["access_token"]))
    with db.begin() as conn, pytest.raises(people.AuthError):
        people.user_from_access(conn, rotated["access_token"])
    with db.begin() as conn, pytest.raises(people.AuthError, match="invalid token"):
        people.user_from_access(conn, "not.a.token")


def test_a_new_password_ends_sessions_and_the_old_one_stops_working(db):
    with db.begin() as conn:
        people.add_user(conn, "li", PASSWORD, "intake", [])
        tokens = people.login(conn, "li", PASSWORD)
    with db.begin() as conn:
        people.set_password(conn, "li", "another good password")
    with db.begin() as conn, pytest.raises(people.AuthError):
        people.user_from_access(conn, tokens["access_token"])
    with db.begin() as conn, pytest.raises(people.AuthError):
        people.login(conn, "li", PASSWORD)
    with db.begin() as conn:
        assert people.login(conn, "li", "another good password")["token_type"] == "bearer"
    with db.begin() as conn, pytest.raises(InvalidData):
        people.set_password(conn, "nobody", "another good password")


def test_preferences_come_back_as_stored(db):
    with db.begin() as conn:
        uid = people.add_user(conn, "li", PASSWORD, "intake", [])
        assert people.set_preferences(conn, uid, {}) == {"locale": "zh-CN", "digest_opt_out": False}
        assert people.set_preferences(conn, uid, {"locale": "en", "digest_opt_out": True}) == {
            "locale": "en",
            "digest_opt_out": True,
        }


def test_check_password_is_false_without_a_hash():
    stored = people.hash_password(PASSWORD)
    assert people.check_password(PASSWORD, stored)
    assert not people.check_password("wrong password", stored)
    assert not people.check_password(PASSWORD, None)
