"""Signed keyset cursors: what one list issues comes back as its key; anything else is a field error."""

from datetime import UTC, datetime, timedelta, timezone

import pytest

from engine.core.cursor import CursorKind
from engine.core.errors import InvalidData

CASES = CursorKind("cases", ("time", "int"))
TASKS = CursorKind("tasks", ("time?", "time", "id"), message="not issued here", field_error="invalid")
AT = datetime(2026, 3, 1, 8, 30, tzinfo=timezone(timedelta(hours=8)))


def test_a_cursor_round_trips_in_utc():
    assert CASES.decode(CASES.encode(AT, 7)) == (AT.astimezone(UTC), 7)
    assert TASKS.decode(TASKS.encode(None, AT, "abc")) == (None, AT, "abc")


@pytest.mark.parametrize("cursor", ["garbage", "e30." + "0" * 32, "", "a.b.c", "%00"])
def test_garbage_is_the_lists_field_error(cursor):
    with pytest.raises(InvalidData) as err:
        CASES.decode(cursor)
    assert (str(err.value), err.value.errors) == ("invalid cursor", {"cursor": "invalid cursor"})
    with pytest.raises(InvalidData) as err:
        TASKS.decode(cursor)
    assert (str(err.value), err.value.errors) == ("not issued here", {"cursor": "invalid"})


def test_tampered_or_foreign_cursors_are_refused():
    good = CASES.encode(AT, 7)
    body, sig = good.split(".")
    with pytest.raises(InvalidData):
        CASES.decode(body + "." + sig[:-1] + ("0" if sig[-1] != "0" else "1"))
    with pytest.raises(InvalidData):  # same shape, other list: the purpose is signed too
        CursorKind("other", ("time", "int")).decode(good)
    with pytest.raises(InvalidData):  # a signed key of the wrong shape
        TASKS.decode(CursorKind("tasks", ("time", "int")).encode(AT, 7))
