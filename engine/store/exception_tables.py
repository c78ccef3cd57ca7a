"""The 异常 page's record of what was done about a failed step, a failing email or a stuck case (issue 17).
Re-exported by ``engine.store.tables``."""

from sqlalchemy import Column, Index, String, Table, Text

from engine.store.columns import Id, Json, UtcTime, metadata

# One row per action: retry / skip of an incident, suspend / resume / end of a case, retry / drop of an email;
# who, when, why (every action but a retry needs a reason) and what it found (the error, the attempts).
exception_actions = Table(
    "exception_actions",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("at", UtcTime, nullable=False),
    Column("actor", String(100), nullable=False),
    Column("action", String(20), nullable=False),  # retry | skip | suspend | resume | end | email_retry | email_drop
    Column("case_id", Id),
    Column("incident_id", Id),
    Column("outbox_id", Id),
    Column("reason", Text),
    Column("data", Json, nullable=False),
    Index(None, "case_id"),
)
