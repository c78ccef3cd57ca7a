"""Tables of the ledger (台账) code tables: each saved edit of an entry as a new version.
Re-exported by ``engine.store.tables``."""

from sqlalchemy import Boolean, Column, Index, Integer, String, Table, Text, UniqueConstraint

from engine.store.columns import Id, Json, UtcTime, metadata

# One row per version of a code table entry (kind: dispute_type | channel | source | outcome; term: the ledger
# term, e.g. 婚姻家庭). Version 0 is the packaged entry (engine.ledger.codes), never stored; the newest stored
# version is the entry in use. Rows are never updated or deleted: the history is the rows.
ledger_codes = Table(
    "ledger_codes",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("kind", String(20), nullable=False),
    Column("term", String(50), nullable=False),
    Column("code", String(60)),  # the engine's code (forms, BPMN) the term means, when it has one
    Column("synonyms", Json, nullable=False),  # list of strings
    Column("retired", Boolean, nullable=False, default=False),
    Column("version", Integer, nullable=False),
    Column("changed_at", UtcTime, nullable=False),
    Column("changed_by", String(100), nullable=False),
    Column("note", Text),
    UniqueConstraint("kind", "term", "version"),
    Index(None, "kind", "term"),
)
