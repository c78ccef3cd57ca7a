"""Form fields that opt in to the checks of Chinese identifiers by their ``format`` (engine.core.identifiers).

A string property of a form may say:

- ``"format": "cn-id-number"``: an ID number checked by the document type in the sibling field named by
  ``"x-id-type-field"`` (default ``id_type``): 居民身份证, passports, permits, 统一社会信用代码 …;
- ``"format": "cn-resident-id"``: a 居民身份证 number;
- ``"format": "cn-mobile"``, ``"cn-landline"``, ``"cn-phone"`` (either);
- ``"format": "cn-uscc"``: a 统一社会信用代码.

JSON Schema ignores formats it does not know, so these are checked here, after the schema: each refused
value gives its field a kind (``id_check_digit``, ``mobile_format`` …) that api/i18n.py translates, and an
accepted value is stored normalised (``+86 138-0013-8000`` → ``13800138000``, a lower-case ``x`` upper-cased).
Masked values (``440304********1234``, a form shown masked and sent back) are left to the party sealing.
"""

from __future__ import annotations

from engine.core import identifiers

FORMATS = {
    "cn-resident-id": identifiers.check_resident_id,
    "cn-mobile": identifiers.check_mobile,
    "cn-landline": identifiers.check_landline,
    "cn-phone": identifiers.check_phone,
    "cn-uscc": identifiers.check_uscc,
}
ID_NUMBER = "cn-id-number"
MESSAGES_EN = {
    "id_format": "not a valid ID number", "id_old_15": "a 15-digit ID number is no longer valid",
    "id_area": "the area code is not a valid one", "id_birth_date": "the birth date in the number is not valid",
    "id_check_digit": "the check digit does not match", "foreign_id_format": "not a permanent residence ID number",
    "passport_format": "not a passport number", "hk_macao_permit_format": "not a Hong Kong/Macao permit number",
    "taiwan_permit_format": "not a Taiwan permit number", "uscc_format": "not a unified social credit code",
    "uscc_check": "the check character does not match", "mobile_format": "not a mobile number",
    "landline_format": "not a landline number", "phone_format": "not a phone number",
}


def _check(schema: dict, obj: dict, key: str, value: str):
    fmt = schema.get("format")
    if fmt == ID_NUMBER:
        id_type = obj.get(schema.get("x-id-type-field", "id_type"))
        return identifiers.check_id_number(id_type if isinstance(id_type, str) else None, value)
    return FORMATS[fmt](value)


def _walk(schema, value, path: str, out: dict[str, tuple[str, str]]):
    """The value with its identifier fields normalised; problems into ``out`` by path."""
    if not isinstance(schema, dict):
        return value
    if isinstance(value, dict):
        props = schema.get("properties") or {}
        new = dict(value)
        for key, sub in props.items():
            if key not in value or not isinstance(sub, dict):
                continue
            where = f"{path}.{key}" if path else key
            item = value[key]
            if sub.get("format") in FORMATS or sub.get("format") == ID_NUMBER:
                if isinstance(item, str) and item.strip() and "*" not in item:
                    clean, kind = _check(sub, value, key, item)
                    if kind:
                        out.setdefault(where, (kind, MESSAGES_EN.get(kind, "wrong format")))
                    else:
                        new[key] = clean
            else:
                new[key] = _walk(sub, item, where, out)
        return new
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        return [_walk(schema["items"], v, f"{path}.{i}" if path else str(i), out) for i, v in enumerate(value)]
    return value


def check_identifiers(schema: dict, data: dict) -> tuple[dict, dict[str, tuple[str, str]]]:
    """(data with identifier fields normalised, {path: (kind, English reason)} of the refused ones)."""
    out: dict[str, tuple[str, str]] = {}
    return _walk(schema, data, "", out), out
