"""Login throttling: per account and per address, a growing delay after a few wrong passwords, then a
temporary lockout. Counted from rows in the database, so it holds across any number of API processes.

Per account (the user name as typed, known or not): from the 3rd wrong password within an hour the next
attempt must wait 1 s, then 2, 4 … up to 60 s after the latest failure; the 10th locks the account for
15 minutes. Per address: the same from the 20th, locked at the 60th. While throttled an attempt is
refused unchecked (the right password too) and recorded. A successful login clears the account's count;
an admin can clear an account or an address (``unlock``). Failures older than an hour no longer count.
"""

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection

from engine.core import clock
from engine.core.errors import EngineError, InvalidData
from engine.store import logins as store


@dataclass(frozen=True)
class Rule:
    delay_from: int  # failures after which each attempt waits
    lock_at: int  # failures that lock


ACCOUNT = Rule(delay_from=3, lock_at=10)
ADDRESS = Rule(delay_from=20, lock_at=60)
WINDOW = timedelta(hours=1)  # failures older than this no longer count
LOCK = timedelta(minutes=15)
MAX_DELAY = 60  # seconds
KEEP = timedelta(days=90)  # rows kept for the admins' record


class LoginThrottled(EngineError):
    """Too many failed logins for the account or the address (429 with Retry-After)."""

    code = "login_throttled"

    def __init__(self, message: str, retry_after: int, locked: bool):
        super().__init__(message)
        self.retry_after = retry_after
        self.locked = locked
        if locked:
            self.code = "login_locked"


def _free_at(count: int, last: datetime | None, rule: Rule) -> tuple[datetime | None, bool]:
    """When the next attempt is allowed after ``count`` failures (the latest at ``last``), and whether locked."""
    if last is None or count < rule.delay_from:
        return None, False
    if count >= rule.lock_at:
        return last + LOCK, True
    return last + timedelta(seconds=min(MAX_DELAY, 2 ** (count - rule.delay_from))), False


def state(conn: Connection, *, now: datetime, username: str | None = None,
          address: str | None = None) -> tuple[int, datetime | None, bool]:
    """(failures counted, the time the next attempt is free or None, locked) of an account or an address."""
    count, last = store.failures(conn, since=now - WINDOW, username=username, address=address)
    free_at, locked = _free_at(count, last, ACCOUNT if username is not None else ADDRESS)
    if free_at is None or free_at <= now:
        return count, None, False
    return count, free_at, locked


def check(conn: Connection, username: str, address: str, now: datetime) -> None:
    """Refuse (and record) an attempt while its account or address is throttled."""
    waits = [state(conn, now=now, username=username), state(conn, now=now, address=address)]
    waits = [(free_at, locked) for _, free_at, locked in waits if free_at is not None]
    if not waits:
        return
    free_at = max(f for f, _ in waits)
    locked = any(lk for _, lk in waits)
    store.record_failure(conn, username=username, address=address, kind="throttled", now=now)
    seconds = max(1, math.ceil((free_at - now).total_seconds()))
    what = "locked for 15 minutes after too many failed logins" if locked else "too many failed logins"
    raise LoginThrottled(f"{what}: try again in {seconds} s", seconds, locked)


def failed(conn: Connection, username: str, address: str, now: datetime) -> None:
    store.record_failure(conn, username=username, address=address, kind="failed", now=now)
    store.purge(conn, now - KEEP)


def succeeded(conn: Connection, username: str, now: datetime) -> None:
    store.clear(conn, now=now, username=username)


def unlock_login(conn: Connection, username: str | None = None, address: str | None = None) -> int:
    """Clear an account's or an address's failures: it may log in at once. Returns the rows cleared."""
    if (username is None) == (address is None):
        raise InvalidData("name an account or an address", {"username": "one of username, address"})
    return store.clear(conn, now=clock.now(), username=username, address=address)


def login_failures(conn: Connection, recent: int = 100) -> dict:
    """For admins: accounts and addresses with counted failures (and whether throttled now), recent rows."""
    now = clock.now()

    def rows(column: str) -> list[dict]:
        out = []
        for r in store.grouped(conn, column, now - WINDOW):
            kw = {"username": r.key} if column == "username" else {"address": r.key}
            count, free_at, locked = state(conn, now=now, **kw)
            out.append({column: r.key, "failures": count, "refused_while_throttled": r.attempts - r.failures,
                        "last_at": r.last_at, "locked": locked, "free_at": free_at})
        return out

    return {"accounts": rows("username"), "addresses": rows("address"),
            "recent": [{"username": r.username, "address": r.address, "kind": r.kind, "at": r.at,
                        "cleared": r.cleared_at is not None} for r in store.recent(conn, recent)]}
