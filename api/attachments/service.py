"""Case attachments: upload (caseworkers and supervisors), list and download (anyone who sees the case).

Scoping as for cases: an attachment of a case outside the user's communities is "not found".
"""

from sqlalchemy import Connection

from engine.cases import attachments
from engine.core.errors import Forbidden, InvalidData, NotFound, TooLarge
from engine.core.settings import get_settings
from engine.core.types import User
from engine.store import attachments as store
from engine.store import case_queries
from engine.store import tasks as task_store

UPLOAD_ROLES = ("intake", "mediator", "lawyer", "supervisor")
CHUNK = 256 * 1024


def _scope(user: User) -> list[str] | None:
    return None if user.sees_all_communities else list(user.communities)


def _visible(conn: Connection, user: User, case_id: int) -> None:
    if not case_queries.visible(conn, case_id, _scope(user)):
        raise NotFound(f"case {case_id} not found")


def read_limited(file) -> bytes:
    """The uploaded file's bytes; TooLarge past the attachment limit (read in chunks, never more)."""
    limit = get_settings().max_attachment_bytes
    parts, size = [], 0
    while chunk := file.read(CHUNK):
        size += len(chunk)
        if size > limit:
            raise TooLarge(f"the file is over the attachment limit of {limit} bytes")
        parts.append(chunk)
    if size == 0:
        raise InvalidData("the file is empty", {"file": "empty file"})
    return b"".join(parts)


def view(row) -> dict:
    return {"id": row.id, "case_id": row.case_id, "task_id": row.task_id, "kind": row.kind,
            "filename": row.filename, "content_type": row.content_type, "size": row.size, "sha256": row.sha256,
            "uploaded_by": row.uploaded_by, "uploaded_at": row.uploaded_at, "url": f"/api/v1/attachments/{row.id}"}


def for_case(conn: Connection, case_id: int) -> list[dict]:
    return [view(r) for r in store.for_case(conn, case_id)]


def upload(conn: Connection, user: User, case_id: int, *, kind: str, filename: str | None, content: bytes,
           task_id: str | None) -> dict:
    if user.role not in UPLOAD_ROLES:
        raise Forbidden(f"role '{user.role}' may not add attachments")
    _visible(conn, user, case_id)
    if task_id is not None:
        task = task_store.get(conn, task_id)
        if task is None or task.case_id != case_id:
            raise InvalidData(f"task {task_id} is not a task of case {case_id}", {"task_id": "not a task of this case"})
    row = attachments.add(conn, case_id=case_id, task_id=task_id, kind=kind, filename=filename, content=content,
                          actor=user.username)
    return {**row, "url": f"/api/v1/attachments/{row['id']}"}


def list_for_case(conn: Connection, user: User, case_id: int) -> list[dict]:
    _visible(conn, user, case_id)
    return for_case(conn, case_id)


def download(conn: Connection, user: User, attachment_id: str):
    row = store.get(conn, attachment_id, _scope(user))
    if row is None:
        raise NotFound(f"attachment {attachment_id} not found")
    return row
