"""Full ID numbers and phones, for the roles that work with the parties, and the record of who saw them.

The case page shows a party's full values (decrypted from ``case_parties``) to ``FULL_PARTY_ROLES`` and
logs one ``pii_access`` row per party shown; a search by full ID number (``lookup``) needs a reason and is
logged with the masked number searched.
"""

from datetime import datetime

from sqlalchemy import Connection

from engine.core import clock, datakeys
from engine.core.errors import Forbidden, InvalidData
from engine.core.keys import keyed_hash
from engine.core.privacy import REF_KEY, mask_id
from engine.core.scope import scope
from engine.core.types import User
from engine.store import privacy as store

# Roles that work with the parties and so see their full ID numbers and phones.
FULL_PARTY_ROLES = ("intake", "mediator", "lawyer", "supervisor")
VIEW_REASON = "案件详情页 (case page)"


def may_see_full(user: User) -> bool:
    return user.role in FULL_PARTY_ROLES


def full_parties(conn: Connection, user: User, case_id: int, parties: list[dict], at: datetime | None = None,
                 reason: str = VIEW_REASON) -> list:
    """``parties`` (as kept in the case data: refs, masked values) with the full values put back, each one
    shown logged (with ``reason``: where it was shown); a party without stored values keeps what it has."""
    refs = [p.get(REF_KEY) for p in parties if isinstance(p, dict) and p.get(REF_KEY)]
    if not refs:
        return parties
    known = store.known_rows(conn, case_id)
    out, log = [], []
    for p in parties:
        row = known.get(p.get(REF_KEY)) if isinstance(p, dict) else None
        if row is None or (row["id_cipher"] is None and row["phone_cipher"] is None):
            out.append(p)
            continue
        full = dict(p)
        shown = []
        if row["id_cipher"] is not None:
            full["id_number"] = datakeys.decrypt(row["id_cipher"], row["key_id"])
            shown.append(f"id_number {row['id_masked']}")
        if row["phone_cipher"] is not None:
            full["phone"] = datakeys.decrypt(row["phone_cipher"], row["key_id"])
            shown.append(f"phone {row['phone_masked']}")
        out.append(full)
        log.append({"at": at or clock.now(), "actor": user.username, "action": "view", "case_id": case_id,
                    "party_ref": row["party_ref"], "what": ", ".join(shown)[:200], "reason": reason})
    store.log_access(conn, log)
    return out


def lookup(conn: Connection, user: User, id_number: str, reason: str) -> dict:
    """Cases in the user's communities with a party of this full ID number; the search is logged."""
    if not may_see_full(user):
        raise Forbidden("only roles that work with the parties may search by full ID number")
    number = "".join(str(id_number or "").split())
    errors = {}
    if not number or len(number) > 64 or "*" in number:
        errors["id_number"] = "a full ID number is required"
    why = str(reason or "").strip()
    if not why:
        errors["reason"] = "a reason is required"
    elif len(why) > 500:
        errors["reason"] = "at most 500 characters"
    if errors:
        raise InvalidData(f"lookup is invalid: {', '.join(errors)}", errors)
    rows = store.cases_with_id(conn, keyed_hash(number), scope(user))
    at, what = clock.now(), f"id_number {mask_id(number)}"
    store.log_access(conn, [{"at": at, "actor": user.username, "action": "lookup", "case_id": case_id,
                             "party_ref": ref, "what": what, "reason": why}
                            for case_id, ref in ([(r.id, r.party_ref) for r in rows] or [(None, None)])])
    return {"items": [{"case_id": r.id, "case_number": r.case_number, "status": r.status,
                       "process_key": r.process_key, "dispute_type": r.dispute_type, "community": r.community,
                       "created_at": r.created_at, "party_name": r.name, "party_role": r.role,
                       "id_masked": r.id_masked} for r in rows]}


def access_log(conn: Connection, *, limit: int = 100, case_id: int | None = None, actor: str | None = None) -> list:
    return [{"id": r.id, "at": r.at, "actor": r.actor, "action": r.action, "case_id": r.case_id,
             "party_ref": r.party_ref, "what": r.what, "reason": r.reason}
            for r in store.access_log(conn, limit=limit, case_id=case_id, actor=actor)]



