"""Running compiled user code: per-call globals, error translation and the public entry points."""

from __future__ import annotations

import types
from typing import Any

from engine.sandbox.budget import BUDGET_NAMES, DEFAULT_LIMITS, Budget, Limits
from engine.sandbox.errors import SandboxError, SandboxLimitExceeded, SandboxRuntimeError
from engine.sandbox.methods import estimate
from engine.sandbox.policy import FILENAME, _compile
from engine.sandbox.safe_builtins import SAFE_BUILTINS
from engine.sandbox.size import stored_size


def _globals(context: dict, functions: dict | None, needed: tuple[str, ...], limits: Limits | None):
    """Globals for one call: context < functions < budget helpers; returns (globals, injected, budget)."""
    g: dict[str, Any] = dict(context)
    injected: dict[str, Any] = dict(functions or {})
    budget = None
    if needed:
        budget = Budget(limits or DEFAULT_LIMITS)
        for name in needed:
            injected[name] = getattr(budget, BUDGET_NAMES[name])
    g.update(injected)
    g["__builtins__"] = SAFE_BUILTINS
    return g, injected, budget


def _user_line(tb) -> int | None:
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == FILENAME:
            line = tb.tb_lineno
        tb = tb.tb_next
    return line


def _one_line(text: str, limit: int = 300) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _translate_error(exc: BaseException, budget: Budget | None) -> SandboxError:
    line = _user_line(exc.__traceback__)
    where = f" (line {line})" if line else ""
    if budget is not None and budget.stopped:
        return SandboxLimitExceeded(budget.stopped + where, line)
    if isinstance(exc, SandboxError):
        return type(exc)(_one_line(str(exc)) + ("" if exc.lineno else where), exc.lineno or line)
    if isinstance(exc, RecursionError):
        return SandboxLimitExceeded("recursion too deep" + where, line)
    if isinstance(exc, MemoryError):
        return SandboxLimitExceeded("out of memory" + where, line)
    args = getattr(exc, "args", ())
    msg = str(exc) if estimate(args, 10_000) < 10_000 else "(message too long)"
    msg = f"{type(exc).__name__}: {msg}" if msg else type(exc).__name__
    return SandboxRuntimeError(_one_line(msg) + where, line)


def _run(code: types.CodeType, g: dict, budget: Budget | None):
    try:
        result = eval(code, g)  # noqa: S307 - restricted code object, guarded globals
    except Exception as exc:  # noqa: BLE001 - everything the user code raises is reported
        raise _translate_error(exc, budget) from None
    if budget is not None and budget.stopped:  # the user code swallowed a limit error
        raise SandboxLimitExceeded(budget.stopped)
    return result


def evaluate(src: str, context: dict, functions: dict | None = None, limits: Limits | None = None) -> Any:
    """Evaluate an expression against ``context`` (which is not modified)."""
    code, needed = _compile("eval", src)
    g, _, budget = _globals(context, functions, needed, limits)
    result = _run(code, g, budget)
    stored_size(result, (limits or DEFAULT_LIMITS).max_result_bytes, "expression result")
    return result


def execute(src: str, context: dict, functions: dict | None = None, limits: Limits | None = None) -> None:
    """Run a script; new and changed top-level variables are written back to ``context``.

    Helpers and ``functions`` are not written back, nor are functions the script defines.
    On error ``context`` is left as it was (except for in-place changes to mutable values).
    What the script leaves is refused when it would take more than ``limits.max_result_bytes`` once
    stored, shared structure expanded (``size.stored_size``).
    """
    code, needed = _compile("exec", src)
    g, injected, budget = _globals(context, functions, needed, limits)
    _run(code, g, budget)
    result = {k: v for k, v in context.items() if k in g}
    for key, value in g.items():
        if key.startswith("_") or (key in injected and value is injected[key]):
            continue
        if isinstance(value, types.FunctionType) and value.__globals__ is g:
            result.pop(key, None)
            continue
        result[key] = value
    stored_size(result, (limits or DEFAULT_LIMITS).max_result_bytes)
    context.clear()
    context.update(result)
