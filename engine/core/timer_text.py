"""BPMN timer text as the supervisor wrote it -> the Python SpiffWorkflow evaluates.

A timer (timeDate / timeDuration / timeCycle) may be written

* as plain ISO 8601, unquoted, as Camunda Modeler and other tools write it: ``PT1H``, ``P30D``,
  ``R3/PT10M``, ``2027-01-10T09:00:00+08:00`` -> the quoted string SpiffWorkflow wants;
* the office's way: ``20 个工作日``, ``30 日``, ``48 小时``, ``3 个月``, from now, or from a case date held in a
  workflow variable: ``received_on + 15 日``, ``自 received_on 起 15 日``, ``自受理之日起 60 日`` -> a timeDate
  ``due("15 日", received_on)`` (the sandbox function, counted by the office calendar);
* as Python (``"P30D"``, ``add_days(15)``, ``due("20 个工作日")``, ``a if b else c``): left alone.

Anything that looks like a duration but cannot be read raises DurationError (Chinese and English text).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from engine.core.durations import (
    ISO_LIKE,
    KIND_ZH,
    Duration,
    DurationError,
    IsoTimer,
    normal,
    parse,
    parse_iso,
    parse_office,
)

# The case dates a timer may count from, by their Chinese names (see the case_dates design).
CASE_DATES = {
    "收到日期": "received_on", "来访日期": "received_on", "收到之日": "received_on", "来访之日": "received_on",
    "受理日期": "accepted_on", "受理之日": "accepted_on",
    "申请日期": "applied_on", "申请之日": "applied_on",
    "协议生效日期": "agreement_effective_on", "协议生效之日": "agreement_effective_on",
    "告知书送达日期": "notice_served_on", "告知书送达之日": "notice_served_on",
    "处理意见书收到日期": "opinion_received_on", "收到处理意见书之日": "opinion_received_on",
    "复查申请日期": "review_applied_on", "复核申请日期": "recheck_applied_on",
    "知道或应当知道权利被侵害之日": "knew_on",
}

_FROM = [  # "received_on + 15 日", "自 received_on 起 15 日", "received_on 起 15 日", "自受理之日起 60 日"
    re.compile(r"^(?P<start>[A-Za-z_][A-Za-z0-9_]*)\+(?P<d>.+)$"),
    re.compile(r"^自?(?P<start>[A-Za-z_][A-Za-z0-9_]*|[\u4e00-\u9fff]+?)起(?P<d>.+)$"),
]
TIMER_KINDS = {"timeDate": "date", "timeDuration": "duration", "timeCycle": "cycle"}
# Sandbox functions by what they give (engine.spiff.scripting): a date-time, or a duration.
DATE_FUNCTIONS = frozenset({"add_workdays", "add_days", "add_days_from", "years_after", "due", "datetime", "date"})
DURATION_FUNCTIONS = frozenset({"timedelta"})


@dataclass(frozen=True)
class TimerRewrite:
    """What a timer becomes for SpiffWorkflow: the element (timeDate/timeDuration/timeCycle) and its Python."""

    part: str
    expression: str


def _office_with_start(text: str) -> tuple[Duration, str | None]:
    norm = normal(text)
    for pattern in _FROM:
        m = pattern.match(norm)
        if m:
            start = m["start"]
            start = CASE_DATES.get(start, start)
            if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", start):
                raise DurationError(m["start"], "start")
            return parse_office(m["d"]), start
    return parse_office(text), None


def _string_literal(text: str) -> str | None:
    try:
        node = ast.parse(text.strip(), mode="eval").body
    except (SyntaxError, ValueError):
        return None
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _looks_like_python(text: str) -> bool:
    """Whether ``text`` is an expression to leave alone (a call, a name, a conditional …)."""
    if re.search(r"[\u3000-\u9fff]", text) and not re.search(r"[\"'(]", text):
        return False  # bare Chinese: the office's way, not Python
    if ISO_LIKE.match(text.strip()):
        return False
    try:
        ast.parse(text.strip(), mode="eval")
    except (SyntaxError, ValueError):
        return False
    return True


def rewrite_timer(part: str, text: str) -> TimerRewrite | None:
    """How a timer's ``text`` in ``part`` (timeDate | timeDuration | timeCycle) is given to SpiffWorkflow.

    None: already a Python expression (a quoted ISO string, ``add_days(15)``, a variable …), left alone;
    a quoted office-way duration or a malformed quoted value is treated as if written bare. A TimerRewrite: a quoted ISO string, or
    ``due("20 个工作日")`` / ``due("15 日", received_on)`` in a timeDate. DurationError: a malformed value.
    """
    raw = (text or "").strip()
    literal = _string_literal(raw)
    value = literal if literal is not None else raw
    if literal is None and _looks_like_python(raw):
        _check_due_calls(raw)
        _check_kind(part, raw)
        return None
    want = TIMER_KINDS[part]
    iso = parse_iso(value)
    if iso is not None:
        if iso.kind != want:
            raise DurationError(value, "wrong_kind", part=part, want=want, want_zh=KIND_ZH[want], kind=iso.kind,
                                kind_zh=KIND_ZH[iso.kind])
        if literal is not None:
            return None  # already the quoted string SpiffWorkflow wants
        return TimerRewrite(part, f'"{iso.text}"')
    if ISO_LIKE.match(value):
        raise DurationError(value)
    if want == "cycle":
        raise DurationError(value, "cycle")
    duration, start = _office_with_start(value)
    args = f'"{duration.text}"' + (f", {start}" if start else "")
    return TimerRewrite("timeDate", f"due({args})")


def _check_due_calls(src: str) -> None:
    """A ``due("…")`` call with a literal duration must be one that can be read."""
    try:
        tree = ast.parse(src, mode="eval")
    except (SyntaxError, ValueError):
        return
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "due"
                and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            parsed = parse(node.args[0].value)
            if isinstance(parsed, IsoTimer) and parsed.kind != "duration":
                raise DurationError(node.args[0].value)


def _results(node: ast.AST) -> list[ast.AST]:
    """The sub-expressions whose value a timer expression may take (both arms of ``a if b else c``, ``a or b``)."""
    if isinstance(node, ast.IfExp):
        return _results(node.body) + _results(node.orelse)
    if isinstance(node, ast.BoolOp):
        return [r for v in node.values for r in _results(v)]
    return [node]


def _check_kind(part: str, src: str) -> None:
    """A Python timer must give what its slot needs: no date function in a duration or cycle slot, no
    ``timedelta`` in a date slot, and each quoted value it may give readable and of the slot's kind."""
    try:
        tree = ast.parse(src.strip(), mode="eval")
    except (SyntaxError, ValueError):
        return
    want = TIMER_KINDS[part]
    for node in _results(tree.body):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            fn = node.func.id
            if fn in DATE_FUNCTIONS and want != "date":
                raise DurationError(src.strip(), "date_in_duration", fn=fn, part=part)
            if fn in DURATION_FUNCTIONS and want == "date":
                raise DurationError(src.strip(), "duration_in_date", fn=fn)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            iso = parse_iso(node.value)
            if iso is None and ISO_LIKE.match(node.value.strip()):
                raise DurationError(node.value)
            if iso is not None and iso.kind != want:
                raise DurationError(node.value, "wrong_kind", part=part, want=want, want_zh=KIND_ZH[want],
                                    kind=iso.kind, kind_zh=KIND_ZH[iso.kind])
