"""Reachability checks for /healthz and the CLI."""

from engine.store import Database
from engine.store.migrate import current


def check(db: Database) -> dict:
    try:
        return {"ok": True, "database": "ok", "schema": current(db)}
    except Exception as err:  # reported, not raised: this is the health endpoint
        return {"ok": False, "database": f"unreachable: {type(err).__name__}"}
