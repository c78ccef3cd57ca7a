"""Opaque, signed keyset cursors for every paged list (cases, the task queue).

A cursor is the sort key of the last row of a page: ``base64url(JSON list) "." HMAC``, signed with the
installation's secret key and the list's purpose, so a client can neither forge nor tamper with one,
nor hand a cursor of one list to another. Each list declares its key once as a ``CursorKind``:
the purpose, the types of the key's parts, and the field error a bad cursor gives.
"""

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from engine.core.errors import InvalidData
from engine.core.keys import secret_key

# The parts a key may have: a time with a zone ("time", or "time?" when it may be missing),
# an integer id ("int"), a text id of at most 36 characters ("id").
PARTS = ("time", "time?", "int", "id")


def _part_out(kind: str, value):
    if kind.startswith("time"):
        return value.astimezone(UTC).isoformat() if value is not None else None
    return value


def _part_in(kind: str, value):
    if kind == "time?" and value is None:
        return None
    if kind.startswith("time"):
        at = datetime.fromisoformat(value)
        if at.tzinfo is None:
            raise ValueError("a cursor time without a zone")
        return at.astimezone(UTC)
    if kind == "int" and isinstance(value, int) and not isinstance(value, bool):
        return value
    if kind == "id" and isinstance(value, str) and len(value) <= 36:
        return value
    raise ValueError(f"not a cursor {kind}")


@dataclass(frozen=True)
class CursorKind:
    """The cursor of one list: ``purpose`` names the list, ``parts`` the types of its sort key."""

    purpose: str
    parts: tuple[str, ...]
    message: str = "invalid cursor"
    field_error: str = "invalid cursor"

    def _sign(self, payload: bytes) -> str:
        prefix = f"{self.purpose}-cursor:".encode()
        return hmac.new(secret_key().encode(), prefix + payload, hashlib.sha256).hexdigest()[:32]

    def encode(self, *key) -> str:
        """The cursor of a row whose sort key is ``key`` (one value per part)."""
        values = [_part_out(kind, value) for kind, value in zip(self.parts, key, strict=True)]
        payload = json.dumps(values, separators=(",", ":")).encode()
        return base64.urlsafe_b64encode(payload).decode().rstrip("=") + "." + self._sign(payload)

    def decode(self, cursor: str) -> tuple:
        """The sort key of a cursor this service issued for this list; InvalidData (field ``cursor``) else."""
        try:
            body, sig = cursor.split(".")
            payload = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
            if not hmac.compare_digest(sig, self._sign(payload)):
                raise ValueError("bad signature")
            values = json.loads(payload)
            if not isinstance(values, list) or len(values) != len(self.parts):
                raise ValueError("bad cursor")
            return tuple(_part_in(kind, value) for kind, value in zip(self.parts, values, strict=True))
        except (ValueError, TypeError, UnicodeDecodeError):
            raise InvalidData(self.message, {"cursor": self.field_error}) from None
