"""The one "now" of tiaojie: aware UTC, read at call time (so time_machine reaches it in any thread)."""

from datetime import UTC, datetime


def now() -> datetime:
    """Current time, aware UTC."""
    return datetime.now(UTC)
