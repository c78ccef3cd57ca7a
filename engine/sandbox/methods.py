"""Size estimates and guards for growth-prone methods of str, bytes, list, dict, set and int.

``Budget.getattr`` wraps the methods named in ``METHOD_GUARDS`` so that each call is charged to
the budget (and refused when its result would be too large) before the real method runs.
"""

from __future__ import annotations

import _string
import re
import string
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from engine.sandbox.budget import Budget

CONTAINERS = (str, bytes, bytearray, list, tuple, dict, set, frozenset)
GUARDED = (*CONTAINERS, int)  # types whose methods go through METHOD_GUARDS
HUGE = 1 << 62
_PRODUCERS = frozenset({"split", "rsplit", "splitlines", "encode", "decode", "copy", "union", "difference",
                        "intersection", "symmetric_difference", "upper", "lower", "title", "capitalize",
                        "swapcase", "casefold", "fromkeys"})
_GROWERS = frozenset({"extend", "update", "append", "insert", "add", "setdefault", "symmetric_difference_update"})
_DIGITS = re.compile(r"\d+")


def num(digits: str) -> int:
    """A width or precision from a format spec; ``*`` and absurd values count as huge."""
    return 0 if not digits else HUGE if digits == "*" or len(digits) > 9 else int(digits)


def estimate(obj: Any, cap: int) -> int:
    """Upper-ish bound of len(str(obj)); stops counting once above ``cap``."""
    total, stack = 0, [obj]
    while stack and total <= cap:
        o = stack.pop()
        if isinstance(o, str):
            total += len(o) + 2
        elif isinstance(o, (bytes, bytearray)):
            total += 4 * len(o) + 3
        elif isinstance(o, (list, tuple, set, frozenset)):
            total += 2 + 2 * len(o)
            if total <= cap:
                stack.extend(o)
        elif isinstance(o, dict):
            total += 2 + 4 * len(o)
            if total <= cap:
                stack.extend(o.keys())
                stack.extend(o.values())
        elif isinstance(o, int):
            total += o.bit_length() // 3 + 2
        else:
            total += 64
    return total


def unit(obj: Any) -> int:
    """Bytes charged per item: 1 for text, 8 for containers."""
    return 1 if isinstance(obj, (str, bytes, bytearray)) else 8


def spec_cost(spec: str | None) -> int:
    return sum(num(d) for d in _DIGITS.findall(spec)) + 4 * len(spec) if spec else 0


class ListWriter:
    """Item-assignment proxy for lists: slice assignment may not grow the list past the limit."""

    __slots__ = ("ob", "budget")

    def __init__(self, ob: list, budget: Budget):
        self.ob, self.budget = ob, budget

    def __setitem__(self, key, value):
        if isinstance(key, slice):
            value = list(value)
            removed = len(range(*key.indices(len(self.ob))))
            self.budget.size(len(self.ob) - removed + len(value))
        self.ob[key] = value

    def __delitem__(self, key):
        del self.ob[key]


class _Formatter(string.Formatter):
    """``str.format`` with guarded field access and bounded output."""

    def __init__(self, budget: Budget):
        self.budget, self.total = budget, 0

    def get_field(self, field_name, args, kwargs):
        first, rest = _string.formatter_field_name_split(field_name)
        obj = self.get_value(first, args, kwargs)
        for is_attr, key in rest:
            obj = self.budget.getattr(obj, key) if is_attr else self.budget.getitem(obj, key)
        return obj, first

    def convert_field(self, value, conversion):
        self.budget.check(estimate(value, self.budget.max_seq))
        return super().convert_field(value, conversion)

    def format_field(self, value, format_spec):
        self.total += estimate(value, self.budget.max_seq) + spec_cost(format_spec)
        self.budget.check(self.total)
        return format(value, format_spec)


def _pad(b, ob, attr, width, *rest):
    b.size(max(len(ob), width if isinstance(width, int) else 0), 1)
    return attr(width, *rest)


def _expandtabs(b, ob, attr, tabsize=8):
    if isinstance(tabsize, int):
        b.size(len(ob) + ob.count("\t" if isinstance(ob, str) else b"\t") * max(tabsize, 0), 1)
    return attr(tabsize)


def _replace(b, ob, attr, old, new, count=-1):
    n = (ob.count(old) if len(old) else len(ob) + 1) if isinstance(old, type(ob)) else 0
    n = min(n, count) if isinstance(count, int) and count >= 0 else n
    b.size(len(ob) + n * max(len(new) - len(old), 0) if isinstance(new, type(ob)) else len(ob), 1)
    return attr(old, new, count)


def _join(b, ob, attr, iterable):
    items = list(iterable)
    b.size(sum(len(x) for x in items if isinstance(x, (str, bytes, bytearray))) + len(ob) * max(len(items) - 1, 0), 1)
    return attr(items)


def _translate(b, ob, attr, table, *rest):
    values = table.values() if isinstance(table, dict) else table if isinstance(table, (list, tuple)) else ()
    b.size(len(ob) * max([len(v) for v in values if isinstance(v, str)] or [1]), 1)
    return attr(table, *rest)


def _format(b, ob, attr, *args, **kwargs):
    if not isinstance(ob, str):
        return attr(*args, **kwargs)
    result = _Formatter(b).vformat(ob, args, kwargs)
    b.charge(len(result), 1)
    return result


def _format_map(b, ob, attr, mapping):
    return _format(b, ob, attr, **mapping) if isinstance(ob, str) else attr(mapping)


def _to_bytes(b, ob, attr, length=1, *args, **kwargs):
    b.size(length if isinstance(length, int) else 0, 1)
    return attr(length, *args, **kwargs)


def _grow(b, ob, attr, *args, **kwargs):
    before = len(ob)
    result = attr(*args, **kwargs)
    b.check(len(ob))
    b.charge(max(len(ob) - before, 0))
    return result


def _produce(b, ob, attr, *args, **kwargs):
    result = attr(*args, **kwargs)
    if isinstance(result, CONTAINERS):
        b.size(len(result), unit(result))
    return result


# method name -> guard(budget, object, bound method, *args, **kwargs)
METHOD_GUARDS = {"center": _pad, "ljust": _pad, "rjust": _pad, "zfill": _pad, "expandtabs": _expandtabs,
                 "replace": _replace, "join": _join, "translate": _translate, "format": _format,
                 "format_map": _format_map, "to_bytes": _to_bytes, **dict.fromkeys(_GROWERS, _grow),
                 **dict.fromkeys(_PRODUCERS, _produce)}
