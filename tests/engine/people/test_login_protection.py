"""Login throttling (a growing delay, then a lockout, per account and per address), the password policy,
and refresh-token reuse ending the session (issue 14, findings 4 and 8)."""

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from engine import people
from engine.core.errors import InvalidData

PASSWORD = "correct horse battery"
T0 = datetime(2026, 12, 5, 8, 0, tzinfo=UTC)
ACCOUNT_DELAYS = [1, 2, 4, 8, 16, 32, 60]  # after the 3rd … 9th wrong password


def _attempt(db, name: str, password: str, address: str = "10.0.0.1"):
    with db.begin() as conn:  # committed even when refused: that is how the failures are counted
        return people.attempt_login(conn, name, password, address)


def _add_li(db) -> None:
    with db.begin() as conn:
        people.add_user(conn, "li", PASSWORD, "intake", [])


def test_account_delay_grows_to_a_lockout_that_refuses_the_right_password(db):
    _add_li(db)
    with time_machine.travel(T0, tick=False) as tm:
        for _ in range(2):
            assert isinstance(_attempt(db, "li", "wrong password"), people.AuthError)
        for n, delay in enumerate(ACCOUNT_DELAYS, start=3):
            assert isinstance(_attempt(db, "li", "wrong password"), people.AuthError), n
            refused = _attempt(db, "li", PASSWORD)  # the right one, too early: refused unchecked
            assert isinstance(refused, people.LoginThrottled) and not refused.locked
            assert (refused.code, refused.retry_after) == ("login_throttled", delay), n
            tm.shift(delay - 0.5)
            assert isinstance(_attempt(db, "li", PASSWORD, address=f"10.0.1.{n}"), people.LoginThrottled)
            tm.shift(0.5)
        assert isinstance(_attempt(db, "li", "wrong password"), people.AuthError)  # the 10th
        locked = _attempt(db, "li", PASSWORD, address="192.0.2.7")  # from anywhere
        assert isinstance(locked, people.LoginThrottled) and locked.locked
        assert (locked.code, locked.retry_after) == ("login_locked", 15 * 60)
        tm.shift(timedelta(minutes=14, seconds=59))
        assert _attempt(db, "li", PASSWORD).locked
        tm.shift(1)
        assert _attempt(db, "li", PASSWORD)["token_type"] == "bearer"  # and the count starts again
        for _ in range(2):
            assert isinstance(_attempt(db, "li", "wrong password"), people.AuthError)
        assert _attempt(db, "li", PASSWORD)["token_type"] == "bearer"


def test_unknown_accounts_are_throttled_the_same_and_old_failures_stop_counting(db):
    _add_li(db)
    with time_machine.travel(T0, tick=False) as tm:
        for _ in range(3):
            _attempt(db, "ghost", "wrong password")
            _attempt(db, "li", "wrong password")
        ghost, real = _attempt(db, "ghost", PASSWORD), _attempt(db, "li", PASSWORD)
        assert (type(ghost), ghost.retry_after, str(ghost)) == (type(real), real.retry_after, str(real))
        tm.shift(timedelta(hours=1, seconds=1))
        assert _attempt(db, "li", PASSWORD)["token_type"] == "bearer"


def test_an_address_is_throttled_across_accounts_then_locked(db):
    _add_li(db)
    with time_machine.travel(T0, tick=False) as tm:
        for i in range(20):  # 20 names, 1 failure each: no account is throttled
            assert isinstance(_attempt(db, f"user{i}", "wrong password"), people.AuthError)
        refused = _attempt(db, "li", PASSWORD)
        assert isinstance(refused, people.LoginThrottled) and refused.retry_after == 1
        assert _attempt(db, "li", PASSWORD, address="10.0.0.2")["token_type"] == "bearer"  # another address
        for i in range(20, 60):
            tm.shift(61)
            assert isinstance(_attempt(db, f"user{i}", "wrong password"), people.AuthError), i
        tm.shift(61)
        locked = _attempt(db, "li", PASSWORD)
        assert locked.locked and locked.retry_after == 15 * 60 - 61
        with db.begin() as conn:
            # 60 failures and 1 refusal left: li's login from 10.0.0.2 cleared li's refusal (the account's rows)
            assert people.unlock_login(conn, address="10.0.0.1") == 60 + 1
        assert _attempt(db, "li", PASSWORD)["token_type"] == "bearer"


