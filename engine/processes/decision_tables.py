"""Decision tables (DMN) as the 决策表 page reads them: columns, rules and cells; the variables to try a table
on and the words for their values (from the process's forms); the cell-by-cell diff of two versions.

Pure functions over lxml elements parsed by the validation package's safe parser; no SpiffWorkflow, no SQL.
"""

from __future__ import annotations

import ast
import builtins
import json

from engine.validation._common import DMN_NAMESPACES, local, ns

_TYPES = {"boolean": "boolean", "number": "number", "integer": "number", "long": "number", "double": "number"}


def _children(el, name: str) -> list:
    return [c for c in el if isinstance(c.tag, str) and ns(c) in DMN_NAMESPACES and local(c) == name]


def _text(el) -> str | None:
    texts = _children(el, "text")
    return texts[-1].text if texts else None


def decision_elements(root) -> list:
    """The ``decision`` elements of a DMN document root."""
    return [el for el in root.iter() if isinstance(el.tag, str) and ns(el) in DMN_NAMESPACES
            and local(el) == "decision"]


def read_table(decision) -> dict:
    """The decision table of a ``decision`` element: hit policy, input and output columns, rules with their cells
    (texts as written, "-" and empty read as None)."""
    tables = _children(decision, "decisionTable")
    out = {"id": decision.get("id"), "name": decision.get("name"), "hit_policy": None,
           "inputs": [], "outputs": [], "rules": []}
    if not tables:
        return out
    table = tables[0]
    out["hit_policy"] = (table.get("hitPolicy") or "UNIQUE").upper()
    for inp in _children(table, "input"):
        exprs = _children(inp, "inputExpression")
        out["inputs"].append({"id": inp.get("id"), "label": inp.get("label"),
                              "expression": (_text(exprs[0]) or "").strip() if exprs else "",
                              "type": exprs[0].get("typeRef") if exprs else None})
    for o in _children(table, "output"):
        out["outputs"].append({"id": o.get("id"), "name": o.get("name"), "label": o.get("label"),
                               "type": o.get("typeRef")})
    for row, rule in enumerate(_children(table, "rule"), start=1):
        desc = _children(rule, "description")
        out["rules"].append({
            "id": rule.get("id"), "row": row,
            "annotation": (desc[0].text or "").strip() or None if desc else None,
            "inputs": [_cell(_text(e)) for e in _children(rule, "inputEntry")],
            "outputs": [_cell(_text(e)) for e in _children(rule, "outputEntry")],
        })
    return out


def _cell(text: str | None) -> str | None:
    text = (text or "").strip()
    return None if text in ("", "-") else text


def fingerprint(table: dict) -> str:
    """What makes two versions of a table the same decision (ids, labels, cells; not the layout)."""
    return json.dumps(table, sort_keys=True, ensure_ascii=False)


def variables(table: dict) -> list[dict]:
    """The names the input expressions read, each once in column order: {name, label, type}. An input written
    as a bare name is labelled and typed by its column; a name inside a longer expression by itself."""
    out: dict[str, dict] = {}
    for inp in table["inputs"]:
        expr = inp["expression"]
        if expr.isidentifier():
            out.setdefault(expr, {"name": expr, "label": inp["label"] or expr,
                                  "type": _TYPES.get(inp["type"] or "", "string")})
            continue
        try:
            tree = ast.parse(expr, mode="eval")
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and not hasattr(builtins, node.id) and node.id not in out:
                out[node.id] = {"name": node.id, "label": node.id, "type": "string"}
    return list(out.values())


def form_labels(forms: dict[str, dict]) -> tuple[dict[str, list[dict]], dict[str, list[str]]]:
    """From the process's forms (JSON Schemas): the choices of each field that has an ``enum``, by field name
    ([{value, zh, en}]), and the words of every code value ({value: [zh, en]}) for showing outputs."""
    choices: dict[str, list[dict]] = {}
    words: dict[str, list[str]] = {}
    for _, schema in sorted(forms.items()):
        for name, prop in _properties(schema):
            values = prop.get("enum")
            if not isinstance(values, list):
                continue
            zh, en = prop.get("x-enumNames") or [], prop.get("x-enumNames-en") or []
            items = []
            for i, value in enumerate(values):
                if not isinstance(value, str):
                    continue
                pair = [zh[i] if i < len(zh) else value, en[i] if i < len(en) else (zh[i] if i < len(zh) else value)]
                items.append({"value": value, "zh": pair[0], "en": pair[1]})
                words.setdefault(value, pair)
            choices.setdefault(name, items)
    return choices, words


def _properties(schema, depth: int = 0):
    """(name, property schema) of every property of a JSON Schema, nested objects and arrays included."""
    if not isinstance(schema, dict) or depth > 8:
        return
    for name, prop in (schema.get("properties") or {}).items():
        if isinstance(prop, dict):
            yield name, prop
            yield from _properties(prop, depth + 1)
            yield from _properties(prop.get("items"), depth + 1)


def _columns(table: dict) -> dict[str, dict]:
    cols = {}
    for kind in ("inputs", "outputs"):
        for c in table[kind]:
            cols[c["id"]] = {"id": c["id"], "kind": kind[:-1], "label": c["label"] or c.get("name") or c["id"]}
    return cols


def _cells(table: dict, rule: dict) -> dict[str, str | None]:
    ids = [c["id"] for c in table["inputs"]] + [c["id"] for c in table["outputs"]]
    return dict(zip(ids, rule["inputs"] + rule["outputs"], strict=False))


def table_diff(old: dict, new: dict) -> dict:
    """What changed from ``old`` to ``new``: the hit policy, columns added or removed, rules added or removed,
    and per rule kept (by id) each cell whose text changed, old and new, under its column's label."""
    a_cols, b_cols = _columns(old), _columns(new)
    a_rules = {r["id"]: r for r in old["rules"]}
    b_rules = {r["id"]: r for r in new["rules"]}
    changed = []
    for rid, after in b_rules.items():
        before = a_rules.get(rid)
        if before is None:
            continue
        x, y = _cells(old, before), _cells(new, after)
        cells = [{"column": b_cols.get(c, a_cols.get(c))["label"], "kind": b_cols.get(c, a_cols.get(c))["kind"],
                  "old": x.get(c), "new": y.get(c)}
                 for c in [*b_cols, *(c for c in a_cols if c not in b_cols)] if x.get(c) != y.get(c)]
        moved = before["row"] != after["row"]
        note = [before["annotation"], after["annotation"]] if before["annotation"] != after["annotation"] else None
        if cells or moved or note:
            changed.append({"id": rid, "row": after["row"], "old_row": before["row"],
                            "annotation": after["annotation"], "annotation_change": note, "cells": cells})
    brief = ("id", "row", "annotation")
    return {
        "hit_policy": [old["hit_policy"], new["hit_policy"]] if old["hit_policy"] != new["hit_policy"] else None,
        "columns_added": [b_cols[c] for c in b_cols if c not in a_cols],
        "columns_removed": [a_cols[c] for c in a_cols if c not in b_cols],
        "rules_added": [{k: r[k] for k in brief} for rid, r in b_rules.items() if rid not in a_rules],
        "rules_removed": [{k: r[k] for k in brief} for rid, r in a_rules.items() if rid not in b_rules],
        "rules_changed": changed,
    }
