"""Request and response models of the user endpoints."""

from pydantic import BaseModel, ConfigDict, Field


class UserOut(BaseModel):
    id: int
    username: str
    display_name: str | None
    role: str
    communities: list[str]
    active: bool


class HandoverIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    to_user: str = Field(min_length=1, max_length=100)
    note: str = Field(min_length=1, max_length=2000)


class HandoverOut(BaseModel):
    from_user: str
    to_user: str
    tasks: int
    cases: int
