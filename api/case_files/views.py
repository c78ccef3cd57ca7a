"""The case file (卷宗): file a closed case, read it, reopen it with a reason, the whole file as one PDF, the
year's list and archive (zip of PDFs + 索引.xlsx)."""

import tempfile
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response, StreamingResponse
from sqlalchemy import Connection

from api.case_files.schemas import CaseFileList, CaseFileOut, ReopenIn
from api.deps import TRANSACTION, current_user, require
from engine import documents
from engine.core.types import User

router = APIRouter(tags=["case files"])

CaseId = Annotated[int, Path(ge=1, le=2**63 - 1, description="case id")]
Year = Annotated[int, Query(ge=1900, le=9999, description="the files' year (the cases' closing year)")]
Office = Annotated[str | None, Query(min_length=1, max_length=40, pattern=r"^[^\x00]*$",
                                     description="office code (default: every office)")]
CHUNK = 1 << 16


def _disposition(filename: str) -> str:
    fallback = "".join(c if c.isascii() and c.isprintable() and c not in '"\\;' else "_" for c in filename)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


@router.post("/cases/{case_id}/file", status_code=201, response_model=CaseFileOut,
             summary="File a closed case (立卷归档): its number, retention and 卷内目录; the case becomes read-only")
def file_case(case_id: CaseId, user: User = Depends(current_user), conn: Connection = TRANSACTION) -> dict:
    return documents.file_case(conn, user, case_id)


@router.get("/cases/{case_id}/file", response_model=CaseFileOut, summary="The case's file, with its history")
def case_file(case_id: CaseId, user: User = Depends(current_user), conn: Connection = TRANSACTION) -> dict:
    return documents.case_file(conn, user, case_id)


@router.post("/cases/{case_id}/file/reopen", response_model=CaseFileOut,
             summary="Reopen a filed case (重新开卷), with a reason; filing it again keeps its number")
def reopen(case_id: CaseId, body: ReopenIn, user: User = Depends(current_user),
           conn: Connection = TRANSACTION) -> dict:
    return documents.reopen_case(conn, user, case_id, body.reason)


@router.get("/cases/{case_id}/file/pdf", response_class=Response,
            summary="The whole file as one PDF: cover, 卷内目录, papers, back page, numbered pages",
            responses={200: {"content": {"application/pdf": {}}}})
def file_pdf(case_id: CaseId, user: User = Depends(current_user), conn: Connection = TRANSACTION) -> Response:
    pdf, name = documents.file_pdf(conn, user, case_id)
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": _disposition(name), "Cache-Control": "private, no-store",
                             "X-Content-Type-Options": "nosniff"})


@router.get("/case-files", response_model=CaseFileList, summary="The case files of a year (supervisors, admins)")
def list_files(year: Year, office: Office = None, user: User = Depends(require("supervisor", "admin")),
               conn: Connection = TRANSACTION) -> dict:
    return {"items": documents.list_files(conn, user, year, office)}


@router.get("/case-files/archive", response_class=StreamingResponse,
            summary="The year's archive: one PDF per file, named by its number, and 索引.xlsx (zip)",
            responses={200: {"content": {"application/zip": {}}}})
def archive(year: Year, office: Office = None, user: User = Depends(require("supervisor", "admin")),
            conn: Connection = TRANSACTION) -> StreamingResponse:
    tmp = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)
    documents.write_archive(conn, user, year, office, tmp)
    tmp.seek(0)

    def chunks():
        try:
            while block := tmp.read(CHUNK):
                yield block
        finally:
            tmp.close()

    return StreamingResponse(chunks(), media_type="application/zip",
                             headers={"Content-Disposition": _disposition(documents.archive_name(year, office)),
                                      "Cache-Control": "private, no-store"})
