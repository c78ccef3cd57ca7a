"""Case attachments (调解协议书, 笔录, evidence): upload, list, download."""

from typing import Annotated, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Path, UploadFile
from fastapi.responses import Response
from sqlalchemy import Connection

from api.attachments import service
from api.cases.schemas import AttachmentOut
from api.deps import TRANSACTION, current_user
from engine import cases
from engine.core.types import User

router = APIRouter(tags=["attachments"])

CaseId = Annotated[int, Path(ge=1, le=2**63 - 1, description="case id")]
AttachmentId = Annotated[str, Path(min_length=1, max_length=36)]
Kind = Literal["agreement", "record", "evidence", "other"]


@router.post("/cases/{case_id}/attachments", status_code=201, response_model=AttachmentOut,
             summary="Add a file to the case (PDF, JPEG, PNG or DOCX; checked by content)")
def upload(case_id: CaseId, file: Annotated[UploadFile, File(description="the file")],
           kind: Annotated[Kind, Form(description="agreement 调解协议书, record 笔录, evidence, other")],
           task_id: Annotated[str | None, Form(min_length=1, max_length=36)] = None,
           user: User = Depends(current_user), conn: Connection = TRANSACTION) -> dict:
    content = service.read_limited(file.file)
    return cases.upload_attachment(conn, user, case_id, kind=kind, filename=file.filename, content=content,
                          task_id=task_id)


@router.get("/cases/{case_id}/attachments", response_model=list[AttachmentOut],
            summary="The case's attachments (without content)")
def list_attachments(case_id: CaseId, user: User = Depends(current_user), conn: Connection = TRANSACTION) -> list:
    return cases.list_attachments(conn, user, case_id)


def _disposition(filename: str) -> str:
    fallback = "".join(c if c.isascii() and c.isprintable() and c not in '"\\;' else "_" for c in filename)
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


@router.get("/attachments/{attachment_id}", response_class=Response, summary="Download an attachment",
            responses={200: {"content": {"application/octet-stream": {}}}})
def download(attachment_id: AttachmentId, user: User = Depends(current_user),
             conn: Connection = TRANSACTION) -> Response:
    row = cases.download_attachment(conn, user, attachment_id)
    return Response(bytes(row.content), media_type=row.content_type,
                    headers={"Content-Disposition": _disposition(row.filename), "X-Content-Type-Options": "nosniff",
                             "Cache-Control": "private, no-store"})
