"""Report endpoints: the report of a period (a year, a quarter, the year to date, from/to) and the annual report
(年度报告), as JSON, Markdown, xlsx, PDF or DOCX.

The JSON holds the figures, the report as it reads (``document``: title, scope, sections with their sentences
and tables) and, apart from them, the self-checks (``checks``); no download holds the self-checks."""

from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse, Response

from api.deps import get_db, require_apart
from api.openapi import IsoDate
from engine import Database, reports
from engine.core.types import User

router = APIRouter(prefix="/reports", tags=["reports"])

Year = Annotated[int, Query(ge=1949, le=2999, description="the report year (cases accepted 受理 in it)")]
Format = Annotated[Literal["json", "md", "xlsx", "pdf", "docx"],
                   Query(description="json (default: the figures, the document as it reads and the self-checks), "
                                     "or a download without the self-checks: md, xlsx, pdf or docx")]


RESPONSES = {200: {"content": {"application/json": {}, reports.MEDIA_TYPES["md"]: {},
                               reports.MEDIA_TYPES["xlsx"]: {}, reports.MEDIA_TYPES["pdf"]: {},
                               reports.MEDIA_TYPES["docx"]: {}}}}
PeriodText = Annotated[str | None, Query(max_length=20, description="2026 (a year), 2026Q4 (a quarter) or ytd "
                                                                    "(1 January to today); or give from and to")]
From = Annotated[IsoDate | None, Query(alias="from", description="first day counted (受理日期), with to")]
To = Annotated[IsoDate | None, Query(alias="to", description="last day counted (受理日期), with from")]


def _respond(report: dict, format: str, stem: str, name: str) -> Response:
    if format == "json":
        return JSONResponse(reports.as_json(report))
    body = reports.render_report(report, format)
    disposition = "inline" if format == "md" else "attachment"
    return Response(body, media_type=reports.MEDIA_TYPES[format],
                    headers={"Content-Disposition": f"{disposition}; filename=\"{stem}.{format}\"; "
                                                    f"filename*=UTF-8''{quote(f'{name}.{format}')}"})


@router.get("/annual", summary="The annual report: figures, document and self-checks (json); md, xlsx, pdf or docx",
            responses=RESPONSES)
def annual_report(year: Year, format: Format = "json",
                  _: User = Depends(require_apart("supervisor", "leader", "admin")),
                  db: Database = Depends(get_db)) -> Response:
    # not the request's transaction: rendering (PDF: seconds) must not hold it, the write lock on SQLite
    with db.begin() as conn:
        report = reports.annual_report(conn, year)
    return _respond(report, format, f"annual-{year}", f"{year}年度报告")


@router.get("/period", summary="The report of a period: ?period=2026Q4|2026|ytd or ?from=…&to=…; json, md, xlsx, pdf, docx",
            responses=RESPONSES)
def period_report(period: PeriodText = None, start: From = None, end: To = None, format: Format = "json",
                  _: User = Depends(require_apart("supervisor", "leader", "admin")),
                  db: Database = Depends(get_db)) -> Response:
    chosen = reports.choose_period(period if period is not None or start or end else "ytd", start, end)
    with db.begin() as conn:
        report = reports.report(conn, chosen.start, chosen.end)
    return _respond(report, format, f"report-{chosen.start.isoformat()}-{chosen.end.isoformat()}",
                    f"{chosen.label}报告")
