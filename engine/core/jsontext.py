"""JSON text of engine values on the hot path (workflow state, statement parameters), made by orjson.

The text is what ``json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=default)`` gives, but
for floats written shorter (``1e16`` for ``1e+16``, the same number) and NaN or infinities, which become null
(PostgreSQL's jsonb refuses them anyway). Dates and datetimes go to ``default``, as with the standard library.
What orjson refuses (an integer past 64 bits, a lone surrogate) is written by the standard library instead.
About 6× faster than the standard library on a case's state (measured in ``make bench``'s profile block).
"""

import json
from collections.abc import Callable

import orjson

__all__ = ["dumps", "loads"]

_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS


def dumps(value, default: Callable = str) -> str:
    """Compact JSON text of ``value``; ``default`` for anything JSON has no type for."""
    try:
        return orjson.dumps(value, default=default, option=_OPTIONS).decode()
    except orjson.JSONEncodeError:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=default)


def loads(text: str | bytes):
    """The value of JSON ``text``."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:  # what the standard library reads and orjson does not (NaN, big integers)
        return json.loads(text)
