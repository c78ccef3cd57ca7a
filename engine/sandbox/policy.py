"""Compile-time policy: the RestrictedPython transformer, its error messages and the compile cache.

The policy refuses imports, classes, generators, dangerous names and attribute writes, and
rewrites the code so that loops, calls, growth-prone operators, f-strings and starred arguments
go through the per-call ``Budget`` helpers.
"""

from __future__ import annotations

import ast
import functools
import re
import types

from RestrictedPython import compile_restricted_eval, compile_restricted_exec
from RestrictedPython.transformer import RestrictingNodeTransformer, copy_locations

from engine.sandbox.budget import BUDGET_NAMES
from engine.sandbox.errors import SandboxViolation

FILENAME = "<sandbox>"
MAX_SOURCE = 100_000  # characters of user source

FORBIDDEN_NAMES = frozenset({
    "exec", "eval", "compile", "open", "globals", "locals", "vars", "getattr", "setattr", "delattr",
    "hasattr", "__import__", "breakpoint", "input", "help", "dir", "type", "object", "super",
    "memoryview", "classmethod", "staticmethod", "property", "exit", "quit", "printed",
})


def _name(id_: str, like: ast.AST) -> ast.Name:
    node = ast.Name(id_, ast.Load())
    copy_locations(node, like)
    return node


def _call(func: str, args: list, like: ast.AST) -> ast.Call:
    node = ast.Call(func=_name(func, like), args=args, keywords=[])
    copy_locations(node, like)
    return node


def _tick_stmt(like: ast.AST, helper: str = "_tick_") -> ast.Expr:
    node = ast.Expr(_call(helper, [], like))
    copy_locations(node, like)
    return node


_BINOPS = {ast.Add: "_add_", ast.Mult: "_mul_", ast.Pow: "_pow_", ast.LShift: "_lshift_", ast.Mod: "_mod_"}
_AUG_STR = {ast.Add: "+=", ast.Sub: "-=", ast.Mult: "*=", ast.Div: "/=", ast.Mod: "%=", ast.Pow: "**=",
            ast.LShift: "<<=", ast.RShift: ">>=", ast.BitOr: "|=", ast.BitXor: "^=", ast.BitAnd: "&=",
            ast.FloorDiv: "//=", ast.MatMult: "@="}


class SandboxPolicy(RestrictingNodeTransformer):
    """RestrictedPython policy plus step ticks and guarded growth operations."""

    def visit_Import(self, node):
        self.error(node, "import is not allowed")

    visit_ImportFrom = visit_Import

    def visit_ClassDef(self, node):
        self.error(node, "class definitions are not allowed")

    def visit_Yield(self, node):
        self.error(node, "generators (yield) are not allowed")

    visit_YieldFrom = visit_Yield

    def visit_Name(self, node):
        if node.id in FORBIDDEN_NAMES:
            self.error(node, f'"{node.id}" is not allowed')
            return node
        if node.id == "print" and isinstance(node.ctx, ast.Load):
            return _name("_print_", node)
        return super().visit_Name(node)

    def visit_Call(self, node):
        if isinstance(node.func, ast.Name) and node.func.id in FORBIDDEN_NAMES:
            self.error(node, f'"{node.func.id}" is not allowed')
            return node
        return super().visit_Call(node)

    def visit_Attribute(self, node):
        if not isinstance(node.ctx, ast.Load):
            self.error(node, f'assigning or deleting attributes ("{node.attr}") is not allowed')
        return super().visit_Attribute(node)

    def visit_While(self, node):
        node = self.node_contents_visit(node)
        node.body.insert(0, _tick_stmt(node))
        return node

    def visit_FunctionDef(self, node):
        node = super().visit_FunctionDef(node)
        node.body.insert(0, _tick_stmt(node))
        return node

    def visit_Lambda(self, node):
        node = super().visit_Lambda(node)
        node.body = ast.BoolOp(op=ast.Or(), values=[_call("_tick_", [], node.body), node.body])
        copy_locations(node.body, node)
        return node

    def visit_ExceptHandler(self, node):
        node = super().visit_ExceptHandler(node)
        node.body.insert(0, _tick_stmt(node, "_handler_"))  # a caught limit error re-raises at once
        return node

    def visit_BinOp(self, node):
        node = self.node_contents_visit(node)
        helper = _BINOPS.get(type(node.op))
        return _call(helper, [node.left, node.right], node) if helper else node

    def visit_AugAssign(self, node):
        if not isinstance(node.target, ast.Subscript):
            return super().visit_AugAssign(node)
        target = node.target
        args = [self.visit(target.value), self.visit(target.slice),
                ast.Constant(_AUG_STR[type(node.op)]), self.visit(node.value)]
        new = ast.Expr(_call("_augitem_", args, node))
        copy_locations(new, node)
        return new

    def visit_Starred(self, node):
        node = self.node_contents_visit(node)
        if isinstance(node.ctx, ast.Load):
            node.value = _call("_star_", [node.value], node)
        return node

    def visit_JoinedStr(self, node):
        node = self.node_contents_visit(node)
        parts = []
        for part in node.values:
            if isinstance(part, ast.FormattedValue):
                spec = part.format_spec or ast.Constant(None)
                copy_locations(spec, part)
                part = _call("_fmt_", [part.value, ast.Constant(part.conversion), spec], part)
            parts.append(part)
        return _call("_fjoin_", parts, node)


_LINE = re.compile(r"^Line (\d+|None): (.*)$", re.S)
_SYNTAX = re.compile(r"^(\w+Error): (.*?)(?: at statement: .*)?$", re.S)


def _violation(errors) -> SandboxViolation:
    m = _LINE.match(errors[0])
    lineno, msg = (int(m.group(1)) if m.group(1).isdigit() else None, m.group(2)) if m else (None, errors[0])
    s = _SYNTAX.match(msg)
    msg = f"{s.group(1).replace('Error', ' error').lower()}: {s.group(2)}" if s else msg.rstrip(".")
    msg = " ".join(msg.split())
    return SandboxViolation(f"{msg} (line {lineno})" if lineno else msg, lineno)


def _names(code: types.CodeType) -> set[str]:
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _names(const)
    return names


@functools.lru_cache(maxsize=4096)
def _compile(mode: str, src: str) -> tuple[types.CodeType, tuple[str, ...]]:
    """Compile once per (mode, source); also return the budget helpers the code uses."""
    if not isinstance(src, str):
        raise SandboxViolation("source must be a string")
    if len(src) > MAX_SOURCE:
        raise SandboxViolation(f"source is too long ({len(src)} characters, limit {MAX_SOURCE})")
    fn = compile_restricted_eval if mode == "eval" else compile_restricted_exec
    try:
        result = fn(src.strip() if mode == "eval" else src, filename=FILENAME, policy=SandboxPolicy)
    except (ValueError, RecursionError, MemoryError) as exc:
        raise SandboxViolation(f"source cannot be compiled: {type(exc).__name__}") from None
    if result.errors:
        raise _violation(result.errors)
    return result.code, tuple(sorted(_names(result.code) & BUDGET_NAMES.keys()))


def check_expression(src: str) -> None:
    """Raise SandboxViolation if ``src`` is not an acceptable expression."""
    _compile("eval", src)


def check_script(src: str) -> None:
    """Raise SandboxViolation if ``src`` is not an acceptable script."""
    _compile("exec", src)
