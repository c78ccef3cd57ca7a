"""Tables of login protection: failed logins (throttling, lockout, the admins' list) and rotated refresh
tokens (a replayed one revokes its session). Re-exported by ``engine.store.tables``."""

from sqlalchemy import Column, Index, String, Table

from engine.store.columns import Id, UtcTime, metadata

# One row per refused login: wrong password or unknown user ("failed"), or refused unchecked while the account
# or the address was throttled ("throttled"). Rows of an account are cleared by a successful login or an
# admin's unlock; the throttle counts the uncleared "failed" rows of the last hour.
login_failures = Table(
    "login_failures",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("username", String(100), nullable=False),  # as typed: unknown names count too
    Column("address", String(64), nullable=False),
    Column("kind", String(10), nullable=False),  # failed | throttled
    Column("at", UtcTime, nullable=False),
    Column("cleared_at", UtcTime),
    Index(None, "username", "at"),
    Index(None, "address", "at"),
    Index(None, "at"),
)

# Each refresh token a session has rotated away from. Presenting one again means it was stolen (or the
# client is broken): the session, with every token descended from it, is revoked.
refresh_rotations = Table(
    "refresh_rotations",
    metadata,
    Column("refresh_hash", String(64), primary_key=True),
    Column("session_id", String(36), nullable=False),
    Column("rotated_at", UtcTime, nullable=False),
    Index(None, "rotated_at"),
)
