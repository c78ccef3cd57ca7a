"""Plain conditions evaluated in the server's own process: ``amount >= 10000``, ``a == "x" and not b``.

Every expression normally goes to a supervised child process (``engine.spiff.isolated``), because some work
cannot be stopped inside a process. A gateway condition that only compares task-data scalars with constants
cannot do such work: it is read here by walking its syntax tree (nothing is compiled or run), and only when
each of its parts is one of the few below and each name holds a number, a short string, a bool or None.
Anything else (a call, an attribute, a subscript, ``in``, a missing name, a list in the data, an error such
as comparing a string with a number) answers ``UNSURE`` and the expression goes to the sandbox as before,
so the results and the errors the sandbox gives stay the only ones.

``run`` does the same for what the sandbox child would be sent (``engine.spiff.isolated``): an expression
with an external context of scalars (a DMN cell: ``dmninputexpr in ("contract", "labour")``), a script that
only assigns plain expressions to names (``key_case = risk_level == "red" or group_case``), and the timer
helpers ``add_workdays(n)`` / ``add_days(n)`` with a small whole number, computed by the calendar and the
time the child would be given. Every source must also pass the sandbox's own compile policy unchanged.
"""

import ast
from decimal import Decimal
from functools import lru_cache

from engine.sandbox.budget import BUDGET_NAMES
from engine.sandbox.errors import SandboxError
from engine.sandbox.policy import FORBIDDEN_NAMES, _compile
from engine.sandbox.size import stored_size

UNSURE = object()
MAX_STR = 1000  # a longer string in the data: the sandbox compares it
_SCALARS = (int, float, bool, str, Decimal, type(None))
_MEMBER = {ast.In: lambda a, b: a in b, ast.NotIn: lambda a, b: a not in b}
# names the sandbox gives the code (engine.spiff.scripting._deadline_functions): never read from the data
FUNCTION_NAMES = frozenset({"add_workdays", "add_days", "add_days_from", "years_after", "due", "timedelta", "date",
                            "datetime", "Decimal"})
_CALLS = {"add_workdays": "add_workdays", "add_days": "add_days"}  # helper: the calendar's method, f(now, n)
MAX_DAYS = 3660  # add_workdays(n) in-process only for 0 <= n <= this (bounded work)
MAX_SCRIPT = 2000
_RESERVED = FUNCTION_NAMES | FORBIDDEN_NAMES | BUDGET_NAMES.keys() | {"print"}
_COMPARE = {ast.Eq: lambda a, b: a == b, ast.NotEq: lambda a, b: a != b, ast.Lt: lambda a, b: a < b,
            ast.LtE: lambda a, b: a <= b, ast.Gt: lambda a, b: a > b, ast.GtE: lambda a, b: a >= b,
            ast.Is: lambda a, b: a is b, ast.IsNot: lambda a, b: a is not b}


class _Unsure(Exception):
    pass


def _scalar_const(node) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, _SCALARS) and not (
        isinstance(node.value, str) and len(node.value) > MAX_STR)


def _readable(node) -> bool:
    """Whether every node under ``node`` is one this module reads."""
    if isinstance(node, ast.Name):
        return isinstance(node.ctx, ast.Load) and not node.id.startswith("_") and node.id not in _RESERVED
    if isinstance(node, ast.Constant):
        return _scalar_const(node)
    if isinstance(node, ast.Compare):
        if any(type(op) in _MEMBER for op in node.ops):  # x in ("a", "b"): one test against constants
            right = node.comparators[0]
            return (len(node.ops) == 1 and isinstance(right, ast.Tuple | ast.List)
                    and all(_scalar_const(e) for e in right.elts) and _readable(node.left))
        return all(type(op) in _COMPARE for op in node.ops) and all(
            _readable(n) for n in (node.left, *node.comparators))
    if isinstance(node, ast.UnaryOp):
        return isinstance(node.op, ast.Not | ast.USub) and _readable(node.operand)
    if isinstance(node, ast.BoolOp):
        return all(_readable(v) for v in node.values)
    if isinstance(node, ast.Call):  # add_workdays(5): checked again with the values when run
        return (isinstance(node.func, ast.Name) and node.func.id in _CALLS and not node.keywords
                and len(node.args) == 1 and _scalar_const(node.args[0]))
    return False


