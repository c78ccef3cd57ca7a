"""The per-call ``Budget``: step, time and size counters plus the guarded helpers bound to them.

Compiled user code calls these helpers under the global names listed in ``BUDGET_NAMES``
(operators, attribute and item access, iteration, and the builtins that build containers).
"""

from __future__ import annotations

import operator
import re
import sys
import time
from dataclasses import dataclass

from RestrictedPython.transformer import INSPECT_ATTRIBUTES

from engine.sandbox.errors import SandboxLimitExceeded, SandboxViolation
from engine.sandbox.methods import (
    CONTAINERS,
    GUARDED,
    HUGE,
    METHOD_GUARDS,
    ListWriter,
    estimate,
    num,
    spec_cost,
    unit,
)

MAX_INT_BITS = 100_000  # ints produced by *, ** and <<
TOTAL_FACTOR = 64  # data produced by one call: at most TOTAL_FACTOR * max_sequence bytes (estimated)


@dataclass(frozen=True)
class Limits:
    max_steps: int = 200_000
    max_seconds: float = 2.0
    max_sequence: int = 1_000_000
    max_result_bytes: int = 1_000_000  # what a script leaves in task data, or an expression returns, as stored


DEFAULT_LIMITS = Limits()

_SEQ = (str, bytes, bytearray, list, tuple)
_TYPE_BLOCKED = frozenset({"mro", "fromkeys", "maketrans", "register"})
_PCT = re.compile(r"%(?:\([^)]*\))?[#0 +\-]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?(.)", re.S)
_CONVERT = {115: str, 114: repr, 97: ascii}
_GUARDED_IOPS = {"+=": "add", "*=": "mul", "**=": "pow", "<<=": "lshift", "%=": "mod"}
_IOPS = {"-=": operator.isub, "/=": operator.itruediv, "//=": operator.ifloordiv, ">>=": operator.irshift,
         "|=": operator.ior, "^=": operator.ixor, "&=": operator.iand, "@=": operator.imatmul}


