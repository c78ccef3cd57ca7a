"""Request and response models of the user endpoints."""

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field


class UserOut(BaseModel):
    id: int
    username: str
    display_name: str | None
    role: str
    communities: list[str]
    active: bool


Username = Annotated[str, Field(min_length=1, max_length=100)]


class HandoverIn(BaseModel):
    """All to ``to_user``; or per task / per case (``tasks``, ``cases``: id → username), the rest to ``to_user``
    or, case by case in turn, to the colleagues of ``round_robin``."""

    model_config = ConfigDict(extra="forbid")
    to_user: Username | None = None
    note: str = Field(min_length=1, max_length=2000)
    round_robin: list[Username] = Field(default_factory=list, max_length=50)
    tasks: dict[Annotated[str, Field(max_length=36)], Username] = Field(default_factory=dict, max_length=5000)
    cases: dict[Annotated[int, Field(ge=1, le=2**62)], Username] = Field(
        default_factory=dict, max_length=5000, json_schema_extra={"propertyNames": {"pattern": "^[1-9][0-9]{0,17}$"}})


class HandoverMove(BaseModel):
    case_id: int
    case_number: str | None
    to: str
    tasks: list[str]
    case_owner: bool


class HandoverOut(BaseModel):
    from_user: str
    to_user: str | None
    to_users: list[str]
    tasks: int
    cases: int
    moves: list[HandoverMove]


class PreviewTask(BaseModel):
    id: str
    case_id: int
    case_number: str
    name: str
    group: str | None
    status: str
    assignee: str | None
    owner: str | None
    due_at: datetime | None
    community: str | None


class PreviewCase(BaseModel):
    id: int
    case_number: str
    community: str | None
    dispute_type: str | None
    process_key: str
    created_at: datetime


class HandoverPreviewOut(BaseModel):
    """What a handover would move, and the colleagues (same role, active) who could take it."""

    user: UserOut
    tasks: list[PreviewTask]
    cases: list[PreviewCase]
    colleagues: list[UserOut]