@lru_cache(maxsize=512)
def _tree(expression: str):
    """The expression's tree when every node is one this module reads, else None."""
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    return tree.body if _readable(tree.body) else None


@lru_cache(maxsize=512)
def _assignments(script: str):
    """((name, tree), ...) when the script only assigns readable expressions to plain names, else None."""
    if len(script) > MAX_SCRIPT:
        return None
    try:
        tree = ast.parse(script, mode="exec")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    out = []
    for stmt in tree.body:
        if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)):
            return None
        name = stmt.targets[0].id
        if name.startswith("_") or name in _RESERVED or not _readable(stmt.value):
            return None
        out.append((name, stmt.value))
    return tuple(out)


def _value(node, data: dict, helpers=None):
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        if node.id not in data:
            raise _Unsure
        value = data[node.id]
        if not isinstance(value, _SCALARS) or (isinstance(value, str) and len(value) > MAX_STR):
            raise _Unsure
        return value
    if isinstance(node, ast.BoolOp):
        value = None
        for part in node.values:
            value = _value(part, data, helpers)
            if (not value) if isinstance(node.op, ast.Or) else value:
                continue
            return value
        return value
    if isinstance(node, ast.UnaryOp):
        value = _value(node.operand, data, helpers)
        if isinstance(node.op, ast.Not):
            return not value
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            raise _Unsure
        return -value
    if isinstance(node, ast.Call):
        n = node.args[0].value
        if helpers is None or node.func.id in data or type(n) is not int or not 0 <= n <= MAX_DAYS:
            raise _Unsure
        now, calendar = helpers
        return getattr(calendar, _CALLS[node.func.id])(now, n).isoformat()
    left = _value(node.left, data, helpers)  # ast.Compare, chained as Python does
    if type(node.ops[0]) in _MEMBER:
        return _MEMBER[type(node.ops[0])](left, tuple(e.value for e in node.comparators[0].elts))
    for op, right_node in zip(node.ops, node.comparators, strict=True):
        right = _value(right_node, data, helpers)
        if not _COMPARE[type(op)](left, right):
            return False
        left = right
    return True


def evaluate(expression: str, data: dict):
    """The value of a plain condition over ``data``, or ``UNSURE`` (then the sandbox evaluates it)."""
    if not isinstance(expression, str) or len(expression) > MAX_STR:
        return UNSURE
    tree = _tree(expression)
    if tree is None:
        return UNSURE
    try:
        return _value(tree, data)
    except (_Unsure, TypeError, ArithmeticError):
        return UNSURE


def _policy_allows(mode: str, src: str) -> bool:
    """The sandbox would compile it as it is, with none of its budget helpers (it is cached there)."""
    try:
        return not _compile(mode, src)[1]
    except SandboxError:
        return False


def run(op: str, src: str, context: dict, external: dict | None, now, calendar, max_bytes: int):
    """What the sandbox child would answer to (``op`` "eval": the value; "exec": the new context), or
    ``UNSURE`` when the source or the data is not plain (then the child runs it)."""
    if not isinstance(src, str) or calendar is None:
        return UNSURE
    if op == "eval":
        tree = _tree(src) if len(src) <= MAX_STR else None
        steps = None if tree is None else (("", tree),)
    else:
        steps = _assignments(src)
    if not steps or not _policy_allows(op, src):
        return UNSURE
    external = external or {}
    data = {k: v for k, v in context.items() if k not in FUNCTION_NAMES}  # the sandbox: context < functions
    data.update(external)  # < the external context
    assigned = {}
    try:
        for name, tree in steps:
            if name in external:
                return UNSURE
            value = _value(tree, data, (now, calendar))
            data[name] = assigned[name] = value
        result = value if op == "eval" else {**context, **assigned}
        stored_size(result, max_bytes)
    except (_Unsure, TypeError, ArithmeticError, SandboxError):
        return UNSURE
    return result
