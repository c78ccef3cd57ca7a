"""Masking of personal data (PIPL): ID numbers and phones in lists, logs and emails."""

from engine.core.keys import keyed_hash


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


def mask_party(party: dict) -> dict:
    out = dict(party)
    if "id_number" in out:
        out["id_number"] = mask_id(out.get("id_number"))
    for key in ("phone", "contact", "mobile"):
        if key in out:
            out[key] = mask_phone(out.get(key))
    return out


def mask_data(data: dict) -> dict:
    """Case or form data with every party's ID number and phone masked."""
    out = dict(data)
    if isinstance(out.get("parties"), list):
        out["parties"] = [mask_party(p) if isinstance(p, dict) else p for p in out["parties"]]
    for key in ("id_number", "phone", "contact_phone"):
        if isinstance(out.get(key), str):
            out[key] = mask_id(out[key]) if key == "id_number" else mask_phone(out[key])
    return out


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
