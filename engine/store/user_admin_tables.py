"""The audit of user administration: who changed which user, how (old and new values), when.
Re-exported by ``engine.store.tables``. Passwords and their hashes are never stored here."""

from sqlalchemy import Column, Index, String, Table

from engine.store.columns import Id, Json, UtcTime, metadata

# One row per change of a user: created, updated (role, communities, names, email), deactivated, activated,
# password_reset (by an admin), password_changed (by the user), password_set (CLI). ``old``/``new`` hold only
# the fields that changed. ``username`` is kept as it was, so the row reads on its own.
user_audit = Table(
    "user_audit",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("at", UtcTime, nullable=False),
    Column("actor", String(100), nullable=False),  # who did it: a username, or "cli"
    Column("user_id", Id, nullable=False),  # whom it concerns (users are never deleted)
    Column("username", String(100), nullable=False),
    Column("action", String(30), nullable=False),
    Column("old", Json),
    Column("new", Json),
    Index(None, "user_id", "at"),
)
