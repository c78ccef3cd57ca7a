"""Request and response models of the 异常 endpoints. Times are UTC, ISO 8601 with offset."""

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field


def _utc(value: datetime | None) -> datetime | None:
    return value.astimezone(UTC) if value is not None else None


Utc = Annotated[datetime, AfterValidator(_utc)]


class ReasonIn(BaseModel):
    """Every action but a retry needs a reason: at least one character that is not a space."""

    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=1, max_length=2000, pattern=r"^[^\x00]*[^\s\x00][^\x00]*$",
                        description="why (shown on the case's timeline and kept in the actions log)")


class IncidentOut(BaseModel):
    id: int
    case_id: int
    case_number: str
    case_status: str
    community: str | None
    element_id: str | None = Field(description="the element that failed")
    task_id: str | None = Field(description="the task whose completion failed (its draft holds what was submitted)")
    task_name: str | None
    message: str = Field(description="the error")
    at: Utc = Field(description="the last failure")
    attempts: int = Field(description="how often the step failed")
    actor: str | None = Field(description="who submitted the failing step")


class EmailOut(BaseModel):
    id: int
    case_id: int | None
    case_number: str | None
    to_user: str | None
    to_address: str
    template: str
    attempts: int
    error: str | None
    created_at: Utc
    failed_at: Utc


class StuckOut(BaseModel):
    id: int
    case_number: str
    process_key: str
    community: str | None
    created_at: Utc
    updated_at: Utc


class ExceptionsOut(BaseModel):
    incidents: list[IncidentOut]
    emails: list[EmailOut]
    stuck: list[StuckOut] = Field(description="active cases with no open task and no waiting timer")


class ActionOut(BaseModel):
    at: Utc
    actor: str
    action: str
    reason: str | None


class CaseExceptionsOut(BaseModel):
    case_id: int
    status: str
    incidents: list[IncidentOut]
    emails: list[EmailOut]
    actions: list[ActionOut]


class OpenTaskOut(BaseModel):
    id: str
    name: str


class IncidentActionOut(BaseModel):
    id: int
    case_id: int
    case_number: str
    status: str
    skipped: bool
    open_tasks: list[OpenTaskOut] = Field(description="the case's open tasks after the step")


class CaseStatusOut(BaseModel):
    id: int
    case_number: str
    status: str


class EmailActionOut(BaseModel):
    id: int
    status: str
