"""Personal data: the search by full ID number (logged) and the log of who saw or searched full numbers."""

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from sqlalchemy import Connection

from api.deps import TRANSACTION, require
from engine import privacy
from engine.core.types import User

router = APIRouter(tags=["privacy"])
NO_NUL = r"^[^\x00]*$"


def _utc(value: datetime | None) -> datetime | None:
    return value.astimezone(UTC) if value is not None else None


Utc = Annotated[datetime, AfterValidator(_utc)]


class LookupIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id_number: str = Field(min_length=1, max_length=64, pattern=NO_NUL, description="the full ID number")
    reason: str = Field(min_length=1, max_length=500, pattern=NO_NUL, description="why (recorded)")


class LookupItem(BaseModel):
    case_id: int
    case_number: str
    status: str
    process_key: str
    dispute_type: str | None = None
    community: str | None = None
    created_at: Utc
    party_name: str
    party_role: str | None = None
    id_masked: str | None = None


class LookupOut(BaseModel):
    items: list[LookupItem]


class AccessOut(BaseModel):
    id: int
    at: Utc
    actor: str
    action: str  # view | lookup
    case_id: int | None = None
    party_ref: str | None = None
    what: str
    reason: str


class AccessLog(BaseModel):
    items: list[AccessOut]


@router.post("/cases/lookup", response_model=LookupOut,
             summary="Cases with a party of this full ID number (the search and its reason are recorded)")
def lookup(body: LookupIn, user: User = Depends(require(*privacy.FULL_PARTY_ROLES)),
           conn: Connection = TRANSACTION) -> dict:
    return privacy.lookup(conn, user, body.id_number, body.reason)


@router.get("/privacy/access-log", response_model=AccessLog,
            summary="Who viewed or searched full ID numbers and phones, newest first (admin)")
def access_log(user: User = Depends(require("admin")), conn: Connection = TRANSACTION,
               case_id: int | None = Query(None, ge=1, le=2**63 - 1),
               actor: str | None = Query(None, max_length=100, pattern=NO_NUL),
               limit: int = Query(100, ge=1, le=1000)) -> dict:
    return {"items": privacy.access_log(conn, limit=limit, case_id=case_id, actor=actor)}
