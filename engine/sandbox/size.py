"""The size of a value as it will be stored (JSON), shared structure expanded, counted with a cap.

``x = [x, x]`` thirty times is a handful of objects in memory but 2**30 items once serialised: the
walk counts what the serialiser will write (every reference expanded), stops as soon as the total
passes the limit, and refuses nesting deeper than the serialisers can follow. It never allocates
in proportion to the expanded size (a stack of iterators, one per level).
"""

from __future__ import annotations

from typing import Any

from engine.sandbox.errors import SandboxLimitExceeded

MAX_DEPTH = 100  # nesting levels kept in task data (the JSON encoders recurse per level)
_SCALAR = 24  # a float, a date or datetime ({"typename": ..., "value": ...}), a Decimal: about this much


def _text(s: str) -> int:
    return len(s) + 2 if s.isascii() else 3 * len(s) + 2


def too_large(limit: int, what: str = "script result") -> SandboxLimitExceeded:
    mb = f"{limit / 1_000_000:.3g}"
    return SandboxLimitExceeded(
        f"{what} too large to store (over {limit:,} bytes as saved, limit {mb} MB) / 脚本结果过大，无法保存（上限 {mb} MB）"
    )


def stored_size(value: Any, limit: int, what: str = "script result") -> int:
    """Bytes ``value`` takes once serialised, references expanded; ``SandboxLimitExceeded`` above ``limit``."""
    total = 0
    stack = [iter((value,))]
    while stack:
        for v in stack[-1]:
            t = type(v)
            if t is str:
                total += _text(v) + 1
            elif v is None or t is bool or t is float:
                total += 6
            elif t is int:
                total += v.bit_length() // 3 + 2
            elif t is dict:
                total += 2 + len(v)
                for k in v:
                    total += (_text(k) if type(k) is str else _SCALAR) + 1
                if total > limit:
                    raise too_large(limit, what)
                if v:
                    stack.append(iter(v.values()))
                    break
                continue
            elif t in (list, tuple, set, frozenset):
                total += 2 + len(v)
                if total > limit:
                    raise too_large(limit, what)
                if v:
                    stack.append(iter(v))
                    break
                continue
            elif t in (bytes, bytearray):
                total += 4 * len(v) + 3
            else:
                total += _SCALAR
            if total > limit:
                raise too_large(limit, what)
        else:
            stack.pop()
            continue
        if len(stack) > MAX_DEPTH:
            raise SandboxLimitExceeded(
                f"{what} nested too deeply (limit {MAX_DEPTH} levels) / 脚本结果嵌套过深（上限 {MAX_DEPTH} 层）"
            )
    return total
