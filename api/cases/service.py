"""Case use cases for the HTTP API: start with intake, list, detail, migrate, cancel.

Each function takes a connection inside the request's one transaction and the acting user.
Scoping: caseworkers see only their communities' cases; a case outside them is "not found".
"""

import base64
import hashlib
import hmac
import json
import math
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from api.attachments import service as attachment_views
from engine.cases import migration, service
from engine.core import clock
from engine.core.errors import Conflict, Forbidden, InvalidData, NotFound
from engine.core.events import event
from engine.core.keys import secret_key
from engine.core.privacy import mask_id, mask_phone, party_rows
from engine.core.types import User
from engine.processes import forms
from engine.store import case_queries as queries
from engine.store import deadlines as deadline_store
from engine.store import definitions as def_store
from engine.store import tasks as task_store

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Roles that work with the parties and so see their full ID numbers and phones on the case page.
FULL_PARTY_ROLES = ("intake", "mediator", "lawyer", "supervisor")
SUMMARY_CHARS = 200
MAX_AMOUNT = Decimal("99999999999999.99")  # NUMERIC(16, 2)
MAX_INT = 2**31 - 1
MAX_DEPTH = 20
_ID_KEYS = ("id_number",)
_PHONE_KEYS = ("phone", "contact", "mobile", "contact_phone")


class DuplicateCase(Conflict):
    """An identical matter of the same parties is open (信访工作条例 第19条: not accepted twice)."""

    code = "duplicate_case"


def _scope(user: User) -> list[str] | None:
    return None if user.sees_all_communities else list(user.communities)



