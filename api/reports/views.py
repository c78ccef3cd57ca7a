"""Report endpoints: the annual report (年度报告) as JSON, Markdown, xlsx or PDF."""

from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query
from fastapi.responses import JSONResponse, Response

from api.deps import get_db, require_apart
from engine import Database, reports
from engine.core.types import User

router = APIRouter(prefix="/reports", tags=["reports"])

Year = Annotated[int, Query(ge=1949, le=2999, description="the report year (cases accepted 受理 in it)")]
Format = Annotated[Literal["json", "md", "xlsx", "pdf"], Query(description="json (default), md, xlsx or pdf")]


@router.get("/annual", summary="The annual report: figures with self-checks; json, md, xlsx or pdf",
            responses={200: {"content": {"application/json": {}, reports.MEDIA_TYPES["md"]: {},
                                         reports.MEDIA_TYPES["xlsx"]: {}, reports.MEDIA_TYPES["pdf"]: {}}}})
def annual_report(year: Year, format: Format = "json",
                  _: User = Depends(require_apart("supervisor", "leader", "admin")),
                  db: Database = Depends(get_db)) -> Response:
    # not the request's transaction: rendering (PDF: seconds) must not hold it, the write lock on SQLite
    with db.begin() as conn:
        report = reports.annual_report(conn, year)
    if format == "json":
        return JSONResponse(report)
    body = reports.render_report(report, format)
    disposition = "inline" if format == "md" else "attachment"
    name = f"{year}年度报告.{format}"
    return Response(body, media_type=reports.MEDIA_TYPES[format],
                    headers={"Content-Disposition": f"{disposition}; filename=\"annual-{year}.{format}\"; "
                                                    f"filename*=UTF-8''{quote(name)}"})
