"""Compile every expression and script of a model in the sandbox (``engine.sandbox``)."""

from __future__ import annotations

from engine.core.durations import DurationError
from engine.core.timer_text import rewrite_timer

from ._common import BPMN_NS, SPIFF_NS, is_bpmn, local, ns, owner_id, problem, short
from .nodes import SUPPORTED_ELEMENTS, UNSUPPORTED_ELEMENTS

_FLOW_ELEMENTS = SUPPORTED_ELEMENTS | set(UNSUPPORTED_ELEMENTS) | {"sequenceFlow"}

# BPMN elements whose text is a Python expression, with the name used in messages.
_BPMN_EXPRESSIONS = {
    "conditionExpression": "condition",
    "condition": "condition",
    "loopCondition": "loop condition",
    "loopCardinality": "loop cardinality",
    "completionCondition": "completion condition",
    "formalExpression": "correlation expression",
    "messagePath": "correlation expression",
}
_TIMER_PARTS = ("timeDate", "timeDuration", "timeCycle")
# SpiffWorkflow extension elements: name -> (label, is a script)
_SPIFF_CODE = {
    "preScript": ("preScript", True),
    "postScript": ("postScript", True),
    "messagePayload": ("message payload", False),
    "payloadExpression": ("payload expression", False),
    "expression": ("correlation expression", False),
}


def compile_error(src: str, script: bool = False) -> str | None:
    """Why ``src`` does not compile in the sandbox, or None if it does."""
    from engine import sandbox  # imported late: written alongside this module

    check = sandbox.check_script if script else sandbox.check_expression
    try:
        check(src)
    except sandbox.SandboxViolation as err:
        reason, line = str(err), getattr(err, "lineno", None)
    except SyntaxError as err:
        reason, line = f"syntax error: {err.msg}", err.lineno
    except (ValueError, TypeError, RecursionError, MemoryError) as err:
        reason, line = f"{type(err).__name__}: {err}", None
    else:
        return None
    if line and f"line {line}" not in reason:
        reason = f"{reason} (line {line})"
    return reason


def flow_owner(el) -> str | None:
    """Id of the flow node or sequence flow holding ``el`` (else the nearest id)."""
    cur = el
    while cur is not None:
        if ns(cur) == BPMN_NS and local(cur) in _FLOW_ELEMENTS and cur.get("id"):
            return short(cur.get("id"))
        cur = cur.getparent()
    return owner_id(el)


def check_code(problems: list, file: str, el, label: str, src: str, script: bool = False) -> None:
    """Append '<label> does not compile: <reason>' if ``src`` is refused."""
    reason = compile_error(src, script)
    if reason is not None:
        problems.append(problem(f"{label} does not compile: {reason}", file, el, flow_owner(el)))


def check_bpmn_tree(problems: list, file: str, top) -> None:
    """Check the expressions/scripts in ``top`` and all its descendants."""
    for el in top.iter():
        if not isinstance(el.tag, str):
            continue
        name, space = local(el), ns(el)
        if space == BPMN_NS:
            _check_bpmn_element(problems, file, el, name)
        elif space == SPIFF_NS and name in _SPIFF_CODE and el.text and el.text.strip():
            label, script = _SPIFF_CODE[name]
            check_code(problems, file, el, label, el.text, script)


def _check_bpmn_element(problems: list, file: str, el, name: str) -> None:
    if name in _BPMN_EXPRESSIONS:
        parent = el.getparent()
        if name == "formalExpression" and local(parent) != "correlationPropertyRetrievalExpression":
            return  # formalExpression is also the type of other elements; those are checked by name
        if el.text and el.text.strip():
            check_code(problems, file, el, _BPMN_EXPRESSIONS[name], el.text)
    elif name == "scriptTask":
        scripts = [c for c in el if is_bpmn(c, "script")]
        fmt = (el.get("scriptFormat") or "python").lower()
        if "python" not in fmt:
            problems.append(problem(f"script format '{el.get('scriptFormat')}' is not supported (use python)",
                                    file, el, flow_owner(el)))  # fmt: skip
        if not scripts or not (scripts[0].text or "").strip():
            problems.append(problem("script task has no script", file, el, flow_owner(el)))
        else:
            check_code(problems, file, scripts[0], "script", scripts[0].text, script=True)
    elif name == "timerEventDefinition":
        parts = [c for c in el if is_bpmn(c) and local(c) in _TIMER_PARTS]
        if not parts:
            problems.append(
                problem("timer has no timeDate, timeDuration or timeCycle", file, el, flow_owner(el))
            )
        for part in parts:
            text = (part.text or "").strip()
            if not text:
                problems.append(
                    problem(f"timer {local(part)} expression is empty", file, part, flow_owner(part))
                )
            else:
                _check_timer(problems, file, part, text)


def _check_timer(problems: list, file: str, part, text: str) -> None:
    """A timer written as plain ISO 8601, the office's way ("20 个工作日") or as Python."""
    try:
        change = rewrite_timer(local(part), text)
    except DurationError as err:
        problems.append(problem(f"timer {local(part)}: {err.en}", file, part, flow_owner(part)))
        return
    check_code(problems, file, part, "timer expression", change.expression if change else part.text)