def test_admins_see_the_failures_and_unlock_an_account(db):
    _add_li(db)
    with time_machine.travel(T0, tick=False) as tm:
        for _ in range(10):
            _attempt(db, "li", "wrong password", address="198.51.100.4")
            tm.shift(61)
        _attempt(db, "li", PASSWORD, address="198.51.100.4")  # refused while locked: recorded too
        with db.begin() as conn:
            seen = people.login_failures(conn)
        [account] = seen["accounts"]
        assert (account["username"], account["failures"], account["refused_while_throttled"], account["locked"]) == \
            ("li", 10, 1, True)
        assert account["free_at"] == T0 + timedelta(seconds=9 * 61) + timedelta(minutes=15)
        assert [a["address"] for a in seen["addresses"]] == ["198.51.100.4"]
        assert seen["recent"][0] == {"username": "li", "address": "198.51.100.4", "kind": "throttled",
                                     "at": T0 + timedelta(seconds=10 * 61), "cleared": False}
        with db.begin() as conn:
            assert people.unlock_login(conn, username="li") == 11
            assert people.login_failures(conn)["accounts"] == []
        assert _attempt(db, "li", PASSWORD)["token_type"] == "bearer"
        with db.begin() as conn, pytest.raises(InvalidData):
            people.unlock_login(conn)


@pytest.mark.parametrize(("password", "reason"), [
    ("short1!", "too short"), ("x" * 201, "too long"), ("aaaaaaaaaaaa", "one character repeated"),
    ("wang.xiaoming", "the same as the user name"), ("GNIMOAIX.GNAW", "the same as the user name"),
    ("12345678", "a common password"), ("Password123", "a common password"), ("woaini1314", "a common password"),
])
def test_password_policy_where_passwords_are_set(db, password, reason):
    with db.begin() as conn:
        with pytest.raises(InvalidData) as refused:
            people.add_user(conn, "wang.xiaoming", password, "intake", [])
        assert refused.value.errors == {"password": pytest.approx(refused.value.errors["password"])}
        assert reason in refused.value.errors["password"] and people.PASSWORD_POLICY in str(refused.value)
        people.add_user(conn, "wang.xiaoming", "a good long pass phrase", "intake", [])
        with pytest.raises(InvalidData, match=reason):
            people.set_password(conn, "wang.xiaoming", password)
    people.check_policy("xy" * 100, "wang")  # the longest allowed


def test_replaying_a_rotated_refresh_token_ends_the_session(db):
    _add_li(db)
    with db.begin() as conn:
        first = people.login(conn, "li", PASSWORD)
        other = people.login(conn, "li", PASSWORD)  # another session of the same user: not of this family
        second = people.refresh(conn, first["refresh_token"])
        third = people.refresh(conn, second["refresh_token"])
    with db.begin() as conn:  # the thief replays the first token
        replay = people.attempt_refresh(conn, first["refresh_token"])
    assert isinstance(replay, people.AuthError) and "used twice" in str(replay)
    with db.begin() as conn:
        for tokens in (first, second, third):
            with pytest.raises(people.AuthError):
                people.user_from_access(conn, tokens["access_token"])
        assert isinstance(people.attempt_refresh(conn, third["refresh_token"]), people.AuthError)
        assert people.user_from_access(conn, other["access_token"]).username == "li"
        assert people.refresh(conn, other["refresh_token"])["token_type"] == "bearer"


def test_csrf_token_is_bound_to_its_session():
    a, b = people.csrf_token("session-a"), people.csrf_token("session-b")
    assert a != b and len(a) >= 40
    assert people.csrf_ok("session-a", a) and not people.csrf_ok("session-a", b)
    assert not people.csrf_ok(None, a) and not people.csrf_ok("session-a", "") and not people.csrf_ok("session-a", None)


def test_parallel_guesses_at_one_account_are_counted_one_after_another(db):
    """Ten wrong passwords sent at once: each attempt sees the failures before it, so only the first three
    are checked and the rest refused unchecked (without the per-account lock all ten were checked)."""
    _add_li(db)
    with time_machine.travel(T0, tick=False), ThreadPoolExecutor(10) as pool:
        outcomes = list(pool.map(lambda i: _attempt(db, "li", "wrong password", address=f"10.0.2.{i}"), range(10)))
    kinds = sorted(type(o).__name__ for o in outcomes)
    assert kinds == ["AuthError"] * 3 + ["LoginThrottled"] * 7
