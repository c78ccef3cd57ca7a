"""The Jinja environment papers are rendered in: Jinja's immutable sandbox, undefined names as errors, values
escaped, plus bounds a supervisor's template cannot get past: a time budget per rendering (checked at every
attribute access, call and operator), ``range`` of at most 1000 items, no ``lipsum``, ``*`` and ``**`` that
cannot build huge values, and at most 2 MB of output."""

import threading
import time
from contextlib import contextmanager

from jinja2 import StrictUndefined
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

MAX_SECONDS = 5.0
MAX_RANGE = 1000
MAX_SEQUENCE = 100_000  # characters or items a * may build
MAX_OUTPUT = 2 * 1024 * 1024
_state = threading.local()


@contextmanager
def budget(seconds: float | None = None):
    """Renderings inside run against one deadline (``MAX_SECONDS`` from now unless told)."""
    previous = getattr(_state, "deadline", None)
    _state.deadline = time.monotonic() + (MAX_SECONDS if seconds is None else seconds)
    try:
        yield
    finally:
        _state.deadline = previous


def _tick() -> None:
    deadline = getattr(_state, "deadline", None)
    if deadline is not None and time.monotonic() > deadline:
        raise SecurityError("模板运行超时（循环过多）(the template took too long)")


def _range(*args):
    r = range(*args)
    if len(r) > MAX_RANGE:
        raise SecurityError(f"range 最多 {MAX_RANGE} 项 (range is limited to {MAX_RANGE} items)")
    _tick()
    return r


class PaperEnvironment(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset(["*", "**"])

    def getattr(self, obj, attribute):
        _tick()
        return super().getattr(obj, attribute)

    def getitem(self, obj, argument):
        _tick()
        return super().getitem(obj, argument)

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - Jinja's own signature
        _tick()
        return super().call(__context, __obj, *args, **kwargs)

    def call_binop(self, context, operator, left, right):
        _tick()
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(n, int) and len(seq) * n > MAX_SEQUENCE:
                    raise SecurityError("模板生成的内容过大 (the value would be too large)")
        if operator == "**" and (not isinstance(right, (int, float)) or abs(right) > 64 or
                                 (isinstance(left, (int, float)) and abs(left) > 10**6)):
            raise SecurityError("乘方过大 (the power is too large)")
        return super().call_binop(context, operator, left, right)


def make_env(filters: dict) -> PaperEnvironment:
    env = PaperEnvironment(autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals.pop("lipsum", None)
    env.globals["range"] = _range
    env.filters.update(filters)
    return env


def render(env: PaperEnvironment, text: str, context: dict) -> str:
    """The template rendered within the time budget and the output limit."""
    with budget():
        parts, size = [], 0
        for chunk in env.from_string(text).generate(**context):
            size += len(chunk)
            if size > MAX_OUTPUT:
                raise SecurityError("模板生成的内容过大 (the paper would be too large)")
            _tick()
            parts.append(chunk)
        return "".join(parts)
