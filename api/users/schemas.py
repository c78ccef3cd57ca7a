"""Request and response models of the user endpoints."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


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


Role = Literal["intake", "mediator", "lawyer", "supervisor", "leader", "admin"]
Community = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[^\x00]*\S[^\x00]*$")]
NewUsername = Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9._-]+$")]
Email = Annotated[str, Field(max_length=255, pattern=r"^$|^[^@\s\x00]+@[^@\s\x00]+$")]


class UserAdminOut(BaseModel):
    """A user as admins see them: the task groups their role works, whether they must change their password."""

    id: int
    username: str
    display_name: str | None
    role: str
    email: str | None
    communities: list[str]
    groups: list[str]
    active: bool
    must_change_password: bool
    created_at: datetime
    last_login_at: datetime | None = None


class UserIn(BaseModel):
    """A new user. The password is not given: a temporary one is made, shown once, changed at the first login."""

    model_config = ConfigDict(extra="forbid")
    username: NewUsername
    role: Role
    communities: list[Community] = Field(default_factory=list, max_length=50)
    display_name: str | None = Field(None, max_length=100)
    email: Email | None = None


class UserCreatedOut(BaseModel):
    user: UserAdminOut
    temporary_password: str = Field(description="shown once; the user must change it at the first login")


class UserPatch(BaseModel):
    """The fields to change; at least one. An empty ``display_name`` or ``email`` clears it. The last active admin
    cannot be deactivated nor given another role (409 ``last_admin``); deactivating ends the user's sessions."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"minProperties": 1})
    role: Role | None = None
    display_name: str | None = Field(None, max_length=100)
    email: Email | None = None
    communities: list[Community] | None = Field(None, max_length=50)
    active: bool | None = None

    @model_validator(mode="after")
    def _something(self):
        if not self.model_fields_set:
            raise ValueError("give at least one field to change")
        return self


class ResetOut(BaseModel):
    temporary_password: str = Field(description="shown once; the user must change it at the next login")


class AuditOut(BaseModel):
    id: int
    at: datetime
    actor: str
    action: Literal["created", "updated", "deactivated", "activated", "password_reset", "password_changed",
                    "password_set"]
    old: dict | None
    new: dict | None
