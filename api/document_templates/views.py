"""Document templates (文书模板): per kind the version in use, upload a new version (checked against what the
kind's papers may name; 422 naming every unknown field), the text of a version, a preview with the sample case,
activate / retire a version. Supervisors and admins only."""

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Path, Query, UploadFile
from fastapi.responses import HTMLResponse
from sqlalchemy import Connection

from api.attachments.service import CHUNK
from api.deps import TRANSACTION, current_user
from api.document_templates.schemas import KindTemplatesOut, TemplateTextOut, TemplateVersionOut
from engine import documents
from engine.core.errors import InvalidData, TooLarge
from engine.core.types import User

router = APIRouter(tags=["document templates"])

KindCode = Annotated[str, Path(min_length=1, max_length=40, pattern=r"^[a-z_]+$", description="document kind")]
Version = Annotated[int, Path(ge=0, le=2**31 - 1, description="template version (0 = the packaged one)")]
Office = Annotated[str, Query(max_length=40, description='office code; "" = every office')]
# A preview is a supervisor's own HTML: shown only sandboxed (no script, nothing fetched but inline styles).
PREVIEW_HEADERS = {"Content-Security-Policy": "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:",
                   "X-Content-Type-Options": "nosniff", "Cache-Control": "no-store"}


def _read(file: UploadFile) -> bytes:
    parts, size = [], 0
    while chunk := file.file.read(CHUNK):
        size += len(chunk)
        if size > documents.MAX_TEMPLATE_BYTES:
            raise TooLarge(f"模板超过 {documents.MAX_TEMPLATE_BYTES // 1024} KiB 上限 (the template is over the limit)")
        parts.append(chunk)
    return b"".join(parts)


@router.get("/document-templates", response_model=list[KindTemplatesOut],
            summary="Per document kind: the template version in use for the office and the stored versions")
def list_templates(office: Office = "", user: User = Depends(current_user), conn: Connection = TRANSACTION) -> list:
    return documents.list_templates(conn, user, office)


@router.post("/document-templates/{kind}", status_code=201, response_model=TemplateVersionOut,
             summary="Upload a template (UTF-8 HTML + Jinja) as the kind's next version; 422 names unknown fields")
def upload(kind: KindCode, file: Annotated[UploadFile, File(description="the template (.html, UTF-8)")],
           office: Annotated[str, Form(max_length=40)] = "",
           note: Annotated[str | None, Form(max_length=500)] = None,
           user: User = Depends(current_user), conn: Connection = TRANSACTION) -> dict:
    return documents.upload_template(conn, user, kind, file.filename or f"{kind}.html", _read(file), office=office,
                                     note=note)


@router.get("/document-templates/{kind}/versions/{version}", response_model=TemplateTextOut,
            summary="The text of a template version (0 = the packaged template)")
def show(kind: KindCode, version: Version, office: Office = "", user: User = Depends(current_user),
         conn: Connection = TRANSACTION) -> dict:
    return documents.template_text(conn, user, kind, version, office)


@router.post("/document-templates/{kind}/preview", response_class=HTMLResponse,
             summary="The template (an uploaded file, or a stored version) rendered with the sample case",
             responses={200: {"content": {"text/html": {}}}})
def preview(kind: KindCode, file: Annotated[UploadFile | None, File(description="a template to try")] = None,
            version: Annotated[int | None, Form(ge=0, le=2**31 - 1)] = None,
            office: Annotated[str, Form(max_length=40)] = "",
            user: User = Depends(current_user), conn: Connection = TRANSACTION) -> HTMLResponse:
    if file is None and version is None:
        raise InvalidData("请上传模板文件或指定版本", {"file": "须上传模板文件或指定版本"})
    text = _read(file) if file is not None else None
    html = documents.preview_template(conn, user, kind, text=text, version=version, office=office)
    return HTMLResponse(html, headers=PREVIEW_HEADERS)


@router.post("/document-templates/{kind}/versions/{version}/activate", response_model=TemplateVersionOut,
             summary="Use this version again (the newest active version is used)")
def activate(kind: KindCode, version: Version, office: Office = "", user: User = Depends(current_user),
             conn: Connection = TRANSACTION) -> dict:
    return documents.activate_template(conn, user, kind, version, office)


@router.post("/document-templates/{kind}/versions/{version}/retire", response_model=TemplateVersionOut,
             summary="Stop using this version (the previous active one, or the packaged template, is used)")
def retire(kind: KindCode, version: Version, office: Office = "", user: User = Depends(current_user),
           conn: Connection = TRANSACTION) -> dict:
    return documents.retire_template(conn, user, kind, version, office)
