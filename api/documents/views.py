"""Documents (文书): the kinds, a case's and a task's papers, making one (takes its 文号), previews, copies as
PDF/DOCX/HTML, and the signed scan.

The rules (who may make or print what, which copy shows whose full details) are ``engine.documents``'.
"""

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Path, Query, UploadFile
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Connection

from api.attachments.service import read_limited
from api.deps import TRANSACTION, current_user
from api.documents import schemas
from engine import documents
from engine.core.types import User

router = APIRouter(tags=["documents"])

CaseId = Annotated[int, Path(ge=1, le=2**63 - 1, description="case id")]
DocId = Annotated[str, Path(min_length=1, max_length=36, description="document id")]
TaskId = Annotated[str, Path(min_length=1, max_length=36, description="task id")]
Copy = Annotated[str | None, Query(min_length=1, max_length=40, description=(
    "file (存档, full details), masked (隐去个人信息), all (every party's copy and the kept one) or a party's "
    "ref (that party's copy); default: file for the roles that work with the parties, else masked"))]
NO_STORE = {"Cache-Control": "private, no-store", "X-Content-Type-Options": "nosniff"}


def _disposition(filename: str, inline: bool = False) -> str:
    fallback = "".join(c if c.isascii() and c.isprintable() and c not in '"\\;' else "_" for c in filename)
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


@router.get("/document-kinds", response_model=list[schemas.DocumentKindOut],
            summary="The papers tiaojie makes: title, whether numbered, the tasks offering each")
def kinds(_: User = Depends(current_user)) -> list:
    return documents.document_kinds()


@router.get("/cases/{case_id}/documents", response_model=list[schemas.DocumentOut],
            summary="Every version of every paper of the case, newest first")
def case_documents(case_id: CaseId, user: User = Depends(current_user), conn: Connection = TRANSACTION) -> list:
    return documents.documents_of_case(conn, user, case_id)


@router.get("/tasks/{task_id}/documents", response_model=schemas.TaskDocumentsOut,
            summary="The papers the task's page offers and those made at it")
def task_documents(task_id: TaskId, user: User = Depends(current_user), conn: Connection = TRANSACTION) -> dict:
    return documents.documents_of_task(conn, user, task_id)


@router.post("/cases/{case_id}/documents", status_code=201, response_model=schemas.DocumentOut,
             summary="Make a paper (takes its 文号; a paper made again is a new version with the same number)",
             responses={409: {"description": "the case is filed (case_filed)"},
                        422: {"description": "unknown kind, not offered at the task, or the template fails"}})
def make(case_id: CaseId, body: schemas.DocumentIn, user: User = Depends(current_user),
         conn: Connection = TRANSACTION) -> dict:
    return documents.generate(conn, user, case_id, body.kind, body.task_id, body.data, body.note)


@router.post("/cases/{case_id}/documents/preview", response_class=HTMLResponse,
             summary="The paper as HTML, numbered （文号待编）; nothing stored, no number taken")
def preview(case_id: CaseId, body: schemas.PreviewIn, user: User = Depends(current_user),
            conn: Connection = TRANSACTION) -> HTMLResponse:
    html = documents.preview(conn, user, case_id, body.kind, body.task_id, body.data)
    return HTMLResponse(html, headers=NO_STORE)


@router.get("/documents/{doc_id}", response_model=schemas.DocumentOut, summary="One version of a paper")
def get_document(doc_id: DocId, user: User = Depends(current_user), conn: Connection = TRANSACTION) -> dict:
    return documents.get_document(conn, user, doc_id)


def _copy(conn: Connection, user: User, doc_id: str, copy: str | None, fmt: str) -> Response:
    content, ctype, filename = documents.render_copy(conn, user, doc_id, copy, fmt)
    return Response(content, media_type=ctype,
                    headers={**NO_STORE, "Content-Disposition": _disposition(filename, inline=fmt != "docx")})


@router.get("/documents/{doc_id}/pdf", response_class=Response, summary="A copy of the paper as PDF",
            responses={200: {"content": {"application/pdf": {}}}})
def pdf(doc_id: DocId, copy: Copy = None, user: User = Depends(current_user),
        conn: Connection = TRANSACTION) -> Response:
    return _copy(conn, user, doc_id, copy, "pdf")


@router.get("/documents/{doc_id}/docx", response_class=Response, summary="A copy of the paper as DOCX (editable)",
            responses={200: {"content": {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {}}}})
def docx(doc_id: DocId, copy: Copy = None, user: User = Depends(current_user),
         conn: Connection = TRANSACTION) -> Response:
    return _copy(conn, user, doc_id, copy, "docx")


@router.get("/documents/{doc_id}/preview", response_class=HTMLResponse, summary="A copy of the paper as HTML")
def copy_preview(doc_id: DocId, copy: Copy = None, user: User = Depends(current_user),
                 conn: Connection = TRANSACTION) -> Response:
    return _copy(conn, user, doc_id, copy, "html")


@router.post("/documents/{doc_id}/signed", status_code=201, response_model=schemas.SignedOut,
             summary="Attach the signed scan or photo of the paper (PDF, JPEG or PNG; checked by content)")
def signed(doc_id: DocId, file: Annotated[UploadFile, File(description="the signed scan")],
           user: User = Depends(current_user), conn: Connection = TRANSACTION) -> dict:
    content = read_limited(file.file)
    return documents.attach_signed(conn, user, doc_id, file.filename, content)
