"""The office a case's papers come from: its code (in 文号 and file numbers), name, committee, address, phone."""

import json
from functools import lru_cache

from engine.core.errors import InvalidData
from engine.core.settings import get_settings

FIELDS = ("code", "name", "committee", "street", "address", "phone")


def _default() -> dict:
    s = get_settings()
    return {"code": s.office_code or s.case_number_prefix, "name": s.office_name, "committee": s.office_committee,
            "street": s.office_name, "address": s.office_address, "phone": s.office_phone}


@lru_cache(maxsize=4)
def _offices(text: str) -> tuple[dict, ...]:
    if not text.strip():
        return ()
    try:
        items = json.loads(text)
        assert isinstance(items, list) and all(isinstance(i, dict) and i.get("code") for i in items)
    except (ValueError, AssertionError) as e:
        raise InvalidData('TIAOJIE_OFFICES must be a JSON list of offices, each with a "code"',
                          {"offices": "not a JSON list of {code, name, committee, communities}"}) from e
    return tuple(items)


def office_of(community: str | None) -> dict:
    """The office of a case in ``community`` (the default office when no TIAOJIE_OFFICES entry lists it)."""
    base = _default()
    for item in _offices(get_settings().offices):
        if community and community in (item.get("communities") or []):
            merged = {**base, **{k: item[k] for k in FIELDS if item.get(k)}}
            merged.setdefault("street", merged["name"])
            return merged
    return base


def office_codes() -> list[str]:
    """Every office's code, the default first."""
    codes = [_default()["code"]]
    codes += [i["code"] for i in _offices(get_settings().offices) if i["code"] not in codes]
    return codes
