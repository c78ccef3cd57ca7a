"""Masking of personal data (PIPL): every rule for ID numbers and phones, in one place.

``mask_id`` and ``mask_phone`` are the rules; ``mask_deep`` applies them to structured data (event
data, forms) by key, ``mask_text`` to free text (log lines, emails) by pattern, and ``party_rows``
turns a case's parties into matchable keyed hashes with their masked forms.
"""

import re

from engine.core.keys import keyed_hash

# Keys whose string values are ID numbers or phones, at any depth of case, form and event data.
ID_KEYS = ("id_number",)
PHONE_KEYS = ("phone", "contact", "mobile", "contact_phone")
# In free text: an 18-digit resident ID (the last may be X), a 15-digit old ID, an 11-digit mainland mobile.
ID_PATTERN = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)|(?<!\d)\d{15}(?!\d)")
PHONE_PATTERN = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def mask_id(value: str | None) -> str | None:
    """440304199001011234 -> 440304********1234."""
    if not value:
        return value
    v = "".join(str(value).split())
    if len(v) <= 4:
        return "*" * len(v)
    keep_head = 6 if len(v) >= 15 else 1
    return v[:keep_head] + "*" * (len(v) - keep_head - 4) + v[-4:]


def mask_phone(value: str | None) -> str | None:
    """13800138000 -> 138****8000."""
    if not value:
        return value
    v = "".join(str(value).split())
    if len(v) < 7:
        return "*" * len(v)
    return v[:3] + "*" * (len(v) - 7) + v[-4:]


def mask_deep(value):
    """Data with every ID number and phone masked, at any depth (forms nest parties)."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if k in ID_KEYS and isinstance(v, str):
                out[k] = mask_id(v)
            elif k in PHONE_KEYS and isinstance(v, str):
                out[k] = mask_phone(v)
            else:
                out[k] = mask_deep(v)
        return out
    if isinstance(value, list):
        return [mask_deep(v) for v in value]
    return value


def mask_text(text: str) -> str:
    """Free text with every ID number and mobile phone in it masked (the rules of mask_id, mask_phone)."""
    text = ID_PATTERN.sub(lambda m: mask_id(m.group(0)), text)
    return PHONE_PATTERN.sub(lambda m: mask_phone(m.group(0)), text)


def party_rows(parties) -> list[dict]:
    """Matchable rows of the case's parties: keyed hashes and masked forms, never the raw numbers."""
    rows = []
    for p in parties if isinstance(parties, list) else ():
        if not isinstance(p, dict) or not str(p.get("name") or "").strip():
            continue
        id_number, phone = str(p.get("id_number") or "").strip(), str(p.get("phone") or "").strip()
        rows.append({"role": str(p.get("role") or "")[:20] or None, "name": str(p["name"]).strip()[:200],
                     "id_hash": keyed_hash(id_number) if id_number else None, "id_masked": mask_id(id_number) or None,
                     "phone_hash": keyed_hash(phone) if phone else None, "phone_masked": mask_phone(phone) or None})
    return rows
