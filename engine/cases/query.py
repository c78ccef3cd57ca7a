"""案件查询: find any case by 案号 (any spelling), party name, phone or ID number, and the case's fields.

- The search box (``q``) reads what it is given: an 18/15-digit ID number, a phone (7 digits or more), a 案号
  (``福田调〔2026〕0011号``, ``[2026]11``, ``2026-11``, ``0011``), else a party's name (contained from three
  characters on, else its start: trigram indexes need three).
- Phones and ID numbers match exactly, by keyed hash (they are stored encrypted); only the roles that work with
  the parties (``SEARCH_PII_ROLES``: intake, mediator, lawyer, supervisor) may search by them, and each such
  search is recorded in the access log (``pii_access``, action ``search``) with who searched and the masked
  value. For other roles a number in the search box is read as a 案号 or a name.
- Everyone sees only their communities' cases. Applicants' names are shown in full to the roles that work with
  the parties, else masked (王**).
- Sorted by a whitelisted column with the id as tiebreak; pages by offset up to ``MAX_ROWS`` rows deep; the
  total is counted up to ``MAX_ROWS`` (``total_capped`` beyond).
"""

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from engine import privacy
from engine.cases.warning import GROUP_CASE_PEOPLE, is_group_case
from engine.core import case_numbers, clock
from engine.core.errors import Forbidden, InvalidData
from engine.core.keys import keyed_hash
from engine.core.privacy import mask_id, mask_phone
from engine.core.scope import scope
from engine.core.types import User
from engine.store import case_search as store
from engine.store import privacy as privacy_store

SHANGHAI = ZoneInfo("Asia/Shanghai")
SEARCH_PII_ROLES = privacy.FULL_PARTY_ROLES
MAX_ROWS = 10_000  # deepest row a page reaches, the count's bound and the export's row cap
FEW = 5_000  # up to this many matches are fetched by the filters and sorted, more are found walking the sort
SUMMARY_CHARS = 80
SEARCH_REASON = "案件查询 (case search)"
SORTS = tuple(store.SORTS)
EQUAL = ("status", "dispute_type", "channel", "community", "leader")
DATE_RANGES = ("received", "accepted", "closed")  # day columns <x>_on
_ID = re.compile(r"^(\d{17}[\dX]|\d{15})$")
_PHONE = re.compile(r"^\+?[\d\-() ]{7,20}$")


def _invalid(field: str, kind: str, english: str):
    err = InvalidData(f"{field}: {english}", {field: english})
    err.kinds = {field: kind}
    return err


def phone_candidates(text: str) -> list[str]:
    """The ways a phone may have been written at intake: as typed, digits only, without +86, landline split."""
    raw = "".join(str(text).split())
    digits = re.sub(r"\D", "", raw)
    out = {raw, digits}
    if digits.startswith("86") and len(digits) == 13:
        out.add(digits[2:])
    for d in list(out):
        if d.isdigit() and d.startswith("0") and 10 <= len(d) <= 12:
            out.update({f"{d[:3]}-{d[3:]}", f"{d[:4]}-{d[4:]}"})
    return sorted(v for v in out if v)


def _kind_of(q: str) -> str:
    s = "".join(q.split()).upper()
    if _ID.match(s):
        return "id_number"
    if _PHONE.match(q.strip()) and len(re.sub(r"\D", "", q)) >= 7 and not case_numbers.looks_like_number(q):
        return "phone"
    if case_numbers.looks_like_number(q):
        return "case_number"
    return "text"


def _day(value: date | None, field: str) -> date | None:
    if value is not None and not 1900 <= value.year <= 9000:
        raise _invalid(field, "value_error", "out of range")
    return value


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, SHANGHAI).astimezone(UTC)


def build(user: User, now: datetime, *, q: str | None = None, case_number: str | None = None,
          name: str | None = None, phone: str | None = None, id_number: str | None = None,
          risk_level: list[str] | None = None, group: bool | None = None, stage: str | None = None,
          overdue: bool | None = None, created_from: date | None = None, created_to: date | None = None,
          **rest) -> tuple[store.Filters, dict]:
    """The store's filters for a search, and what the search asked for by phone or ID number (to be logged)."""
    f = store.Filters(communities=scope(user), now=now, risk_levels=list(risk_level or []), group=group,
                      group_people=GROUP_CASE_PEOPLE, stage=(stage or "").strip() or None, overdue=overdue)
    pii = {"phone": [], "id_number": []}
    may_pii = user.role in SEARCH_PII_ROLES
    for key in EQUAL:
        if rest.get(key):
            f.equal[key] = rest[key]
    if q and q.strip():
        kind = _kind_of(q)
        if kind in ("phone", "id_number") and not may_pii:
            kind = "case_number" if case_numbers.looks_like_number(q) else "text"
        if kind == "phone":
            phone = phone or q
        elif kind == "id_number":
            id_number = id_number or q
        elif kind == "case_number":
            case_number = case_number or q
        else:
            f.name = " ".join(q.split())
    if case_number and case_number.strip():
        year, seq = case_numbers.parse(case_number)
        if seq is not None:
            f.number = (year, seq)
        else:
            f.number_text = "".join(case_number.split())
    if name and name.strip():
        f.name = " ".join(name.split())
    for field, value in (("phone", phone), ("id_number", id_number)):
        if value and value.strip():
            if not may_pii:
                raise Forbidden("only the roles that work with the parties may search by phone or ID number")
            clean = "".join(value.split()).upper()
            if "*" in clean or len(clean) < 5 or len(clean) > 64:
                raise _invalid(field, "format", "a full number is required")
            pii[field].append(clean)
    f.phone_hashes = [keyed_hash(v) for p in pii["phone"] for v in phone_candidates(p)]
    f.id_hashes = [keyed_hash(v) for v in pii["id_number"]]
    if created_from or created_to:
        f.ranges["created_at"] = (_midnight(_day(created_from, "created_from")) if created_from else None,
                                  _midnight(_day(created_to, "created_to") + timedelta(days=1)) if created_to else None)
    for prefix in DATE_RANGES:
        start, end = _day(rest.get(f"{prefix}_from"), f"{prefix}_from"), _day(rest.get(f"{prefix}_to"), f"{prefix}_to")
        if start or end:
            f.ranges[f"{prefix}_on"] = (start, end + timedelta(days=1) if end else None)
    return f, pii


