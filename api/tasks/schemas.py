"""Request and response models of the task endpoints."""

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

Name = Field(default=None, min_length=1, max_length=100)


class QueueQuery(BaseModel):
    """Query parameters of GET /tasks (unknown parameters are refused)."""

    model_config = ConfigDict(extra="forbid")
    mine: bool = False
    group: str | None = Name
    status: Literal["open", "ready", "claimed", "completed"] = "open"
    overdue: bool = False
    led: bool = False  # a leader: the open tasks of the cases they lead (包案), any group, to read
    process: str | None = Field(default=None, min_length=1, max_length=400)  # one key or several, comma-separated
    dispute_type: str | None = Name
    community: str | None = Name
    limit: int = Field(default=50, ge=1, le=100)
    cursor: str | None = Field(default=None, max_length=400)


Reason = Field(default=None, max_length=500)


class UsernameIn(BaseModel):
    """Delegate: to whom, and why (shown on the case's timeline)."""

    model_config = ConfigDict(extra="forbid")
    username: str = Field(min_length=1, max_length=100)
    reason: str | None = Reason


class AssignIn(BaseModel):
    """Reassign: to a person (``username``) or to a group's pool (``group``), and why."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"oneOf": [
        {"required": ["username"], "properties": {"username": {"type": "string"}}, "not": {"required": ["group"]}},
        {"required": ["group"], "properties": {"group": {"type": "string"}}, "not": {"required": ["username"]}},
    ]})
    username: str | None = Name
    group: str | None = Name
    reason: str | None = Reason

    @model_validator(mode="after")
    def one_target(self):
        if (self.username is None) == (self.group is None):
            raise PydanticCustomError("one_target", "give a username or a group, not both")
        return self


class ReasonIn(BaseModel):
    """Release: why the task goes back to its group."""

    model_config = ConfigDict(extra="forbid")
    reason: str | None = Reason


class AssigneeOut(BaseModel):
    """A colleague who could hold the task."""

    username: str
    display_name: str | None
    role: str


class CompleteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    data: dict[str, Any]


class ApplicantOut(BaseModel):
    name: str
    phone: str | None = Field(None, description="masked (138****8000): a list never shows the full number")


class TaskItem(BaseModel):
    """A queue entry: what the task is and when it is due, what the row shows of its case (the applicant's name
    and masked phone, no ID number), and what the user may do with it."""

    id: str
    case_id: int
    case_number: str
    element_id: str
    name: str
    group: str | None
    assignee: str | None
    status: str
    due_at: datetime | None
    overdue: bool
    seconds_remaining: int | None
    calendar_confirmed: bool = True  # false: the due time counts a year whose holiday calendar is not entered
    overdue_by: dict[str, int] | None = None  # {"days": 3} when past due (Shanghai days)
    created_at: datetime
    process_key: str
    community: str | None
    dispute_type: str | None
    applicant: ApplicantOut | None = None
    summary: str | None = Field(None, description="the case's summary on one line, at most 120 characters and …")
    risk_level: str | None = None  # red | orange | yellow
    people_count: int | None = None
    group_case: bool = False  # 群体性纠纷: people_count at or above the early warning's threshold (5)
    leader: str | None = None  # the case's 包案 leader
    can_claim: bool | None = Field(None, description="the user may claim the task (queue rows only)")
    can_work: bool | None = Field(None, description="the user may open and complete the task (queue rows only)")


class TaskPage(BaseModel):
    items: list[TaskItem]
    next_cursor: str | None


class TaskOut(TaskItem):
    owner: str | None  # who delegated it, if the assignee works on someone's behalf


class OpenTask(BaseModel):
    id: str
    element_id: str
    name: str
    group: str | None
    assignee: str | None
    status: str
    due_at: datetime | None


class CompletedOut(BaseModel):
    case_id: int
    case_number: str
    status: str
    outcome: str | None
    open_tasks: list[OpenTask]


class DraftIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    data: dict[str, Any]


class DraftOut(BaseModel):
    task_id: str
    data: dict[str, Any]
    updated_by: str
    updated_at: datetime


class SummaryOut(BaseModel):
    """The page header's counts: tasks the user holds, unclaimed tasks of their group; each with overdue.
    Each count stops at 99: ``capped`` names the counts that have more (shown as "99+")."""

    claimed: int
    claimed_overdue: int
    group_ready: int
    group_overdue: int
    capped: list[str] = Field(default_factory=list, description="the counts that reached the cap and have more")


class FormOut(BaseModel):
    task: TaskOut
    form_key: str | None
    schema_: dict[str, Any] | None = Field(alias="schema", serialization_alias="schema")
    data: dict[str, Any]
    draft: dict[str, Any] | None = None  # the assignee's saved, unfinished form data
    # a screening task (诉访分离): the decision's suggestion, the rule that matched, the case facts and masked
    # parties, and for each option of the choice field where completing the task leads (engine.tasks.screening)
    screening: dict[str, Any] | None = None

    model_config = ConfigDict(populate_by_name=True)
