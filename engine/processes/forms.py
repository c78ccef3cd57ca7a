"""Validate submitted task data against the task's JSON-Schema form.

Besides the schema, every value is checked for what a JSON Schema cannot say but a
database and a mail client care about: finite numbers of sane size, no NUL characters,
bounded nesting and text length. Each error names its field and its kind (for translation).
"""

import json
import math
from functools import lru_cache

from jsonschema import Draft202012Validator, FormatChecker

from engine.core.errors import InvalidData
from engine.processes.formats import check_identifiers

MAX_DEPTH = 20
MAX_TEXT = 100_000
MAX_NUMBER = 1e13  # above any amount in 元 the office handles; NUMERIC(16,2) holds < 1e14


@lru_cache(maxsize=512)
def _validator(content_hash: str, form_key: str, schema_json: str) -> Draft202012Validator:
    return Draft202012Validator(json.loads(schema_json), format_checker=FormatChecker())


_BY_SCHEMA: dict[tuple[str, str, int], tuple[dict, Draft202012Validator]] = {}


def _validator_of(content_hash: str, form_key: str, schema: dict) -> Draft202012Validator:
    """The validator of ``schema``: found by the schema object itself when it is one ``schema_for`` keeps (the
    same dict on every call: no JSON text of it to make), else by its JSON text."""
    key = (content_hash, form_key, id(schema))
    hit = _BY_SCHEMA.get(key)
    if hit is not None and hit[0] is schema:
        return hit[1]
    validator = _validator(content_hash, form_key, json.dumps(schema, sort_keys=True))
    if (_SCHEMAS.get(content_hash) or {}).get(form_key) is schema:  # forms of a version never change
        if len(_BY_SCHEMA) >= 512:
            _BY_SCHEMA.clear()
        _BY_SCHEMA[key] = (schema, validator)  # kept alive by the entry: its id is not reused meanwhile
    return validator


_SCHEMAS: dict[str, dict] = {}


def schema_for(content_hash: str, form_key: str | None, load_forms) -> dict | None:
    """The form schema of a task; forms of a version never change, so they are cached."""
    if not form_key:
        return None
    forms = _SCHEMAS.get(content_hash)
    if forms is None:
        forms = _SCHEMAS[content_hash] = load_forms()
    return forms.get(form_key)


def _values(value, path: str, depth: int, out: dict[str, tuple[str, str]]) -> None:
    """Collect (kind, message) per field for values no form should accept."""
    field = path or "(form)"
    if depth > MAX_DEPTH:
        out.setdefault(field, ("too_deep", f"nested deeper than {MAX_DEPTH} levels"))
    elif isinstance(value, bool) or value is None:
        return
    elif isinstance(value, float) and not math.isfinite(value):
        out.setdefault(field, ("not_finite", "not a finite number"))
    elif isinstance(value, int | float) and abs(value) > MAX_NUMBER:
        out.setdefault(field, ("too_large", f"larger than {MAX_NUMBER:.0e}"))
    elif isinstance(value, str):
        if "\x00" in value:
            out.setdefault(field, ("nul", "contains a NUL character"))
        elif len(value) > MAX_TEXT:
            out.setdefault(field, ("string_too_long", f"longer than {MAX_TEXT} characters"))
    elif isinstance(value, dict):
        for k, v in value.items():
            _values(v, f"{path}.{k}" if path else str(k), depth + 1, out)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _values(v, f"{path}.{i}" if path else str(i), depth + 1, out)


def _checkable(value, depth: int = 0):
    """A copy the schema checker can read: values refused by ``_values`` replaced by harmless ones (their
    field keeps the first error), so every other field is still checked in the same answer."""
    if depth > MAX_DEPTH:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return 0
    if isinstance(value, str) and "\x00" in value:
        return value.replace("\x00", "")
    if isinstance(value, dict):
        return {k: _checkable(v, depth + 1) for k, v in value.items()}
    if isinstance(value, list):
        return [_checkable(v, depth + 1) for v in value]
    return value


def validate(content_hash: str, form_key: str | None, schema: dict | None, data: dict) -> dict:
    """Return the data to merge, or raise InvalidData with one message (and kind) per field, every field's
    at once.

    Fields the form marks ``readOnly`` (values the process computed and shows, e.g. a limitation
    date) are dropped from what is merged: a caseworker cannot overwrite them. Identifier fields
    (``"format": "cn-id-number"``, ``"cn-phone"`` …, engine.processes.formats) are checked and returned
    normalised.
    """
    if not isinstance(data, dict):
        raise InvalidData("form data must be a JSON object")
    if schema is not None and form_key:
        props = schema.get("properties", {})
        data = {k: v for k, v in data.items() if not (isinstance(props.get(k), dict) and props[k].get("readOnly"))}
    found: dict[str, tuple[str, str]] = {}
    _values(data, "", 0, found)
    if schema is not None and form_key:
        known = set(schema.get("properties", {}))
        for name in data:
            if known and name not in known:
                found.setdefault(name, ("extra_forbidden", "unknown field"))
        validator = _validator_of(content_hash, form_key, schema)
        for err in validator.iter_errors(data if not found else _checkable(data)):
            path = ".".join(str(p) for p in err.absolute_path)
            if err.validator == "required" and "'" in err.message:  # name the missing field itself
                missing = err.message.split("'")[1]
                path = f"{path}.{missing}" if path else missing
            found.setdefault(path or "(form)", (str(err.validator), err.message))
        data, bad = check_identifiers(schema, data)
        for path, problem in bad.items():
            found.setdefault(path, problem)
    if found:
        field, (_, message) = next(iter(found.items()))
        err = InvalidData(f"form data is invalid: {field}: {message}", {k: m for k, (_, m) in found.items()})
        err.kinds = {k: kind for k, (kind, _) in found.items()}
        raise err
    return data
