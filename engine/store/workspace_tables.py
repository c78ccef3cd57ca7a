"""Tables of a caseworker's own workspace: the filters they saved on the queue and the case search.
Re-exported by ``engine.store.tables``."""

from sqlalchemy import Column, Index, String, Table, Text, UniqueConstraint

from engine.store.columns import Id, UtcTime, metadata

# One row per saved filter of a user on a page ("queue" or "cases"): its name and the page's query string
# (the same text the page keeps in its URL), so opening it is opening that URL.
saved_filters = Table(
    "saved_filters",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("username", String(100), nullable=False),
    Column("page", String(20), nullable=False),  # queue | cases
    Column("name", String(100), nullable=False),
    Column("query", Text, nullable=False),
    Column("created_at", UtcTime, nullable=False),
    UniqueConstraint("username", "page", "name"),
    Index(None, "username", "page"),
)
