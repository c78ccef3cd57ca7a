"""Form files: a JSON Schema (draft 2020-12) describing an object."""

from __future__ import annotations

import json

from engine.core.errors import Problem

MAX_JSON_DEPTH = 64


def _depth_problem(value) -> str | None:
    """Refuse nesting deeper than MAX_JSON_DEPTH and remote ``$ref``s (iteratively)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            return f"JSON is nested too deeply (more than {MAX_JSON_DEPTH} levels)"
        if isinstance(item, dict):
            ref = item.get("$ref")
            if isinstance(ref, str) and not ref.startswith("#"):
                return f"$ref '{ref[:80]}' points outside the form; only local references (#/...) are allowed"
            stack.extend((v, depth + 1) for v in item.values())
        elif isinstance(item, list):
            stack.extend((v, depth + 1) for v in item)
    return None


def parse_form(filename: str, data: bytes) -> tuple[dict | None, list[Problem]]:
    """Return (schema, []) or (None, problems)."""
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError

    def refuse(message: str, line: int | None = None, element: str = "form"):
        return None, [Problem(message, file=filename, line=line, element=element)]

    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        return refuse(f"form is not UTF-8: {err.reason} at byte {err.start}", element="form")
    try:
        value = json.loads(text)
    except json.JSONDecodeError as err:
        return refuse(f"invalid JSON: {err.msg} (column {err.colno})", line=err.lineno)
    except RecursionError:
        return refuse(f"JSON is nested too deeply (more than {MAX_JSON_DEPTH} levels)")
    if not isinstance(value, dict):
        kind = {list: "an array", str: "a string", bool: "a boolean", type(None): "null"}.get(
            type(value), "a number"
        )
        return refuse(f"form must be a JSON object, not {kind}", line=1)
    reason = _depth_problem(value)
    if reason:
        return refuse(reason)
    try:
        Draft202012Validator.check_schema(value)
    except SchemaError as err:
        where = "/".join(str(p) for p in err.path) or "(root)"
        return refuse(f"invalid JSON Schema at {where}: {err.message[:200]}", element=where)
    except RecursionError:
        return refuse("JSON Schema is nested too deeply")
    if value.get("type") != "object":
        return refuse('form schema must have "type": "object"', element="type")
    return value, []