# ----------------------------------------------------------------------------- start
def _check_values(data: dict) -> None:
    """Refuse what a database column or JSON cannot hold, before anything runs."""
    stack, errors = [(data, "", 0)], {}
    while stack:
        value, path, depth = stack.pop()
        if depth > MAX_DEPTH:
            errors[path or "(data)"] = "nested too deeply"
        elif isinstance(value, dict):
            stack.extend((v, f"{path}.{k}" if path else str(k), depth + 1) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((v, f"{path}.{i}", depth + 1) for i, v in enumerate(value))
        elif isinstance(value, str) and "\x00" in value:
            errors[path] = "contains a NUL character"
        elif isinstance(value, float) and not math.isfinite(value):
            errors[path] = "must be a finite number"
    amount, people = data.get("amount"), data.get("people_count")
    if isinstance(amount, int | float) and not isinstance(amount, bool) and math.isfinite(amount) \
            and abs(Decimal(str(amount))) > MAX_AMOUNT:
        errors["amount"] = "too large"
    if isinstance(people, int) and not isinstance(people, bool) and abs(people) > MAX_INT:
        errors["people_count"] = "too large"
    if errors:
        first = next(iter(errors.items()))
        raise InvalidData(f"case data is invalid: {first[0]}: {first[1]}", errors)


def _check_community(user: User, data: dict) -> None:
    community = data.get("community")
    if user.sees_all_communities:
        return
    if not isinstance(community, str) or not community:
        raise InvalidData("the case needs a community", {"community": "required"})
    if community not in user.communities:
        raise Forbidden(f"community '{community}' is not one of yours")


def _year_ago(at: datetime) -> datetime:
    local = at.astimezone(SHANGHAI)
    try:
        return local.replace(year=local.year - 1)
    except ValueError:  # 29 February
        return local.replace(year=local.year - 1, day=28)


def _check_first_form(conn: Connection, case, task, data: dict) -> None:
    """The data must fit the first task's form even when the task stays open for its group."""
    definition = def_store.get_by_id(conn, case.definition_id)
    schema = forms.schema_for(definition.content_hash, task.form_key, lambda: def_store.forms(conn, definition.id))
    forms.validate(definition.content_hash, task.form_key, schema, data)


def start(conn: Connection, user: User, process_key: str, data: dict) -> dict:
    """Duplicate check, start, complete the intake task when it is the caller's; one transaction."""
    _check_values(data)
    _check_community(user, data)
    parties = party_rows(data.get("parties"))
    id_hashes = [p["id_hash"] for p in parties if p["id_hash"]]
    name_phones = [(p["name"], p["phone_hash"]) for p in parties if p["phone_hash"]]
    request_kind = data.get("request_kind") if isinstance(data.get("request_kind"), str) else None
    dispute_type = data.get("dispute_type") if isinstance(data.get("dispute_type"), str) else None
    queries.lock_parties(conn, id_hashes, name_phones)
    related, recent_petitions = queries.party_history(
        conn, id_hashes, name_phones, dispute_type=dispute_type, request_kind=request_kind,
        petitions_since=_year_ago(clock.now()))
    if related and related[0].duplicate:
        raise DuplicateCase(f"an identical matter of the same parties is open: {related[0].case_number}")
    repeat = request_kind == "petition" and recent_petitions + 1 >= 2
    case = service.start_case(conn, process_key, data=data, actor=user.username)
    first = case.open_tasks[0] if case.open_tasks else None
    if first is not None and first.group == user.role:
        case = service.complete_task(conn, first.id, data, actor=user.username)
    elif first is not None:
        _check_first_form(conn, case, first, data)
    if repeat:
        queries.flag_repeat_petitioner(conn, case.id, event(
            case.id, clock.now(), user.username, "repeat_petitioner_flagged", petitions_12_months=recent_petitions + 1))
    scope = _scope(user)
    return {"id": case.id, "case_number": case.case_number, "status": case.status,
            "open_tasks": [_task(t) for t in case.open_tasks],
            "related_cases": [_related(r) for r in related if scope is None or r.community in scope],
            "repeat_petitioner": repeat}


def _task(t) -> dict:
    return {"id": t.id, "element_id": t.element_id, "name": t.name, "group": t.group, "due_at": t.due_at}


def _related(r) -> dict:
    return {"id": r.id, "case_number": r.case_number, "status": r.status, "dispute_type": r.dispute_type,
            "created_at": r.created_at}


# ----------------------------------------------------------------------------- list
def _sign(payload: bytes) -> str:
    return hmac.new(secret_key().encode(), b"cases-cursor:" + payload, hashlib.sha256).hexdigest()[:32]


def encode_cursor(created_at: datetime, case_id: int) -> str:
    payload = json.dumps([created_at.astimezone(UTC).isoformat(), case_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(payload).decode().rstrip("=") + "." + _sign(payload)


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    """(created_at, id) of a cursor this service issued; InvalidData for anything else."""
    try:
        body, sig = cursor.split(".")
        payload = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        if not hmac.compare_digest(sig, _sign(payload)):
            raise ValueError("bad signature")
        at, case_id = json.loads(payload)
        at = datetime.fromisoformat(at)
        if at.tzinfo is None or not isinstance(case_id, int):
            raise ValueError("bad cursor")
        return at.astimezone(UTC), case_id
    except (ValueError, TypeError, UnicodeDecodeError):
        raise InvalidData("invalid cursor", {"cursor": "invalid cursor"}) from None


def _day_start(day: date, field: str) -> datetime:
    if not 1900 <= day.year <= 9000:
        raise InvalidData(f"{field} is out of range", {field: "out of range"})
    return datetime.combine(day, time.min, SHANGHAI).astimezone(UTC)


def search(conn: Connection, user: User, *, limit: int = 20, cursor: str | None = None,
           created_from: date | None = None, created_to: date | None = None, **filters) -> dict:
    """A page of cases in the user's communities, newest first, and the cursor of the next page."""
    after = decode_cursor(cursor) if cursor else None
    rows = queries.search(
        conn, communities=_scope(user), now=clock.now(), after=after, limit=limit + 1,
        created_from=_day_start(created_from, "created_from") if created_from else None,
        created_before=_day_start(created_to, "created_to") + timedelta(days=1) if created_to else None,
        **filters)
    page = rows[:limit]
    next_cursor = encode_cursor(page[-1].created_at, page[-1].id) if len(rows) > limit else None
    return {"items": [_item(r) for r in page], "next_cursor": next_cursor}


def _item(r) -> dict:
    summary = r.summary if r.summary is None or len(r.summary) <= SUMMARY_CHARS else r.summary[:SUMMARY_CHARS] + "…"
    return {"id": r.id, "case_number": r.case_number, "status": r.status, "process_key": r.process_key,
            "dispute_type": r.dispute_type, "channel": r.channel, "community": r.community, "summary": summary,
            "amount": float(r.amount) if r.amount is not None else None, "risk_level": r.risk_level,
            "outcome": r.outcome, "repeat_petitioner": bool(r.repeat_petitioner), "created_at": r.created_at,
            "updated_at": r.updated_at, "open_task_count": r.open_tasks}


# ----------------------------------------------------------------------------- detail
PARTY_FIELDS = ("role", "party_kind", "name", "id_type", "id_number", "phone", "address", "legal_representative")


def _party(p: dict, full: bool) -> dict:
    out = {k: (v if isinstance(v, str) or v is None else str(v)) for k in PARTY_FIELDS if (v := p.get(k)) is not None}
    if not full:
        out["id_number"] = mask_id(out.get("id_number"))
        out["phone"] = mask_phone(out.get("phone"))
    return {**out, "masked": not full}


def mask_deep(value):
    """Event data with every ID number and phone masked, at any depth (forms nest parties)."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            if k in _ID_KEYS and isinstance(v, str):
                out[k] = mask_id(v)
            elif k in _PHONE_KEYS and isinstance(v, str):
                out[k] = mask_phone(v)
            else:
                out[k] = mask_deep(v)
        return out
    if isinstance(value, list):
        return [mask_deep(v) for v in value]
    return value


def _deadline(kind: str, due: datetime, now: datetime, task=None) -> dict:
    remaining = int((due - now).total_seconds())
    return {"kind": kind, "task_id": task.id if task else None, "name": task.name if task else None,
            "due_at": due, "seconds_remaining": remaining, "overdue": remaining < 0}


def _event(e) -> dict:
    data = e.data if isinstance(e.data, dict) else {}
    return {"at": e.at, "actor": e.actor, "kind": e.kind, "task_id": e.task_id, "element": data.get("element"),
            "task_name": data.get("name") if e.task_id else None, "data": mask_deep(data)}


def detail(conn: Connection, user: User, case_id: int) -> dict:
    """The case page: business fields, parties (masked by role), tasks, deadlines, timeline, related."""
    scope = _scope(user)
    row = queries.detail(conn, case_id, scope)
    if row is None:
        raise NotFound(f"case {case_id} not found")
    now = clock.now()
    open_tasks = task_store.open_for_case(conn, case_id)
    deadlines = [_deadline("task", t.due_at, now, t) for t in open_tasks if t.due_at is not None]
    if row.next_timer_at is not None and row.status == "active":
        deadlines.append(_deadline("timer", row.next_timer_at, now))
    full = user.role in FULL_PARTY_ROLES
    parties = (row.data or {}).get("parties")
    return {
        **{k: getattr(row, k) for k in (
            "id", "case_number", "status", "process_key", "channel", "source", "dispute_type", "request_kind",
            "community", "summary", "people_count", "risk_level", "difficult", "outcome", "owner", "created_by",
            "created_at", "updated_at", "completed_at", "next_timer_at")},
        "process_version": row.version, "amount": float(row.amount) if row.amount is not None else None,
        "repeat_petitioner": bool(row.repeat_petitioner),
        "parties": [_party(p, full) for p in (parties if isinstance(parties, list) else []) if isinstance(p, dict)],
        "open_tasks": [_task(t) for t in open_tasks],
        "deadlines": sorted(deadlines, key=lambda d: d["due_at"]),
        "timeline": [_event(e) for e in service.case_events(conn, case_id)],
        "related_cases": [_related(r) for r in queries.related_to_case(conn, case_id, scope)],
        **page_support(conn, row, now),
    }


def page_support(conn: Connection, row, now: datetime) -> dict:
    """What the case page draws besides the fields: diagram states, clocks with pauses, attachments."""
    states = service.element_states(conn, row.id)
    own = states.pop(row.process_key, {"active": [], "completed": []})
    done = set(own["completed"]) | set(queries.completed_task_elements(conn, row.id, row.process_key))
    done = sorted(done - set(own["active"]))
    return {
        "paused": row.paused_at is not None, "paused_since": row.paused_at,
        "diagram": {"process_key": row.process_key, "version": row.version,
                    "xml_url": f"/api/v1/processes/{row.process_key}/versions/{row.version}/xml"},
        "active_elements": own["active"], "completed_elements": done,
        "called_processes": [{"process_key": k, "active_elements": v["active"], "completed_elements": v["completed"]}
                             for k, v in sorted(states.items())],
        "clocks": [_clock(d, now) for d in deadline_store.for_case(conn, row.id)],
        "attachments": attachment_views.for_case(conn, row.id),
    }


def _clock(d, now: datetime) -> dict:
    paused = d.status == "paused" and d.paused_at is not None
    total = d.paused_seconds + (int((now - d.paused_at).total_seconds()) if paused else 0)
    return {"id": d.id, "task_id": d.task_id, "kind": d.kind, "rule_key": d.rule_key, "name": d.name,
            "status": d.status, "due_at": d.due_at, "closed_at": d.closed_at, "paused": paused,
            "paused_since": d.paused_at if paused else None, "paused_seconds": total,
            "overdue": d.closed_at is None and not paused and d.due_at < now}


# ----------------------------------------------------------------------------- supervision
def _check_visible(conn: Connection, user: User, case_id: int) -> None:
    scope = _scope(user)
    if scope is not None and not queries.visible(conn, case_id, scope):
        raise NotFound(f"case {case_id} not found")


def preview_migration(conn: Connection, user: User, case_id: int, version: int | None) -> dict:
    _check_visible(conn, user, case_id)
    plan = migration.preview(conn, case_id, version)
    return {"case_id": case_id, "version": version, "safe": plan.safe, "reasons": plan.reasons,
            "added": plan.added, "removed": plan.removed, "changed": plan.changed}


def migrate(conn: Connection, user: User, case_id: int, version: int | None) -> dict:
    _check_visible(conn, user, case_id)
    case = migration.migrate_case(conn, case_id, version, actor=user.username)
    return {"id": case.id, "case_number": case.case_number, "status": case.status,
            "version": case.definition_version, "open_tasks": [_task(t) for t in case.open_tasks]}


def cancel(conn: Connection, user: User, case_id: int, reason: str) -> dict:
    _check_visible(conn, user, case_id)
    case = service.cancel_case(conn, case_id, user.username, reason)
    return {"id": case.id, "case_number": case.case_number, "status": case.status}