class Budget:
    """Per-call counters and the guarded helpers bound to them (never shared between calls)."""

    def __init__(self, limits: Limits):
        self.max_steps, self.max_seq = limits.max_steps, limits.max_sequence
        self.max_total = TOTAL_FACTOR * limits.max_sequence
        self.max_seconds = limits.max_seconds
        self.deadline = time.monotonic() + limits.max_seconds
        self.steps = self.produced = 0
        self.stopped: str | None = None

    def stop(self, reason: str):
        self.stopped = self.stopped or reason  # sticky: catching the error does not reset it
        raise SandboxLimitExceeded(self.stopped)

    def tick(self) -> None:
        self.steps += 1
        if self.stopped:
            self.stop(self.stopped)
        if self.steps > self.max_steps:
            self.stop(f"step limit exceeded ({self.max_steps:,} loop iterations and calls)")
        if not self.steps & 7 and time.monotonic() > self.deadline:
            self.stop(f"time limit exceeded ({self.max_seconds:g} s)")

    def handler(self) -> None:
        """Tick at the top of ``except`` blocks; recursion and memory errors cannot be swallowed."""
        exc = sys.exc_info()[1]
        if isinstance(exc, (RecursionError, MemoryError)):
            self.stop("recursion too deep" if isinstance(exc, RecursionError) else "out of memory")
        self.tick()

    def check(self, n: int) -> None:
        if n > self.max_seq:
            shown = f"{n:,} items, " if n < HUGE // 2 else ""
            self.stop(f"value too large ({shown}limit {self.max_seq:,})")

    def charge(self, n: int, unit: int = 8) -> None:
        """Account for ``n`` new items (``unit`` bytes each: 1 for text, 8 for containers)."""
        self.produced += n * unit
        if self.produced > self.max_total:
            self.stop(f"too much data produced (limit about {self.max_total // 1_000_000:,} MB)")
        if n > 10_000 and time.monotonic() > self.deadline:
            self.stop(f"time limit exceeded ({self.max_seconds:g} s)")

    def size(self, n: int, unit: int = 8) -> None:
        self.check(n)
        self.charge(n, unit)

    def int_bits(self, bits: int) -> None:
        if bits > MAX_INT_BITS:
            self.stop(f"number too large (about {bits:,} bits, limit {MAX_INT_BITS:,})")

    # operators
    def add(self, a, b):
        if isinstance(a, _SEQ) and isinstance(b, _SEQ):
            self.size(len(a) + len(b), unit(a))
        return a + b

    def mul(self, a, b):
        if isinstance(a, int) and isinstance(b, int):
            self.int_bits(a.bit_length() + b.bit_length())
        elif isinstance(a, _SEQ) and isinstance(b, int):
            self.size(len(a) * b, unit(a))
        elif isinstance(b, _SEQ) and isinstance(a, int):
            self.size(len(b) * a, unit(b))
        return a * b

    def pow(self, a, b):
        if isinstance(a, int) and isinstance(b, int) and b > 0 and a not in (0, 1, -1):
            self.int_bits(a.bit_length() * b)
        return a**b

    def lshift(self, a, b):
        if isinstance(a, int) and isinstance(b, int) and a:
            self.int_bits(a.bit_length() + b)
        return a << b

    def mod(self, a, b):
        if isinstance(a, (str, bytes)):
            fmt = a if isinstance(a, str) else a.decode("latin-1")
            specs = [(w, p) for w, p, conv in _PCT.findall(fmt) if conv != "%"]
            if specs:
                arg = estimate(b, self.max_seq)
                self.size(len(fmt) + sum(num(w) + num(p) + arg for w, p in specs), 1)
        return a % b

    def inplace(self, op: str, a, b):
        if op == "+=" and isinstance(a, list):  # keep in-place semantics: aliases see the change
            self.check(len(a) + (len(b) if hasattr(b, "__len__") else 0))
            result = operator.iadd(a, b)
            self.size(len(result))
            return result
        guarded = _GUARDED_IOPS.get(op)
        return getattr(self, guarded)(a, b) if guarded else _IOPS[op](a, b)

    def augitem(self, ob, key, op: str, value) -> None:
        self.write(ob)[key] = self.inplace(op, self.getitem(ob, key), value)

    # f-strings and starred arguments
    def fmt(self, value, conversion: int, spec: str | None) -> str:
        self.check(estimate(value, self.max_seq) + spec_cost(spec))
        if conversion in _CONVERT:
            value = _CONVERT[conversion](value)
        return format(value, spec or "")

    def fjoin(self, *parts: str) -> str:
        self.size(sum(map(len, parts)), 1)
        return "".join(parts)

    def star(self, ob):
        items = ob if isinstance(ob, (list, tuple)) else list(ob)
        self.size(len(items))
        return items

    # access guards
    def getattr(self, ob, name: str):
        if not isinstance(name, str) or name.startswith("_") or name in INSPECT_ATTRIBUTES:
            raise SandboxViolation(f'attribute "{name}" is not allowed')
        if isinstance(ob, type) and name in _TYPE_BLOCKED:
            raise AttributeError(f"'{ob.__name__}.{name}' is not available")
        attr = getattr(ob, name)
        guard = METHOD_GUARDS.get(name) if isinstance(ob, GUARDED) else None
        if guard is None:
            return attr

        def guarded(*args, **kwargs):
            return guard(self, ob, attr, *args, **kwargs)

        return guarded

    def getitem(self, ob, key):
        if type(key) is slice:
            result = ob[key]
            if isinstance(result, CONTAINERS):
                self.charge(len(result), unit(result))
            return result
        return ob[key]

    def write(self, ob):
        if isinstance(ob, list):
            return ListWriter(ob, self)
        if isinstance(ob, dict):
            return ob
        raise TypeError(f"'{type(ob).__name__}' object cannot be modified")

    def getiter(self, ob):
        tick = self.tick
        for item in ob:
            tick()
            yield item

    # builtins that need the budget
    def b_iter(self, ob, *sentinel):
        return self.getiter(iter(ob, *sentinel))

    def b_range(self, *args):
        r = range(*args)
        try:
            self.check(len(r))
        except OverflowError:
            self.stop(f"range too large (limit {self.max_seq:,} items)")
        return r

    def _sized_result(self, result):
        self.size(len(result), unit(result))
        return result

    def b_list(self, iterable=()):
        return self._sized_result(list(iterable))

    def b_tuple(self, iterable=()):
        return self._sized_result(tuple(iterable))

    def b_set(self, iterable=()):
        return self._sized_result(set(iterable))

    def b_dict(self, *args, **kwargs):
        return self._sized_result(dict(*args, **kwargs))

    def b_sorted(self, iterable, *, key=None, reverse=False):
        return self._sized_result(sorted(iterable, key=key, reverse=reverse))

    def b_str(self, obj="", *args, **kwargs):
        if not args and not kwargs:
            self.size(estimate(obj, self.max_seq), 1)
        return str(obj, *args, **kwargs)


# global name seen by user code -> Budget attribute
BUDGET_NAMES = {
    "_tick_": "tick", "_handler_": "handler", "_getiter_": "getiter", "_getattr_": "getattr", "_getitem_": "getitem",
    "_write_": "write", "_inplacevar_": "inplace", "_augitem_": "augitem", "_add_": "add", "_mul_": "mul",
    "_pow_": "pow", "_lshift_": "lshift", "_mod_": "mod", "_fmt_": "fmt", "_fjoin_": "fjoin",
    "_star_": "star", "iter": "b_iter", "range": "b_range", "list": "b_list", "tuple": "b_tuple",
    "set": "b_set", "dict": "b_dict", "sorted": "b_sorted", "str": "b_str",
}
