"""案件查询: ``GET /cases/search`` (one page) and ``GET /cases/search/export`` (the result as xlsx, at most
10 000 rows). Both take the same filters; phone and ID searches need a role that works with the parties and
are logged (``engine.cases.query``)."""

from datetime import date, datetime
from typing import Annotated, Literal
from urllib.parse import quote
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel
from sqlalchemy import Connection

from api.deps import TRANSACTION, current_user
from api.i18n import language
from api.openapi import IsoDate
from api.web import i18n as web_i18n
from engine import cases
from engine.core import clock
from engine.core.types import User

router = APIRouter(prefix="/cases", tags=["case search"])
NO_NUL = r"^[^\x00]*$"
Text = Annotated[str | None, Query(max_length=100, pattern=NO_NUL)]
Day = Annotated[IsoDate | None, Query(description="a day (Asia/Shanghai), both ends included")]
Sort = Literal["created_at", "-created_at", "received_on", "-received_on", "updated_at", "-updated_at",
               "case_number", "-case_number"]
SHANGHAI = ZoneInfo("Asia/Shanghai")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class SearchItem(BaseModel):
    id: int
    case_number: str
    status: str
    process_key: str
    dispute_type: str | None
    channel: str | None
    community: str | None
    summary: str
    applicant: str | None  # masked (王**) for roles that do not work with the parties
    risk_level: str | None
    people_count: int | None
    group_case: bool
    repeat_petitioner: bool
    leader: str | None
    stage: str | None  # the name of an open task
    received_on: date | None
    accepted_on: date | None
    closed_on: date | None
    created_at: datetime
    due_at: datetime | None
    overdue: bool


class SearchPage(BaseModel):
    items: list[SearchItem]
    total: int
    total_capped: bool  # more than ``total`` matched (the count stops at 10 000)
    page: int
    limit: int
    sort: str


def filters(
    q: str | None = Query(None, max_length=100, pattern=NO_NUL,
                          description="案号 in any spelling, a full phone or ID number, else a name or summary word"),
    case_number: Text = None, name: Text = None,
    phone: str | None = Query(None, max_length=40, pattern=NO_NUL, description="full phone, exact match (logged)"),
    id_number: str | None = Query(None, max_length=64, pattern=NO_NUL, description="full ID number (logged)"),
    community: Text = None, dispute_type: Text = None, channel: Text = None, leader: Text = None,
    status: Literal["active", "completed", "cancelled", "error"] | None = None, stage: Text = None,
    risk_level: list[Literal["red", "orange", "yellow"]] | None = Query(None),
    group: bool | None = Query(None, description="true: 群体性 (5 people or more)"),
    overdue: bool | None = None,
    received_from: Day = None, received_to: Day = None, created_from: Day = None, created_to: Day = None,
    accepted_from: Day = None, accepted_to: Day = None, closed_from: Day = None, closed_to: Day = None,
    sort: Sort = "-created_at",
) -> dict:
    return {k: v for k, v in locals().items() if v is not None}


@router.get("/search", response_model=SearchPage, summary="案件查询: cases in your communities by any filter")
def search(params: dict = Depends(filters), page: int = Query(1, ge=1, le=10_000), limit: int = Query(20, ge=1, le=100),
           user: User = Depends(current_user), conn: Connection = TRANSACTION) -> dict:
    return cases.search_cases(conn, user, page=page, limit=limit, **params)


@router.get("/search/export", summary="The search's result as xlsx (at most 10 000 rows; masked as the list)",
            response_class=Response, responses={200: {"content": {XLSX: {}}}})
def export(request_lang: str = Depends(language), params: dict = Depends(filters),
           user: User = Depends(current_user), conn: Connection = TRANSACTION) -> Response:
    items, cut = cases.export_rows(conn, user, **params)
    t = web_i18n.strings(request_lang)
    headers = {"case_number": t["cs_case_number"], "applicant": t["cs_applicant"], "summary": t["cs_summary"],
               "dispute_type": t["cs_dispute_type"], "community": t["cs_community"], "channel": t["cs_channel"],
               "status": t["cs_status"], "stage": t["cs_stage"], "risk_level": t["cs_risk"],
               "group_case": t["cs_group"], "received_on": t["cs_received"], "due_at": t["cs_due"],
               "leader": t["cs_leader"]}
    body = cases.search_xlsx(items, headers, lambda field, code: t.get(f"v_{field}_{code}", code),
                             title=t["cs_sheet"], yes=t["cs_yes"], cut_note=t["cs_export_cut"] if cut else None)
    name = f"{t['cs_sheet']}-{clock.now().astimezone(SHANGHAI).strftime('%Y%m%d-%H%M')}.xlsx"
    return Response(body, media_type=XLSX, headers={
        "Content-Disposition": f"attachment; filename=\"cases.xlsx\"; filename*=UTF-8''{quote(name)}"})
