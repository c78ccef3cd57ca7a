"""Tables of personal-data protection: who saw or searched full ID numbers, and the retention of closed cases."""

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table

from engine.store.columns import Id, Json, UtcTime, metadata

# Every display or search of a full ID number or phone: who, when, which case (and party), what, why.
# action: view (the case page in full), lookup (a search by full ID number).
pii_access = Table(
    "pii_access",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("at", UtcTime, nullable=False),
    Column("actor", String(100), nullable=False),
    Column("action", String(20), nullable=False),
    Column("case_id", Id),
    Column("party_ref", String(16)),
    Column("what", String(200), nullable=False),  # masked: "id_number 440304********1234"
    Column("reason", String(500), nullable=False),
    Index(None, "at"),
    Index(None, "case_id"),
)

# Closed cases anonymised after their retention period (the case stays, for statistics).
case_retention = Table(
    "case_retention",
    metadata,
    Column("case_id", Id, ForeignKey("cases.id"), primary_key=True),
    Column("anonymised_at", UtcTime, nullable=False),
    Column("kind", String(100), nullable=False),
    Column("years", Integer, nullable=False),
    Column("removed", Json, nullable=False),  # counts: parties, events, attachments
)
