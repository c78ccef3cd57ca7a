"""Request and response models of the case endpoints. Times are UTC, ISO 8601 with offset."""

from datetime import UTC, date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from api.openapi import IsoDate, json_int


def _utc(value: datetime | None) -> datetime | None:
    return value.astimezone(UTC) if value is not None else None


Utc = Annotated[datetime, AfterValidator(_utc)]
MAX_INT = 2**31 - 1  # INTEGER columns (versions)


class StartIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    process_key: str = Field("dispute_case", min_length=1, max_length=100, pattern=r"^[A-Za-z_][A-Za-z0-9_.-]*$")
    data: dict[str, Any]
    received_on: IsoDate | None = None  # 收到/来访日期 when it is not today (back-dated intake)


class MigrateIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    version: json_int(ge=1, le=MAX_INT) | None = None


class CancelIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=1, max_length=2000)


class TaskOut(BaseModel):
    id: str
    element_id: str
    name: str
    group: str | None
    due_at: Utc | None
    overdue_by: dict[str, int] | None = None  # {"days": 3} when past due


class DatesOut(BaseModel):
    case_id: int
    dates: dict[str, str]
    recomputed: int


class PauseOut(BaseModel):
    id: int
    kind: str  # appraisal 鉴定 | hearing 听证 | party 等待当事人 | other
    reason: str
    started_at: Utc
    started_by: str | None
    approved_by: str | None
    ended_at: Utc | None
    ended_by: str | None


class RelatedOut(BaseModel):
    """Another case of the same parties: no personal data."""

    id: int
    case_number: str
    status: str
    dispute_type: str | None
    created_at: Utc


class StartedOut(BaseModel):
    id: int
    case_number: str
    status: str
    open_tasks: list[TaskOut]
    related_cases: list[RelatedOut]
    repeat_petitioner: bool
    repeat_visit: bool = Field(False, description="true: no new case; the visit was recorded on this open matter "
                                                  "of the same parties (HTTP 200 instead of 201)")
    visit_count: int = Field(1, description="visits about this matter, this one included")


class CaseItem(BaseModel):
    id: int
    case_number: str
    status: str
    process_key: str
    dispute_type: str | None
    channel: str | None
    community: str | None
    summary: str | None
    amount: float | None
    risk_level: str | None
    outcome: str | None
    repeat_petitioner: bool
    created_at: Utc
    updated_at: Utc
    open_task_count: int


class CasePage(BaseModel):
    items: list[CaseItem]
    next_cursor: str | None


class PartyOut(BaseModel):
    role: str | None = None
    party_kind: str | None = None
    name: str | None = None
    id_type: str | None = None
    id_number: str | None = None
    phone: str | None = None
    address: str | None = None
    legal_representative: str | None = None
    masked: bool


class DeadlineOut(BaseModel):
    kind: str  # task | timer
    task_id: str | None = None
    name: str | None = None
    due_at: Utc
    seconds_remaining: int
    overdue: bool
    calendar_confirmed: bool = True  # false: counted over a year whose holiday calendar is not entered
    overdue_by: dict[str, int] | None = None


class LimitOut(BaseModel):
    amount: int
    clock: str  # natural | workdays | hours


class ExtensionRuleOut(BaseModel):
    """How this user may extend the clock (engine.cases.clock_actions)."""

    kinds: list[str]  # approval (the user approves) | consent (the user records the parties' consent)
    clock: str | None  # the clock the amount is counted in, when the rule fixes it
    most: int | None  # the most still allowed, when the rule has one
    party_told: bool  # the day the party (petitioner) was told why is asked


class ExtensionOut(BaseModel):
    amount: int
    clock: str
    kind: str
    reason: str
    approved_by: str
    requested_by: str | None
    at: Utc
    party_told_on: date | None
    old_due_at: Utc
    new_due_at: Utc


class ClockActions(BaseModel):
    """What the user may do with a clock, by the engine's rules: buttons of the case page."""

    actions: list[str] = Field([], description="pause | resume | extend, as this user may")
    pausable: bool = True  # stops while the case is paused
    limit: LimitOut | None = None  # the rule's limit
    extension: ExtensionRuleOut | None = None
    extensions: list[ExtensionOut] = []


