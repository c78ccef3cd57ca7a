"""Case attachments over HTTP: the upload stream read within the limit.

The rules (who may upload, list and download; a case outside the user's communities is "not found")
are ``engine.cases``' (``upload_attachment``, ``list_attachments``, ``download_attachment``).
"""

from engine.core.errors import InvalidData, TooLarge
from engine.core.settings import get_settings

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
