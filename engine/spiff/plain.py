"""Plain conditions evaluated in the server's own process: ``amount >= 10000``, ``a == "x" and not b``.

Every expression normally goes to a supervised child process (``engine.spiff.isolated``), because some work
cannot be stopped inside a process. A gateway condition that only compares task-data scalars with constants
cannot do such work: it is read here by walking its syntax tree (nothing is compiled or run), and only when
each of its parts is one of the few below and each name holds a number, a short string, a bool or None.
Anything else (a call, an attribute, a subscript, ``in``, a missing name, a list in the data, an error such
as comparing a string with a number) answers ``UNSURE`` and the expression goes to the sandbox as before,
so the results and the errors the sandbox gives stay the only ones.
"""

import ast
from decimal import Decimal
from functools import lru_cache

UNSURE = object()
MAX_STR = 1000  # a longer string in the data: the sandbox compares it
_SCALARS = (int, float, bool, str, Decimal, type(None))
_COMPARE = {ast.Eq: lambda a, b: a == b, ast.NotEq: lambda a, b: a != b, ast.Lt: lambda a, b: a < b,
            ast.LtE: lambda a, b: a <= b, ast.Gt: lambda a, b: a > b, ast.GtE: lambda a, b: a >= b,
            ast.Is: lambda a, b: a is b, ast.IsNot: lambda a, b: a is not b}


class _Unsure(Exception):
    pass


@lru_cache(maxsize=512)
def _tree(expression: str):
    """The expression's tree when every node is one this module reads, else None."""
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except (SyntaxError, ValueError):
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            if node.id.startswith("_") or not isinstance(node.ctx, ast.Load):
                return None
        elif isinstance(node, ast.Constant):
            if not isinstance(node.value, _SCALARS) or (isinstance(node.value, str) and len(node.value) > MAX_STR):
                return None
        elif isinstance(node, ast.Compare):
            if not all(type(op) in _COMPARE for op in node.ops):
                return None
        elif isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, ast.Not | ast.USub):
                return None
        elif not isinstance(node, ast.Expression | ast.BoolOp | ast.boolop | ast.cmpop | ast.unaryop | ast.Load):
            return None
    return tree.body


def _value(node, data: dict):
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
            value = _value(part, data)
            if (not value) if isinstance(node.op, ast.Or) else value:
                continue
            return value
        return value
    if isinstance(node, ast.UnaryOp):
        value = _value(node.operand, data)
        if isinstance(node.op, ast.Not):
            return not value
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            raise _Unsure
        return -value
    left = _value(node.left, data)  # ast.Compare, chained as Python does
    for op, right_node in zip(node.ops, node.comparators, strict=True):
        right = _value(right_node, data)
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
