"""Holiday calendar endpoints: admins keep the official calendar (a year's notice, one day); supervisors read it.

Importing takes the file of ``tiaojie calendar import`` (CSV ``date,kind,name`` or the JSON document); a bad
file is refused whole with the line or entry named in ``fields``.
"""

from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Form, Path, UploadFile
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Connection

from api.deps import TRANSACTION, require
from api.openapi import IsoDate
from engine import deadlines
from engine.core.errors import InvalidData
from engine.core.types import User

router = APIRouter(prefix="/calendar", tags=["calendar"])
READERS = ("supervisor", "admin")
MAX_FILE_BYTES = 256 * 1024

Year = Annotated[int, Path(ge=1949, le=2200, description="the calendar year")]
Text = Annotated[str, Field(max_length=100, pattern=r"^[^\x00]*$")]


class StatusOut(BaseModel):
    today: date
    confirmed_years: list[int]
    this_year: int
    this_year_confirmed: bool
    next_year: int
    next_year_confirmed: bool
    banner_year: int | None  # the year supervisors are warned about, if any
    banner: str | None
    unconfirmed_deadlines: int  # open deadlines counted over a year not confirmed


class DayOut(BaseModel):
    date: date
    kind: str  # rest | work
    name: str | None
    weekday: int  # 1 Monday … 7 Sunday
    source: str | None


class YearOut(BaseModel):
    year: int
    confirmed: bool
    origin: str  # database | packaged (not yet seeded into the database)
    source: str | None
    entered_by: str | None
    entered_at: datetime | None
    days: list[DayOut]


class DayIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    kind: Literal["rest", "work", "normal"]
    name: Text | None = None


class DaySetOut(BaseModel):
    date: date
    kind: str
    name: str | None
    recomputed: int
    year_confirmed: bool


class ImportOut(BaseModel):
    year: int
    source: str | None
    rest_days: int
    work_days: int
    recomputed: int  # open deadlines whose due time changed


@router.get("/status", response_model=StatusOut, summary="Confirmed years and the banner for supervisors")
def status(_: User = Depends(require(*READERS)), conn: Connection = TRANSACTION) -> dict:
    return deadlines.calendar_status(conn)


@router.get("/{year:int}", response_model=YearOut, summary="A year's rest days and 调休 working days")
def show_year(year: Year, _: User = Depends(require(*READERS)), conn: Connection = TRANSACTION) -> dict:
    return deadlines.show_calendar_year(conn, year)


@router.put("/days/{day}", response_model=DaySetOut,
            summary="Set one day: rest, work (a 调休 Saturday/Sunday) or normal (admins)")
def set_day(day: IsoDate, body: DayIn, user: User = Depends(require("admin")), conn: Connection = TRANSACTION) -> dict:
    return deadlines.set_calendar_day(conn, day, body.kind, actor=user.username, name=body.name)


@router.post("/import", response_model=ImportOut, summary="Enter a year's calendar from a file (admins)",
             responses={422: {"description": "a bad file: `fields` names the line or entry"}})
def import_year(file: Annotated[UploadFile, File(description="CSV (date,kind,name) or JSON")],
                source: Annotated[str | None, Form(max_length=300)] = None,
                user: User = Depends(require("admin")), conn: Connection = TRANSACTION) -> dict:
    raw = file.file.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        raise InvalidData("日历文件过大", {"file": "too large"})
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidData("日历文件应为 UTF-8 文本", {"file": "not UTF-8"}) from None
    return deadlines.import_calendar(conn, text, actor=user.username, source=source)
