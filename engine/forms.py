"""Validate submitted task data against the task's JSON-Schema form."""

from functools import lru_cache

from jsonschema import Draft202012Validator, FormatChecker

from engine.errors import InvalidData


@lru_cache(maxsize=512)
def _validator(content_hash: str, form_key: str, schema_json: str) -> Draft202012Validator:
    import json

    return Draft202012Validator(json.loads(schema_json), format_checker=FormatChecker())


_SCHEMAS: dict[str, dict] = {}


def schema_for(content_hash: str, form_key: str | None, load_forms) -> dict | None:
    """The form schema of a task; forms of a version never change, so they are cached."""
    if not form_key:
        return None
    forms = _SCHEMAS.get(content_hash)
    if forms is None:
        forms = _SCHEMAS[content_hash] = load_forms()
    return forms.get(form_key)


def validate(content_hash: str, form_key: str | None, schema: dict | None, data: dict) -> dict:
    """Return the data to merge, or raise InvalidData with one message per field."""
    if not isinstance(data, dict):
        raise InvalidData("form data must be a JSON object")
    if not form_key or schema is None:
        return data
    import json

    validator = _validator(content_hash, form_key, json.dumps(schema, sort_keys=True))
    errors: dict[str, str] = {}
    known = set(schema.get("properties", {}))
    for name in data:
        if known and name not in known:
            errors[name] = "unknown field"
    for err in validator.iter_errors(data):
        path = ".".join(str(p) for p in err.absolute_path)
        if err.validator == "required":
            path = err.message.split("'")[1] if "'" in err.message else path
        errors.setdefault(path or "(form)", err.message)
    if errors:
        first = next(iter(errors.items()))
        raise InvalidData(f"form data is invalid: {first[0]}: {first[1]}", errors)
    return data