def _log(conn: Connection, user: User, pii: dict, case_ids: list[int], at: datetime) -> None:
    what = ", ".join([f"phone {mask_phone(v)}" for v in pii["phone"]] + [f"id_number {mask_id(v)}" for v in pii["id_number"]])
    if not what:
        return
    privacy_store.log_access(conn, [{"at": at, "actor": user.username, "action": "search", "case_id": case_id,
                                     "party_ref": None, "what": what[:200], "reason": SEARCH_REASON}
                                    for case_id in (case_ids or [None])])


def mask_name(name: str | None) -> str | None:
    """王小明 -> 王**: the first character kept."""
    if not name:
        return name
    return name[0] + "*" * min(len(name) - 1, 3) if len(name) > 1 else "*"


def _item(r, full: bool, now: datetime) -> dict:
    summary = r.summary or ""
    line = " ".join(summary.split())
    return {"id": r.id, "case_number": r.case_number, "status": r.status, "process_key": r.process_key,
            "dispute_type": r.dispute_type, "channel": r.channel, "community": r.community,
            "summary": line if len(line) <= SUMMARY_CHARS else line[:SUMMARY_CHARS] + "…",
            "applicant": r.applicant if full else mask_name(r.applicant), "risk_level": r.risk_level,
            "people_count": r.people_count, "group_case": is_group_case(r.people_count),
            "repeat_petitioner": bool(r.repeat_petitioner), "leader": r.leader, "stage": r.stage,
            "received_on": r.received_on, "accepted_on": r.accepted_on, "closed_on": r.closed_on,
            "created_at": r.created_at, "due_at": r.due_at, "overdue": r.due_at is not None and r.due_at < now}


def _sort(sort: str) -> tuple[str, bool]:
    key = sort.removeprefix("-")
    if key not in store.SORTS:
        raise _invalid("sort", "literal_error", f"one of {', '.join(SORTS)}, with - for descending")
    return key, sort.startswith("-")


def search_cases(conn: Connection, user: User, *, sort: str = "-created_at", page: int = 1, limit: int = 20,
                 **params) -> dict:
    """One page of the search: items, the bounded total, the page; a phone or ID search is logged."""
    key, descending = _sort(sort)
    offset = (page - 1) * limit
    if offset + limit > MAX_ROWS:
        raise _invalid("page", "less_than_equal", f"at most {MAX_ROWS} rows deep; narrow the search")
    now = clock.now()
    f, pii = build(user, now, **params)
    f = store.narrow(conn, f)
    total = store.count(conn, f, MAX_ROWS)
    rows = store.search(conn, f, sort=key, descending=descending, offset=offset, limit=limit, few=total <= FEW)
    full = user.role in SEARCH_PII_ROLES
    _log(conn, user, pii, [r.id for r in rows], now)
    return {"items": [_item(r, full, now) for r in rows], "total": min(total, MAX_ROWS),
            "total_capped": total > MAX_ROWS, "page": page, "limit": limit, "sort": sort}


def export_rows(conn: Connection, user: User, *, sort: str = "-created_at", **params) -> tuple[list[dict], bool]:
    """Every matching case up to ``MAX_ROWS`` (and whether there were more), as the list shows them; logged
    like a search when it asks by phone or ID number."""
    key, descending = _sort(sort)
    now = clock.now()
    f, pii = build(user, now, **params)
    f = store.narrow(conn, f)
    rows = store.search(conn, f, sort=key, descending=descending, offset=0, limit=MAX_ROWS + 1,
                        few=store.count(conn, f, FEW) <= FEW)
    full = user.role in SEARCH_PII_ROLES
    _log(conn, user, pii, [r.id for r in rows[:MAX_ROWS]], now)
    return [_item(r, full, now) for r in rows[:MAX_ROWS]], len(rows) > MAX_ROWS
