"""Case attachments over HTTP: the upload stream read within the limit; the rules are engine.cases'.

Upload (caseworkers and supervisors), list and download (anyone who sees the case) are
``engine.cases.attachments``; a case outside the user's communities is "not found" there.
"""

from sqlalchemy import Connection

from engine.cases import attachments
from engine.core.errors import InvalidData, TooLarge
from engine.core.settings import get_settings
from engine.core.types import User

CHUNK = 256 * 1024


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


def upload(conn: Connection, user: User, case_id: int, *, kind: str, filename: str | None, content: bytes,
           task_id: str | None) -> dict:
    return attachments.upload(conn, user, case_id, kind=kind, filename=filename, content=content, task_id=task_id)


def list_for_case(conn: Connection, user: User, case_id: int) -> list[dict]:
    return attachments.list_for_case(conn, user, case_id)


def download(conn: Connection, user: User, attachment_id: str):
    return attachments.download(conn, user, attachment_id)