class PauseRulesOut(BaseModel):
    kinds: list[str]  # appraisal | hearing | party | other
    approver_kinds: list[str]  # kinds for which this user names the approving supervisor


class ClockOut(ClockActions):
    """A deadline row (SLA, statutory or the mirrored BPMN timer) with its pause state."""

    id: int
    task_id: str | None
    kind: str
    rule_key: str | None
    name: str
    status: str  # pending | warned | fired | paused | met | cancelled
    due_at: Utc
    overdue: bool
    paused: bool
    paused_since: Utc | None
    paused_seconds: int  # all paused time, the current pause included
    closed_at: Utc | None
    calendar_confirmed: bool = True  # false: counted over a year whose holiday calendar is not entered
    overdue_by: dict[str, int] | None = None  # {"days": n} / {"hours": n} when open and past due
    scope: str = "task"  # task | case (a clock over every task of process_key)
    process_key: str | None = None
    starts_from: str | None = None  # task, or the case date it counts from
    starts_at: Utc | None = None
    amount: int | None = None


class AttachmentOut(BaseModel):
    id: str
    case_id: int
    task_id: str | None
    kind: str
    filename: str
    content_type: str
    size: int
    sha256: str
    uploaded_by: str
    uploaded_at: Utc
    url: str


class DiagramOut(BaseModel):
    process_key: str
    version: int
    xml_url: str


class CalledProcessOut(BaseModel):
    process_key: str
    version: int | None = None  # the version the case runs (its definition's file), None if none published holds it
    xml_url: str | None = None
    active_elements: list[str]
    completed_elements: list[str]


class EventOut(BaseModel):
    at: Utc
    actor: str | None
    kind: str
    task_id: str | None
    element: str | None
    task_name: str | None
    data: dict[str, Any]


class CaseDetail(BaseModel):
    id: int
    case_number: str
    status: str
    process_key: str
    process_version: int
    channel: str | None
    source: str | None
    dispute_type: str | None
    request_kind: str | None
    community: str | None
    summary: str | None
    amount: float | None
    people_count: int | None
    risk_level: str | None
    difficult: bool | None
    outcome: str | None
    repeat_petitioner: bool
    over_level: bool = Field(False, description="越级: an over-the-level petition")
    visit_count: int = Field(1, description="visits about this matter (repeat visits recorded on it)")
    leader: str | None = Field(None, description="领导包案: the leader in charge (username)")
    owner: str | None
    created_by: str | None
    created_at: Utc
    updated_at: Utc
    completed_at: Utc | None
    next_timer_at: Utc | None
    parties: list[PartyOut]
    open_tasks: list[TaskOut]
    deadlines: list[DeadlineOut]
    timeline: list[EventOut]
    related_cases: list[RelatedOut]
    paused: bool
    paused_since: Utc | None
    diagram: DiagramOut
    active_elements: list[str]  # of the case's process: open tasks, waiting timers, running call activities
    completed_elements: list[str]
    called_processes: list[CalledProcessOut]  # the same for processes the case called (call activities)
    clocks: list[ClockOut]
    attachments: list[AttachmentOut]
    received_on: date | None = None  # 收到/来访日期
    dates: dict[str, date] = {}  # the case dates the law counts from
    pauses: list[PauseOut] = []
    warnings: list[str] = Field([], description="early-warning flags: group_case, red_risk, repeat_petitioner, "
                                                "over_level, repeat_visits")
    pause_rules: PauseRulesOut | None = None


class MigrationPlanOut(BaseModel):
    case_id: int
    version: int | None
    safe: bool
    reasons: list[str]
    added: list[str]
    removed: list[str]
    changed: list[str]


class MigratedOut(BaseModel):
    id: int
    case_number: str
    status: str
    version: int
    open_tasks: list[TaskOut]


class CancelledOut(BaseModel):
    id: int
    case_number: str
    status: str
