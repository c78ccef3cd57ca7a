"""The form editor's checks: a form (JSON Schema) edited as a list of fields, checked as the deploy checks it
plus what the field editor needs (every field labelled, choices with a label each, required and order naming
existing fields), and sample data tried against it with the same validation a task's completion runs.

Problems are ``{"field", "kind", "message"}``: the page words each kind itself (``fe_problem_<kind>``); the
English message stays for API clients.
"""

import hashlib
import json
import re

from engine.core.errors import DefinitionRejected, Problem
from engine.processes import forms

KEY_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
FORMATS = {"date", "date-time", "time", "email", "attachments", "cn-id-number", "cn-resident-id", "cn-mobile",
           "cn-landline", "cn-phone", "cn-uscc"}
MAX_FIELDS = 200
MAX_CHOICES = 500


def _problem(out: list, field: str, kind: str, message: str) -> None:
    out.append({"field": field, "kind": kind, "message": message})


def _choice_problems(name: str, prop: dict, out: list) -> None:
    values = prop["enum"]
    if not values:
        _problem(out, name, "choices_empty", "a choice field needs at least one choice")
        return
    if len(values) > MAX_CHOICES:
        _problem(out, name, "choices_too_many", f"more than {MAX_CHOICES} choices")
    if any(v is None or v == "" for v in values):
        _problem(out, name, "choice_value_empty", "a choice has no value")
    seen = [json.dumps(v, sort_keys=True) for v in values]
    if len(set(seen)) != len(seen):
        _problem(out, name, "choices_duplicate", "two choices have the same value")
    labels = prop.get("x-enumNames", prop.get("enumNames"))
    if labels is None or not isinstance(labels, list) or len(labels) != len(values) or \
            any(not isinstance(x, str) or not x.strip() for x in labels):
        _problem(out, name, "choice_label_missing", "every choice needs a Chinese label")
    english = prop.get("x-enumNames-en")
    if english is not None and (not isinstance(english, list) or len(english) != len(values)):
        _problem(out, name, "choice_label_en_count", "the English labels do not match the choices")


def _field_problems(name: str, prop, out: list) -> None:
    if not KEY_RE.match(name):
        _problem(out, name, "key_invalid", "a field name is letters, digits and _ (not starting with a digit)")
    if not isinstance(prop, dict):
        _problem(out, name, "field_not_object", "a field must be described by an object")
        return
    if not isinstance(prop.get("title"), str) or not prop["title"].strip():
        _problem(out, name, "title_missing", "the field has no Chinese label")
    fmt = prop.get("format")
    if fmt is not None and fmt not in FORMATS:
        _problem(out, name, "format_unknown", f"unknown format {str(fmt)[:40]!r}")
    if isinstance(prop.get("enum"), list):
        _choice_problems(name, prop, out)


def check_form(schema) -> list[dict]:
    """Every problem of a form being edited; [] when the deploy would take it and the field editor can show it."""
    out: list[dict] = []
    if not isinstance(schema, dict):
        _problem(out, "(form)", "not_object", "a form is a JSON object")
        return out
    data = json.dumps(schema, ensure_ascii=False).encode("utf-8")
    _, problems = _parse(data)
    for p in problems:
        _problem(out, p.element or "(form)", "schema", p.message)
    if problems:
        return out
    if not isinstance(schema.get("title"), str) or not schema["title"].strip():
        _problem(out, "(form)", "form_title_missing", "the form has no Chinese title")
    props = schema.get("properties", {})
    if not isinstance(props, dict):
        _problem(out, "(form)", "properties_not_object", '"properties" must be an object')
        return out
    if len(props) > MAX_FIELDS:
        _problem(out, "(form)", "too_many_fields", f"more than {MAX_FIELDS} fields")
    for name, prop in props.items():
        _field_problems(name, prop, out)
    for key, kind in (("required", "required_unknown"), ("x-order", "order_unknown")):
        listed = schema.get(key, [])
        if not isinstance(listed, list):
            _problem(out, "(form)", kind, f'"{key}" must be a list of field names')
            continue
        for name in listed:
            if name not in props:
                _problem(out, str(name)[:64], kind, f'"{key}" names a field the form does not have')
    return out


def _parse(data: bytes):
    from engine.validation.forms import parse_form

    return parse_form("form.json", data)


def try_form(schema, data: dict) -> dict:
    """Validate ``data`` as completing a task with this form would: the normalised data, or InvalidData with
    every field's error (kinds for translation). A form that is not valid itself is refused first."""
    problems = check_form(schema)
    if problems:
        raise DefinitionRejected([Problem(p["message"], element=p["field"]) for p in problems])
    text = json.dumps(schema, sort_keys=True, ensure_ascii=False)
    digest = "form-editor:" + hashlib.sha256(text.encode("utf-8")).hexdigest()
    return forms.validate(digest, "preview", schema, data)
