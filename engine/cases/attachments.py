"""Attachments of a case: who may add them, accepted file types (by their bytes), storing, reading, form references.

Scoping as for cases: an attachment of a case outside the user's communities is "not found".

Form convention: a field ``{"type": "array", "items": {"type": "string"}, "format": "attachments",
"x-attachment-kind": "agreement"}`` holds ids of attachments uploaded to the same case; on completion
every id must name an attachment of that case (a field error otherwise).
"""

import hashlib
import io
import re
import uuid
import zipfile

from sqlalchemy import Connection

from engine.cases.access import check_visible
from engine.cases.readonly import check_not_filed
from engine.core import clock
from engine.core.errors import Forbidden, InvalidData, NotFound
from engine.core.scope import scope
from engine.core.types import User
from engine.store import attachments as store
from engine.store import events as event_store
from engine.store import tasks as task_store

KINDS = ("agreement", "record", "evidence", "other")
FORMAT = "attachments"
PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ALLOWED = {PDF: "pdf", JPEG: "jpg", PNG: "png", DOCX: "docx"}
UPLOAD_ROLES = ("intake", "mediator", "lawyer", "supervisor")


def detect_type(content: bytes) -> str | None:
    """The content type the bytes themselves show (PDF, JPEG, PNG, DOCX), or None."""
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if content.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(content)).namelist())
        except Exception:  # any malformed archive is simply not a DOCX
            return None
        if "word/document.xml" in names and "[Content_Types].xml" in names:
            return DOCX
    return None


def clean_filename(name: str | None, content_type: str) -> str:
    """The bare file name, without control characters or path parts, at most 200 characters."""
    base = re.sub(r"[\x00-\x1f\x7f]", "", (name or "").replace("\\", "/").rsplit("/", 1)[-1]).strip()
    return base[-200:] or f"attachment.{ALLOWED[content_type]}"


def add(conn: Connection, *, case_id: int, task_id: str | None, kind: str, filename: str | None, content: bytes,
        actor: str) -> dict:
    """Check the type and store the file with an ``attachment_added`` event; the stored row's fields."""
    if kind not in KINDS:
        err = InvalidData(f"kind must be one of {', '.join(KINDS)}", {"kind": "not one of the allowed values"})
        err.kinds = {"kind": "enum"}
        raise err
    check_not_filed(conn, case_id)
    ctype = detect_type(content)
    if ctype is None:
        err = InvalidData("only PDF, JPEG, PNG and DOCX files are accepted (checked by their content)",
                          {"file": "file type not allowed: PDF, JPEG, PNG or DOCX"})
        err.kinds = {"file": "file_type"}
        raise err
    at = clock.now()
    row = {"id": str(uuid.uuid4()), "case_id": case_id, "task_id": task_id, "kind": kind,
           "filename": clean_filename(filename, ctype), "content_type": ctype, "size": len(content),
           "sha256": hashlib.sha256(content).hexdigest(), "uploaded_by": actor, "uploaded_at": at}
    store.insert(conn, {**row, "content": content})
    event_store.append(conn, [{"case_id": case_id, "at": at, "actor": actor, "kind": "attachment_added",
                               "task_id": task_id, "data": {"attachment_id": row["id"], "kind": kind,
                                                            "filename": row["filename"], "size": row["size"]}}])
    return row


def fields(schema: dict | None) -> list[str]:
    """Names of the form's attachment fields."""
    props = (schema or {}).get("properties") or {}
    return [k for k, v in props.items() if isinstance(v, dict) and v.get("format") == FORMAT]


def check_references(conn: Connection, case_id: int, schema: dict | None, data: dict) -> None:
    """Every id in an attachment field names an attachment of this case; else a field error."""
    wanted = {name: [v for v in data.get(name) or [] if isinstance(v, str)] for name in fields(schema)}
    known = store.of_case(conn, case_id, sorted({i for ids in wanted.values() for i in ids}))
    bad = {name: "unknown attachment: " + ", ".join(i for i in ids if i not in known)
           for name, ids in wanted.items() if any(i not in known for i in ids)}
    if bad:
        err = InvalidData(f"form data is invalid: {next(iter(bad.items()))[1]}", bad)
        err.kinds = {k: "unknown_attachment" for k in bad}
        raise err


def view(row) -> dict:
    """An attachment as the case page and the API show it: its fields and download address, no content."""
    return {"id": row.id, "case_id": row.case_id, "task_id": row.task_id, "kind": row.kind,
            "filename": row.filename, "content_type": row.content_type, "size": row.size, "sha256": row.sha256,
            "uploaded_by": row.uploaded_by, "uploaded_at": row.uploaded_at, "url": f"/api/v1/attachments/{row.id}"}


def for_case(conn: Connection, case_id: int) -> list[dict]:
    """The case's attachments (``view``), oldest first; the caller checked the case is visible."""
    return [view(r) for r in store.for_case(conn, case_id)]


def upload(conn: Connection, user: User, case_id: int, *, kind: str, filename: str | None, content: bytes,
           task_id: str | None) -> dict:
    """A caseworker or supervisor adds a file to a case they see (to one of its tasks, if ``task_id``)."""
    if user.role not in UPLOAD_ROLES:
        raise Forbidden(f"role '{user.role}' may not add attachments")
    check_visible(conn, user, case_id)
    if task_id is not None:
        task = task_store.get(conn, task_id)
        if task is None or task.case_id != case_id:
            raise InvalidData(f"task {task_id} is not a task of case {case_id}", {"task_id": "not a task of this case"})
    row = add(conn, case_id=case_id, task_id=task_id, kind=kind, filename=filename, content=content,
              actor=user.username)
    return {**row, "url": f"/api/v1/attachments/{row['id']}"}


def list_for_case(conn: Connection, user: User, case_id: int) -> list[dict]:
    check_visible(conn, user, case_id)
    return for_case(conn, case_id)


def download(conn: Connection, user: User, attachment_id: str):
    """The attachment with its content (``content``, ``content_type``, ``filename``), if the user sees its case."""
    row = store.get(conn, attachment_id, scope(user))
    if row is None:
        raise NotFound(f"attachment {attachment_id} not found")
    return row
