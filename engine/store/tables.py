"""Table definitions (SQLAlchemy Core). Schema changes go through Alembic migrations."""

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
    true,
)

from engine.store.columns import Id, Json, UtcDateTime, UtcTime, metadata  # noqa: F401 (re-exported)
from engine.store.login_tables import login_failures, refresh_rotations  # noqa: F401 (re-exported)

definitions = Table(
    "process_definitions",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("key", String(100), nullable=False),
    Column("version", Integer, nullable=False),
    Column("name", String(200), nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("spec_json", Text, nullable=False),
    Column("forms", Json, nullable=False),
    Column("sources", Json, nullable=False),
    Column("user_tasks", Json, nullable=False),
    Column("created_at", UtcTime, nullable=False),
    Column("created_by", String(100)),
    UniqueConstraint("key", "version"),
    UniqueConstraint("key", "content_hash"),
)

cases = Table(
    "cases",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("case_number", String(60), nullable=False, unique=True),
    Column("year", Integer, nullable=False),
    Column("process_key", String(100), nullable=False),
    Column("definition_id", Id, ForeignKey("process_definitions.id"), nullable=False),
    Column("status", String(20), nullable=False),
    Column("revision", Integer, nullable=False, default=1),
    Column("state", Text, nullable=False),
    Column("data", Json, nullable=False),
    # {process key: {"active": [...], "completed": [...]}} as of the last step (Run.element_states); NULL: older
    Column("element_states", Json),
    Column("channel", String(40)),
    Column("source", String(40)),
    Column("dispute_type", String(40)),
    Column("community", String(100)),
    Column("summary", Text),
    Column("amount", Numeric(16, 2)),
    Column("people_count", Integer),
    Column("risk_level", String(10)),
    Column("difficult", Boolean),
    Column("outcome", String(60)),
    Column("request_kind", String(40)),
    Column("repeat_petitioner", Boolean, nullable=False, default=False, server_default="0"),
    Column("owner", String(100)),
    Column("paused_at", UtcTime),  # the case waits on a party: its clocks stand still
    Column("leader", String(100)),  # 领导包案: the street leader in personal charge
    Column("next_timer_at", UtcTime),
    Column("created_at", UtcTime, nullable=False),
    Column("created_by", String(100)),
    Column("updated_at", UtcTime, nullable=False),
    Column("completed_at", UtcTime),
    # ledger (台账) terms: imported rows and native cases share them, statistics read them
    Column("imported", Boolean, nullable=False, default=False, server_default="0"),
    Column("handling_body", String(40)),  # 处理机构
    Column("mediator", String(100)),
    Column("accepted_on", Date),  # 受理日期: a case counts in the year it was accepted
    Column("closed_on", Date),  # 结案日期
    Column("guidance_to", String(40)),  # 引导去向
    Column("guidance_letter_no", String(60)),  # 引导函编号
    Column("recovered_amount", Numeric(16, 2)),  # 追回金额
    Column("received_on", Date),  # 收到/来访日期: the day the matter reached the office (may precede created_at)
    Column("over_level", Boolean, nullable=False, default=False, server_default=false()),  # 越级 petition
    Column("visit_count", Integer, nullable=False, default=1, server_default="1"),  # visits about this matter
    Column("filed_at", UtcTime),  # 立卷归档: while set the case is read-only (case_files holds the file)
    Column("number_year", Integer),  # 案号 (year, number) for search in any spelling (engine.core.case_numbers)
    Column("number_seq", Integer),
    Index(None, "status", "next_timer_at"),
    Index(None, "handling_body", "accepted_on"),
    Index(None, "community", "status"),
    Index(None, "process_key", "status"),
    # a task's case community by id from the index alone: the header's scoped counts (migration 0019)
    Index("ix_cases_id_community", "id", unique=True, postgresql_include=["community"]),
    # room in each page for a step's new row version: a HOT update, no new index entries (migration 0020)
    postgresql_with={"fillfactor": 80},
)

tasks = Table(
    "tasks",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("case_id", Id, ForeignKey("cases.id"), nullable=False),
    Column("element_id", String(100), nullable=False),
    Column("name", String(200), nullable=False),
    Column("process_key", String(100), nullable=False),
    Column("candidate_group", String(40)),
    Column("assignee", String(100)),
    Column("owner", String(100)),  # who delegated it (the assignee works on their behalf)
    # bpmn: a user task of the workflow; escalation: a deadline breach for a supervisor to handle
    Column("kind", String(20), nullable=False, default="bpmn", server_default="bpmn"),
    Column("deadline_id", Id),
    Column("status", String(20), nullable=False),
    Column("form_key", String(200)),
    Column("created_at", UtcTime, nullable=False),
    Column("claimed_at", UtcTime),
    Column("completed_at", UtcTime),
    Column("completed_by", String(100)),
    Column("due_at", UtcTime),
    Index(None, "case_id", "status"),
)

# Queue listings read open tasks of one group/assignee in due order: partial indexes
# whose order matches the ORDER BY, so a page is an index range scan at any size. case_id and status included:
# the header's capped counts read them index-only (migration 0019).
_OPEN = tasks.c.status.in_(["ready", "claimed"])
for _col, _name in ((tasks.c.candidate_group, "ix_tasks_open_group"), (tasks.c.assignee, "ix_tasks_open_assignee")):
    Index(_name, _col, tasks.c.due_at, tasks.c.created_at, tasks.c.id, postgresql_where=_OPEN, sqlite_where=_OPEN,
          postgresql_include=["case_id", "status"])
# case_id included: the case search's overdue cases are an index-only range of it (migration 0019)
Index("ix_tasks_open_due", tasks.c.due_at, tasks.c.created_at, tasks.c.id, postgresql_where=_OPEN, sqlite_where=_OPEN,
      postgresql_include=["case_id"])

events = Table(
    "case_events",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("case_id", Id, ForeignKey("cases.id"), nullable=False),
    Column("at", UtcTime, nullable=False),
    Column("actor", String(100)),
    Column("kind", String(40), nullable=False),
    Column("task_id", String(36)),
    Column("data", Json, nullable=False),
    Index(None, "case_id", "id"),
)

incidents = Table(
    "incidents",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("case_id", Id, ForeignKey("cases.id"), nullable=False),
    Column("element_id", String(100)),
    Column("message", Text, nullable=False),
    Column("at", UtcTime, nullable=False),
    Column("resolved_at", UtcTime),
    # issue 17 (异常, migration 0017): the task whose completion failed, who submitted it, how often it failed
    Column("task_id", String(36)),
    Column("actor", String(100)),
    Column("attempts", Integer, nullable=False, default=1, server_default="1"),
    Index(None, "case_id"),
)

case_counters = Table(
    "case_counters",
    metadata,
    Column("year", Integer, primary_key=True),
    Column("last", Integer, nullable=False),
)

users = Table(
    "users",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("username", String(100), nullable=False, unique=True),
    Column("display_name", String(100)),
    Column("password_hash", String(255), nullable=False),
    Column("role", String(20), nullable=False),
    Column("email", String(255)),
    Column("locale", String(10), nullable=False, default="zh-CN", server_default="zh-CN"),
    Column("active", Boolean, nullable=False, default=True, server_default="1"),
    Column("digest_opt_out", Boolean, nullable=False, default=False, server_default="0"),
    Column("created_at", UtcTime, nullable=False),
    # set by an admin's password reset (and for users added in the page): the next login may only change it
    Column("must_change_password", Boolean, nullable=False, default=False, server_default="0"),
)

user_communities = Table(
    "user_communities",
    metadata,
    Column("user_id", Id, ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    Column("community", String(100), primary_key=True),
)

sessions = Table(
    "sessions",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("user_id", Id, ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("refresh_hash", String(64), nullable=False),
    Column("created_at", UtcTime, nullable=False),
    Column("expires_at", UtcTime, nullable=False),
    Column("revoked_at", UtcTime),
    Index(None, "user_id"),
)

# Parties of a case, for duplicate and repeat-petition checks. Identity numbers and phones
# are kept only as keyed hashes (for matching) and masked forms (for display).
case_parties = Table(
    "case_parties",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("case_id", Id, ForeignKey("cases.id"), nullable=False),
    Column("role", String(20)),
    Column("name", String(200), nullable=False),
    Column("id_hash", String(64)),
    Column("id_masked", String(40)),
    Column("phone_hash", String(64)),
    Column("phone_masked", String(40)),
    # the full values, AES-256-GCM under data key key_id (engine.core.datakeys); party_ref names the party in
    # the case's data, events and workflow state, which hold only masked values
    Column("party_ref", String(16)),
    Column("id_cipher", Text),
    Column("phone_cipher", Text),
    Column("key_id", String(40)),
    Index(None, "id_hash"),
    Index(None, "name", "phone_hash"),
    Index(None, "case_id"),
)

# Deadlines are rows, not broker messages: the dispatcher claims the due ones.
# kind: timer (mirror of the case's next BPMN timer, one row per case), sla, statutory.
# status: pending, warned, fired, paused, met, cancelled.
deadlines = Table(
    "deadlines",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("case_id", Id, ForeignKey("cases.id"), nullable=False),
    Column("task_id", String(36)),
    Column("kind", String(20), nullable=False),
    Column("rule_key", String(100)),
    Column("name", String(200), nullable=False),
    Column("clock", String(20), nullable=False),
    Column("starts_at", UtcTime, nullable=False),
    Column("due_at", UtcTime, nullable=False),
    Column("warn_at", UtcTime),
    Column("status", String(20), nullable=False),
    Column("paused_from", String(20)),
    Column("paused_at", UtcTime),
    Column("paused_seconds", Integer, nullable=False, default=0, server_default="0"),
    Column("escalation_level", Integer, nullable=False, default=0, server_default="0"),
    Column("next_escalation_at", UtcTime),  # fired and still open: when the leader is told
    Column("claimed_until", UtcTime),
    Column("attempts", Integer, nullable=False, default=0, server_default="0"),
    Column("closed_at", UtcTime),
    Column("created_at", UtcTime, nullable=False),
    Column("updated_at", UtcTime, nullable=False),
    Column("amount", Integer),  # the limit in ``clock`` units (before extensions)
    Column("starts_from", String(40)),  # task, or the case date the clock runs from (see case_dates)
    Column("scope", String(10), nullable=False, default="task", server_default="task"),  # task | case
    Column("process_key", String(100)),  # a case clock: the process whose tasks it serves
    # false: the due time was counted over a year whose official calendar is not entered yet
    Column("calendar_confirmed", Boolean, nullable=False, default=True, server_default=true()),
    Index(None, "status", "due_at"),
    Index(None, "status", "warn_at"),
    Index(None, "status", "next_escalation_at"),
    Index(None, "case_id", "status"),
    Index(None, "task_id"),
    Index(None, "calendar_confirmed", "status"),
)
Index("uq_deadlines_timer_case", deadlines.c.case_id, unique=True,
      postgresql_where=deadlines.c.kind == "timer", sqlite_where=deadlines.c.kind == "timer")

sla_rules = Table(
    "sla_rules",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("key", String(100), nullable=False, unique=True),
    Column("name", String(200), nullable=False),
    Column("kind", String(20), nullable=False),  # statutory | sla
    Column("process_key", String(100), nullable=False),
    Column("element_id", String(100), nullable=False),
    Column("dispute_type", String(40)),  # null: any
    Column("duration", Integer, nullable=False),
    Column("clock", String(20), nullable=False),  # natural | workdays | hours
    Column("warn_fraction", Numeric(4, 3)),
    Column("warn_before_hours", Integer),
    Column("escalate_after_hours", Integer),
    Column("starts_from", String(40), nullable=False, default="task", server_default="task"),  # or a case date
    Column("scope", String(10), nullable=False, default="task", server_default="task"),  # task | case
    Column("extension_amount", Integer),  # the most the law allows to extend by
    Column("extension_clock", String(20)),
    Column("extension_rule", String(20)),  # approval | consent
    Column("pausable", Boolean, nullable=False, default=True, server_default=true()),
    Column("closes_on", String(100)),  # case scope: also closes when this element completes (null: process end)
    # who is alerted: a comma list of assignee (warn, breach), supervisor (breach, 督办), leader (领导包案)
    Column("alerts", String(100), nullable=False, default="assignee,supervisor,leader",
           server_default="assignee,supervisor,leader"),
    Column("source", String(300)),
    Column("active", Boolean, nullable=False, default=True, server_default="1"),
    Column("updated_by", String(100)),
    Column("updated_at", UtcTime, nullable=False),
    Index(None, "process_key", "element_id"),
)

deadline_extensions = Table(
    "deadline_extensions",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("deadline_id", Id, ForeignKey("deadlines.id"), nullable=False),
    Column("amount", Integer, nullable=False),
    Column("clock", String(20), nullable=False),
    Column("old_due_at", UtcTime, nullable=False),
    Column("new_due_at", UtcTime, nullable=False),
    Column("reason", Text, nullable=False),
    Column("approved_by", String(100), nullable=False),
    Column("at", UtcTime, nullable=False),
    Column("kind", String(20), nullable=False, default="approval", server_default="approval"),  # or consent
    Column("requested_by", String(100)),
    Column("party_told_on", Date),  # 信访: the day the petitioner was told why
    Index(None, "deadline_id"),
)

# The dates the law counts from (收到/来访, 受理, 申请, 协议生效, 告知书送达, 复查申请 …), one row per name.
case_dates = Table(
    "case_dates",
    metadata,
    Column("case_id", Id, ForeignKey("cases.id"), primary_key=True),
    Column("name", String(40), primary_key=True),
    Column("day", Date, nullable=False),
    Column("set_by", String(100)),
    Column("set_at", UtcTime, nullable=False),
)

# Each pause of a case's clocks (鉴定, 听证, waiting for a party …): who, when, why, approved by whom.
case_pauses = Table(
    "case_pauses",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("case_id", Id, ForeignKey("cases.id"), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("reason", Text, nullable=False),
    Column("started_at", UtcTime, nullable=False),
    Column("started_by", String(100)),
    Column("approved_by", String(100)),
    Column("ended_at", UtcTime),
    Column("ended_by", String(100)),
    Index(None, "case_id"),
)

# Emails are written here in the same transaction as the event that causes them; the
# sender actor delivers them. dedupe_key makes a repeated cause one email, not two.
outbox = Table(
    "outbox",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("dedupe_key", String(200), nullable=False, unique=True),
    Column("case_id", Id, ForeignKey("cases.id")),
    Column("to_user", String(100)),
    Column("to_address", String(255), nullable=False),
    Column("locale", String(10), nullable=False, default="zh-CN", server_default="zh-CN"),
    Column("template", String(100), nullable=False),
    Column("context", Json, nullable=False),
    Column("status", String(20), nullable=False),  # pending | sending | sent | failed
    Column("attempts", Integer, nullable=False, default=0, server_default="0"),
    Column("next_attempt_at", UtcTime, nullable=False),
    Column("claimed_until", UtcTime),
    Column("last_error", Text),
    Column("message_id", String(255), nullable=False),
    Column("created_at", UtcTime, nullable=False),
    Column("sent_at", UtcTime),
    Index(None, "status", "next_attempt_at"),
    Index(None, "case_id"),
)

# A task's unfinished form data (one per task), saved by its assignee; deleted on completion.
task_drafts = Table(
    "task_drafts",
    metadata,
    Column("task_id", String(36), ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True),
    Column("data", Json, nullable=False),
    Column("updated_by", String(100), nullable=False),
    Column("updated_at", UtcTime, nullable=False),
)

from engine.store import search_indexes  # noqa: E402,F401 (the case search's indexes)
from engine.store.calendar_tables import calendar_days, calendar_years  # noqa: E402,F401 (re-exported)
from engine.store.document_tables import (  # noqa: E402,F401 (re-exported)
    attachments,
    case_files,
    document_numbers,
    document_templates,
    documents,
)
from engine.store.exception_tables import exception_actions  # noqa: E402,F401 (re-exported)
from engine.store.ledger_tables import ledger_codes  # noqa: E402,F401 (re-exported)
from engine.store.privacy_tables import case_retention, pii_access  # noqa: E402,F401 (re-exported)
from engine.store.sla_rule_tables import sla_rule_versions  # noqa: E402,F401 (re-exported)
from engine.store.user_admin_tables import user_audit  # noqa: E402,F401 (re-exported)
from engine.store.workspace_tables import saved_filters  # noqa: E402,F401 (re-exported)
