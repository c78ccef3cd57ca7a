"""DMN checks: what SpiffWorkflow 3.2's DMN parser and engine can run."""

from __future__ import annotations

import ast
import re

from engine.core.errors import Problem

from ._common import DMN_NAMESPACES, display, local, ns, problem, short
from .expressions import check_code, compile_error

HIT_POLICIES = ("UNIQUE", "FIRST", "COLLECT")
MAX_INPUT_ENTRY_CHARS = 2_000
# SpiffWorkflow's DMNEngine.evaluate: a '?' outside quotes stands for the input value.
_QUESTION = re.compile(r"(\?)(?=(?:[^'\"]|['\"][^'\"]*['\"])*$)")


def spiff_namespace_problem(root) -> str | None:
    """SpiffWorkflow finds DMN elements via the default namespace or the 'dmn' prefix only."""
    resolved = root.nsmap.get(None) if None in root.nsmap else root.nsmap.get("dmn")
    if resolved != ns(root):
        return "the DMN namespace must be the default namespace or use the prefix 'dmn'"
    return None


def match_expression(input_expr: str, text: str | None) -> str | None:
    """The Python expression SpiffWorkflow evaluates for an input entry (None: matches anything)."""
    if text is None or text == "-":
        return None
    match = _QUESTION.sub("dmninputexpr", text)
    if "dmninputexpr" in match:
        return match
    try:
        ast.parse(text)
        needs_eq = True
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        needs_eq = False
    return f"({input_expr}) == ({text})" if needs_eq else input_expr + text


def _is_comma_list(text: str) -> bool:
    try:
        tree = ast.parse(text, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return isinstance(tree.body, ast.Tuple) and not text.strip().startswith("(")


def _dmn_children(el, name: str):
    return [c for c in el if ns(c) in DMN_NAMESPACES and local(c) == name]


def check_dmn(file: str, root) -> tuple[list[str], list[Problem]]:
    """Check one DMN document; return (decision ids, problems)."""
    problems: list[Problem] = []
    reason = spiff_namespace_problem(root)
    if reason:
        return [], [problem(reason, file, root)]
    decisions = [el for el in root.iter() if ns(el) in DMN_NAMESPACES and local(el) == "decision"]
    if not decisions:
        return [], [problem("DMN file has no decision", file, root)]
    for extra in decisions[1:]:
        problems.append(problem("only one decision per DMN file is supported", file, extra))
    decision = decisions[0]
    if not decision.get("id"):
        problems.append(problem("decision has no id", file, decision, "dmn:decision"))
    tables = _dmn_children(decision, "decisionTable")
    if len(tables) != 1:
        problems.append(problem("decision has no decisionTable (only decision tables are supported)",
                                file, decision))  # fmt: skip
    else:
        _check_table(problems, file, tables[0])
    return ([decision.get("id")] if decision.get("id") else []), problems


def _need_id(problems, file, el) -> None:
    if not el.get("id"):
        problems.append(problem(f"{display(el)} has no id", file, el, display(el)))


def _check_table(problems: list, file: str, table) -> None:
    _need_id(problems, file, table)
    policy = (table.get("hitPolicy") or "UNIQUE").upper()
    if policy not in HIT_POLICIES:
        problems.append(problem(f"hit policy {short(policy)} is not supported (use UNIQUE, FIRST or COLLECT)",
                                file, table))  # fmt: skip
    if table.get("aggregation"):
        problems.append(problem(f"COLLECT aggregation {short(table.get('aggregation'))} is not supported",
                                file, table))  # fmt: skip
    inputs, outputs, rules = [], [], []
    for child in table:
        if not isinstance(child.tag, str):
            continue
        name = local(child)
        target = {"input": inputs, "output": outputs, "rule": rules}.get(name)
        if target is None:
            problems.append(problem(f"unsupported element {display(child)} in decision table", file, child))
        else:
            target.append(child)
    input_exprs = [_check_input(problems, file, inp) for inp in inputs]
    for out in outputs:
        _need_id(problems, file, out)
        if not (out.get("name") or out.get("label")):
            problems.append(problem("output has no name", file, out))
    for rule in rules:
        _check_rule(problems, file, rule, input_exprs, len(outputs))


def _check_input(problems: list, file: str, inp) -> str | None:
    """Check an input clause; return its expression if it compiles."""
    _need_id(problems, file, inp)
    texts = [t for e in _dmn_children(inp, "inputExpression") for t in _dmn_children(e, "text")]
    text = texts[0].text if texts else None
    if not (text or "").strip():
        problems.append(problem("input has no inputExpression text", file, inp))
        return None
    before = len(problems)
    check_code(problems, file, texts[0], "input expression", text)
    return text if len(problems) == before else None


def _check_rule(problems: list, file: str, rule, input_exprs: list, n_outputs: int) -> None:
    _need_id(problems, file, rule)
    entries = [c for c in rule if isinstance(c.tag, str) and local(c) == "inputEntry"]
    outs = [c for c in rule if isinstance(c.tag, str) and local(c) == "outputEntry"]
    if len(entries) != len(input_exprs) or len(outs) != n_outputs:
        problems.append(problem(f"rule has {len(entries)} input and {len(outs)} output entries; "
                                f"the table has {len(input_exprs)} inputs and {n_outputs} outputs",
                                file, rule))  # fmt: skip
        return
    for entry, input_expr in zip(entries, input_exprs, strict=True):
        _need_id(problems, file, entry)
        texts = [c for c in entry if isinstance(c.tag, str) and local(c) == "text"]
        if not texts:
            problems.append(problem("input entry has no text element", file, entry))
            continue
        text = texts[-1].text
        if text is not None and len(text) > MAX_INPUT_ENTRY_CHARS:
            problems.append(problem(f"input entry is too long ({len(text)} characters, "
                                    f"limit {MAX_INPUT_ENTRY_CHARS})", file, entry))  # fmt: skip
            continue
        if input_expr is None:
            continue  # its input expression is already reported
        expr = match_expression(input_expr, text)
        if expr is None:
            continue
        if "dmninputexpr" not in expr and _is_comma_list(text):
            problems.append(problem(f"input entry '{short(text)}' is a comma list, which SpiffWorkflow "
                                    f"compares as one tuple; write '? in ({short(text)})' instead",
                                    file, texts[-1]))  # fmt: skip
            continue
        reason = compile_error(expr)
        if reason is not None:
            problems.append(problem(f"input entry does not compile: {reason}", file, texts[-1]))
    for entry in outs:
        _need_id(problems, file, entry)
        texts = [c for c in entry if isinstance(c.tag, str) and local(c) == "text"]
        text = texts[-1].text if texts else None
        if text and text.strip():
            check_code(problems, file, texts[-1], "output entry", text)
