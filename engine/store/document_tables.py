"""Tables of legal documents and case files (卷宗). Re-exported by ``engine.store.tables``.

A document is one numbered paper of a case (调解协议书, 引导函, 告知书 …) in one version: the data it was made
from (personal values masked, parties by ``party_ref``), the template version, and its rendering stored as an
attachment (PDF) with its hash. Making it again after a correction adds a version with the same number.
"""

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from engine.store.columns import Id, Json, UtcTime, metadata

# 文号 counters: one row per (office, year, kind), incremented in the transaction that makes the document, so a
# rolled-back document leaves no gap and two makers never share a number (the row is locked until commit).
document_numbers = Table(
    "document_numbers",
    metadata,
    Column("office", String(40), primary_key=True),
    Column("year", Integer, primary_key=True),
    Column("kind", String(40), primary_key=True),
    Column("last", Integer, nullable=False),
)

# Templates uploaded by a supervisor for an office (office "" = every office); the packaged ones are version 0
# and never stored. The newest active version of (office, kind) is the one used.
document_templates = Table(
    "document_templates",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("office", String(40), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("version", Integer, nullable=False),
    Column("filename", String(255), nullable=False),
    Column("content", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("note", String(500)),
    Column("active", Boolean, nullable=False, default=True, server_default="1"),
    Column("uploaded_by", String(100), nullable=False),
    Column("uploaded_at", UtcTime, nullable=False),
    UniqueConstraint("office", "kind", "version"),
)

documents = Table(
    "documents",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("case_id", Id, ForeignKey("cases.id"), nullable=False),
    Column("kind", String(40), nullable=False),
    Column("title", String(200), nullable=False),
    Column("office", String(40), nullable=False),
    Column("year", Integer),
    Column("serial", Integer),  # N of 第N号; None for papers without a 文号 (笔录, 调查记录 …)
    Column("number", String(80)),  # the 文号 as printed, e.g. (2026)福田人调字第12号
    Column("version", Integer, nullable=False),  # 1, 2 … per (case, kind, serial): a correction is a new version
    Column("current", Boolean, nullable=False, default=True, server_default="1"),
    Column("task_id", String(36)),  # the task it was made at, if any
    Column("issued_on", Date, nullable=False),
    Column("template_id", Id),  # document_templates.id; None: the packaged template
    Column("template_sha256", String(64), nullable=False),
    Column("data", Json, nullable=False),  # the data it was made from (masked; parties by party_ref)
    Column("attachment_id", String(36), nullable=False),  # the stored rendering (PDF), with its sha256
    Column("created_by", String(100), nullable=False),
    Column("created_at", UtcTime, nullable=False),
    Column("note", String(500)),  # why it was made again
    Index(None, "case_id", "kind"),
    Index(None, "office", "kind", "year", "serial"),
)

# The case file (卷宗) of a closed case: its number, retention (保管期限), who filed it and when, and the 卷内目录
# as filed. While filed (``cases.filed_at`` set) the case refuses changes; a reopening records who and why.
case_files = Table(
    "case_files",
    metadata,
    Column("case_id", Id, ForeignKey("cases.id"), primary_key=True),
    Column("file_number", String(80), nullable=False, unique=True),
    Column("year", Integer, nullable=False),
    Column("serial", Integer, nullable=False),
    Column("office", String(40), nullable=False),
    Column("retention", String(20), nullable=False),  # permanent | long | short (永久 / 长期 / 短期)
    Column("retention_years", Integer),  # None: permanent
    Column("contents", Json, nullable=False),  # the 卷内目录 as filed: [{document_id|attachment_id, title, pages …}]
    Column("status", String(20), nullable=False),  # filed | reopened
    Column("filed_by", String(100), nullable=False),
    Column("filed_at", UtcTime, nullable=False),
    Column("reopened_by", String(100)),
    Column("reopened_at", UtcTime),
    Column("reopen_reason", String(500)),
    Index(None, "year", "office"),
)


# Files of a case (调解协议书, 笔录, evidence), kept in the database so every API host serves them.
attachments = Table(
    "attachments",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("case_id", Id, ForeignKey("cases.id"), nullable=False),
    Column("task_id", String(36)),
    Column("kind", String(20), nullable=False),  # agreement | record | evidence | other
    Column("filename", String(255), nullable=False),
    Column("content_type", String(100), nullable=False),
    Column("size", Integer, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("content", LargeBinary, nullable=False),
    Column("uploaded_by", String(100), nullable=False),
    Column("uploaded_at", UtcTime, nullable=False),
    Column("signs_document_id", String(36)),  # a signed scan or photo: the document (documents.id) it signs
    Index(None, "case_id", "uploaded_at"),
)
