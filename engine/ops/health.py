"""Reachability checks for /healthz and the CLI: the database (reachable and writable) and, when configured,
the broker."""

import redis

from engine.store import Database
from engine.store.db import READ_ONLY, outage
from engine.store.migrate import current

BROKER_TIMEOUT_SECONDS = 0.5


def check(db: Database, redis_url: str | None = None) -> dict:
    """``{"ok", "database", "schema", "broker"}``; ok is False when anything configured is down.

    No connection details are reported (a Redis URL may carry a password).
    """
    try:
        report = {"ok": True, "database": "ok", "schema": current(db)}
        if not db.writable():  # reads work, writes would fail: not healthy
            report.update(ok=False, database="read-only")
    except Exception as err:  # reported, not raised: this is the health endpoint
        read_only = outage(err) == READ_ONLY
        report = {"ok": False, "database": "read-only" if read_only else f"unreachable: {type(err).__name__}"}
    report["broker"] = broker(redis_url)
    if report["broker"] != "ok" and report["broker"] != "not configured":
        report["ok"] = False
    return report


def broker(redis_url: str | None) -> str:
    """'ok', 'unreachable' or 'not configured' (no URL)."""
    if not redis_url:
        return "not configured"
    client = None
    try:
        client = redis.Redis.from_url(
            redis_url,
            socket_connect_timeout=BROKER_TIMEOUT_SECONDS,
            socket_timeout=BROKER_TIMEOUT_SECONDS,
            retry_on_timeout=False,
        )
        return "ok" if client.ping() else "unreachable"
    except Exception:  # any failure (refused, timeout, auth, bad URL) means the broker is not usable
        return "unreachable"
    finally:
        if client is not None:
            client.close()
