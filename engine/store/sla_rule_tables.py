"""Tables of the SLA rules' history: one row per change of a rule (created, changed, retired, restored), with
the values before and after, who, when, why and how many open deadlines it moved. Re-exported by
``engine.store.tables``."""

from sqlalchemy import Column, Index, Integer, String, Table, Text

from engine.store.columns import Id, Json, UtcTime, metadata

sla_rule_versions = Table(
    "sla_rule_versions",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("rule_key", String(100), nullable=False),
    Column("action", String(20), nullable=False),  # created | changed | retired | restored
    Column("old", Json, nullable=False),  # the changed fields before ({} when created)
    Column("new", Json, nullable=False),  # the changed fields after
    Column("reason", Text),
    Column("moved", Integer, nullable=False, default=0, server_default="0"),  # open deadlines moved
    Column("changed_by", String(100), nullable=False),
    Column("changed_at", UtcTime, nullable=False),
    Index(None, "rule_key", "id"),
)
