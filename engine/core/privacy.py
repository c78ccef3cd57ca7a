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
    """440304199001031234 -> 440304********1234."""
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


# ----------------------------------------------------------------------------- parties at rest
# The workflow (its state, the case's data, the events) keeps each party with a ``party_ref`` and masked ID
# number and phone; the full values, which the law requires us to keep (人民调解法, 信访工作条例: the parties'
# identity on the file), live only in ``case_parties``, encrypted with a data key kept outside the database.
REF_KEY = "party_ref"


def is_masked(value) -> bool:
    return isinstance(value, str) and "*" in value


def _ref(name: str, id_number: str, phone: str) -> str:
    """Stable within an installation for the same party, so a step that resubmits them changes nothing."""
    return "p" + keyed_hash(f"party\x1f{name}\x1f{id_number}\x1f{phone}")[:15]


def needs_known(parties) -> bool:
    """Whether sealing ``parties`` needs the case's stored rows (a party sent back with masked values)."""
    return isinstance(parties, list) and any(
        isinstance(p, dict) and p.get(REF_KEY) and (is_masked(p.get("id_number")) or is_masked(p.get("phone")))
        for p in parties)


def seal_parties(parties, known: dict[str, dict] | None = None) -> tuple[list, list[dict]]:
    """(the parties as the workflow keeps them: ``party_ref`` and masked values; their ``case_parties`` rows:
    keyed hashes, masked forms and the full values encrypted under the current data key).

    A party sent back with the masked value of its ``party_ref`` (a form shown masked and submitted again)
    keeps its stored values (``known``: the case's rows by ref); any other masked value is refused.
    """
    from engine.core import datakeys
    from engine.core.errors import InvalidData

    if not isinstance(parties, list):
        return parties, []
    sealed, rows = [], []
    for i, p in enumerate(parties):
        if not isinstance(p, dict):
            sealed.append(p)
            continue
        old = (known or {}).get(str(p.get(REF_KEY) or ""))
        name = str(p.get("name") or "").strip()
        full: dict[str, str | None] = {}
        for key, kind in (("id_number", "id"), ("phone", "phone")):
            value = str(p.get(key) or "").strip()
            if is_masked(value):
                if old is None or value != old[f"{kind}_masked"] or old.get(f"{kind}_cipher") is None:
                    raise InvalidData(f"parties.{i}.{key}: a masked value can only stand for the stored one",
                                      {f"parties.{i}.{key}": "masked value of an unknown party"})
                value = datakeys.decrypt(old[f"{kind}_cipher"], old["key_id"])
            full[kind] = value or None
        out = {k: v for k, v in p.items() if k not in (REF_KEY, "id_number", "phone")}
        if "id_number" in p:
            out["id_number"] = mask_id(full["id"])
        if "phone" in p:
            out["phone"] = mask_phone(full["phone"])
        if not name:
            sealed.append(out)
            continue
        ref = _ref(name, full["id"] or "", full["phone"] or "")
        sealed.append({REF_KEY: ref, **out})
        row = {"role": str(p.get("role") or "")[:20] or None, "name": name[:200], "party_ref": ref,
               "id_hash": None, "id_masked": None, "id_cipher": None, "phone_hash": None, "phone_masked": None,
               "phone_cipher": None, "key_id": None}
        for kind, mask in (("id", mask_id), ("phone", mask_phone)):
            if full[kind]:
                cipher, kid = datakeys.encrypt(full[kind])
                row.update({f"{kind}_hash": keyed_hash(full[kind]), f"{kind}_masked": mask(full[kind]),
                            f"{kind}_cipher": cipher, "key_id": kid})
        rows.append(row)
    return sealed, rows


def scrub_deep(value):
    """``value`` with every ID number and phone (by key) masked at any depth, masked values left as they are;
    for data written before the parties were sealed (migration)."""
    if isinstance(value, dict):
        return {k: (mask_id(v) if k in ID_KEYS and isinstance(v, str) and not is_masked(v)
                    else mask_phone(v) if k in PHONE_KEYS and isinstance(v, str) and not is_masked(v)
                    else scrub_deep(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub_deep(v) for v in value]
    return value


# Keys whose values name or identify a party (at any depth), removed when a closed case is anonymised.
PERSONAL_KEYS = (*ID_KEYS, *PHONE_KEYS, REF_KEY, "name", "address", "legal_representative", "applicants",
                 "respondents", "summary", "requests", "note", "consent_given_by")
ANONYMISED = "（已匿名）"


def anonymise_deep(value):
    """``value`` with every personal field's text replaced (lists keep their length, for counts)."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if k in PERSONAL_KEYS and isinstance(v, str):
                out[k] = ANONYMISED
            elif k in PERSONAL_KEYS and isinstance(v, list) and all(isinstance(x, str) for x in v):
                out[k] = [ANONYMISED] * len(v)
            else:
                out[k] = anonymise_deep(v)
        return out
    if isinstance(value, list):
        return [anonymise_deep(v) for v in value]
    return value


def map_data_blocks(value, fn):
    """A serialized workflow state with ``fn`` applied to every task's and workflow's ``data`` dict and to every
    task's data change from its parent (``delta.updates``: where a form after the first keeps its values)."""
    if isinstance(value, dict):
        return {k: (fn(v) if k == "data" and isinstance(v, dict) else _delta(v, fn) if k == "delta" and isinstance(v, dict)
                    else map_data_blocks(v, fn)) for k, v in value.items()}
    if isinstance(value, list):
        return [map_data_blocks(v, fn) for v in value]
    return value


def _delta(delta: dict, fn) -> dict:
    updates = delta.get("updates")
    return {**delta, "updates": fn(updates)} if isinstance(updates, dict) else delta
