"""The ``__builtins__`` of user code: a small allow-list plus budget-aware stand-ins.

The container-building builtins (``list``, ``str``, ``range``...) are bound per call from the
``Budget``; ``isinstance`` maps those stand-ins back to the real types.
"""

from __future__ import annotations

import builtins
from typing import Any

from RestrictedPython.Guards import guarded_iter_unpack_sequence, guarded_unpack_sequence

from engine.sandbox.budget import Budget
from engine.sandbox.methods import CONTAINERS

_REAL_TYPES = {Budget.b_list: list, Budget.b_tuple: tuple, Budget.b_set: set, Budget.b_dict: dict,
               Budget.b_str: str, Budget.b_range: range}


def _real_type(cls):
    if isinstance(cls, tuple):
        return tuple(_real_type(c) for c in cls)
    return _REAL_TYPES.get(getattr(cls, "__func__", None), cls)


def _isinstance(obj, cls) -> bool:
    return isinstance(obj, _real_type(cls))


def _sum(iterable, start=0):
    if isinstance(start, CONTAINERS):
        raise TypeError("sum() can only add numbers")
    return sum(iterable, start)


def _print(*args, **kwargs) -> None:
    """``print`` is accepted and ignored."""


SAFE_BUILTINS: dict[str, Any] = {
    name: getattr(builtins, name)
    for name in ("len", "min", "max", "abs", "round", "any", "all", "int", "float", "bool", "enumerate", "zip",
                 "reversed", "next", "chr", "ord", "divmod", "callable", "True", "False", "None",
                 "Exception", "ValueError", "TypeError", "KeyError", "IndexError", "ZeroDivisionError",
                 "ArithmeticError", "LookupError", "AttributeError", "RuntimeError", "StopIteration")
}
SAFE_BUILTINS.update(sum=_sum, isinstance=_isinstance, _print_=_print, _apply_=lambda f, *a, **k: f(*a, **k),
                     _unpack_sequence_=guarded_unpack_sequence,
                     _iter_unpack_sequence_=guarded_iter_unpack_sequence)
