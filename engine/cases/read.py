"""The case read side: the scoped case list, the case page, and what the page draws besides the fields.

Caseworkers see only their communities' cases; a case outside them is "not found". Parties' ID
numbers and phones are shown in full only to the roles that work with the parties
(``FULL_PARTY_ROLES``); every event's data on the timeline is masked.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from engine import privacy
from engine.cases import attachments, clock_actions, service
from engine.cases.warning import reasons_of
from engine.core import clock
from engine.core.cursor import CursorKind
from engine.core.errors import InvalidData, NotFound
from engine.core.privacy import mask_deep, mask_id, mask_phone
from engine.core.scope import scope
from engine.core.types import User
from engine.deadlines.clocks import overdue_by
from engine.processes.called import called_versions
from engine.store import case_clocks as clock_store
from engine.store import case_queries as queries
from engine.store import deadlines as deadline_store
from engine.store import events as event_store
from engine.store import tasks as task_store

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Roles that work with the parties and so see their full ID numbers and phones on the case page (logged).
FULL_PARTY_ROLES = privacy.FULL_PARTY_ROLES
SUMMARY_CHARS = 200
PARTY_FIELDS = ("role", "party_kind", "name", "id_type", "id_number", "phone", "address", "legal_representative")
# The case list is newest first: its cursor is the (created_at, id) of a page's last case.
CASES_CURSOR = CursorKind("cases", ("time", "int"))


def task_item(t, now: datetime | None = None) -> dict:
    """A task in a case answer; ``overdue_by`` ({"days": n}) when it is past its due time."""
    return {"id": t.id, "element_id": t.element_id, "name": t.name, "group": t.group, "due_at": t.due_at,
            "overdue_by": overdue_by(t.due_at, "natural", now or clock.now())}


def related_item(r) -> dict:
    return {"id": r.id, "case_number": r.case_number, "status": r.status, "dispute_type": r.dispute_type,
            "created_at": r.created_at}


# ----------------------------------------------------------------------------- list
def _day_start(day: date, field: str) -> datetime:
    """Midnight of ``day`` in Asia/Shanghai, in UTC."""
    if not 1900 <= day.year <= 9000:
        raise InvalidData(f"{field} is out of range", {field: "out of range"})
    return datetime.combine(day, time.min, SHANGHAI).astimezone(UTC)


def search(conn: Connection, user: User, *, limit: int = 20, cursor: str | None = None,
           created_from: date | None = None, created_to: date | None = None, **filters) -> dict:
    """A page of cases in the user's communities, newest first, and the cursor of the next page.

    ``created_from`` and ``created_to`` are days in Asia/Shanghai, both included.
    """
    after = CASES_CURSOR.decode(cursor) if cursor else None
    rows = queries.search(
        conn, communities=scope(user), now=clock.now(), after=after, limit=limit + 1,
        created_from=_day_start(created_from, "created_from") if created_from else None,
        created_before=_day_start(created_to, "created_to") + timedelta(days=1) if created_to else None,
        **filters)
    page = rows[:limit]
    next_cursor = CASES_CURSOR.encode(page[-1].created_at, page[-1].id) if len(rows) > limit else None
    return {"items": [_item(r) for r in page], "next_cursor": next_cursor}


def _item(r) -> dict:
    summary = r.summary if r.summary is None or len(r.summary) <= SUMMARY_CHARS else r.summary[:SUMMARY_CHARS] + "…"
    return {"id": r.id, "case_number": r.case_number, "status": r.status, "process_key": r.process_key,
            "dispute_type": r.dispute_type, "channel": r.channel, "community": r.community, "summary": summary,
            "amount": float(r.amount) if r.amount is not None else None, "risk_level": r.risk_level,
            "outcome": r.outcome, "repeat_petitioner": bool(r.repeat_petitioner), "created_at": r.created_at,
            "updated_at": r.updated_at, "open_task_count": r.open_tasks}


# ----------------------------------------------------------------------------- the case page
def _party(p: dict, full: bool) -> dict:
    out = {k: (v if isinstance(v, str) or v is None else str(v)) for k in PARTY_FIELDS if (v := p.get(k)) is not None}
    if not full:
        out["id_number"] = mask_id(out.get("id_number"))
        out["phone"] = mask_phone(out.get("phone"))
    return {**out, "masked": not full}


def _deadline(kind: str, due: datetime, now: datetime, task=None, confirmed: bool = True) -> dict:
    remaining = int((due - now).total_seconds())
    return {"kind": kind, "task_id": task.id if task else None, "name": task.name if task else None,
            "due_at": due, "seconds_remaining": remaining, "overdue": remaining < 0, "calendar_confirmed": confirmed,
            "overdue_by": overdue_by(due, "natural", now)}


def _event(e) -> dict:
    data = e.data if isinstance(e.data, dict) else {}
    return {"at": e.at, "actor": e.actor, "kind": e.kind, "task_id": e.task_id, "element": data.get("element"),
            "task_name": data.get("name") if e.task_id else None, "data": mask_deep(data)}


def detail(conn: Connection, user: User, case_id: int) -> dict:
    """The case page: business fields, parties (masked by role), tasks, deadlines, timeline, related."""
    communities = scope(user)
    row, task_rows, date_rows, event_rows = queries.page(conn, case_id, communities)  # one round trip
    if row is None:
        raise NotFound(f"case {case_id} not found")
    now = clock.now()
    open_tasks, done = task_store.open_and_done(task_rows, row.process_key)
    deadline_rows = deadline_store.for_case(conn, case_id) if row.has_deadlines else []
    support = page_support(conn, row, now, deadline_rows, done)
    actions = clock_actions.for_rows(conn, user, case_id, deadline_rows, row)
    for c in support["clocks"]:
        c.update(actions.get(c["id"], {}))
    provisional = {c["task_id"] for c in support["clocks"] if c["closed_at"] is None and not c["calendar_confirmed"]}
    deadlines = [_deadline("task", t.due_at, now, t, t.id not in provisional)
                 for t in open_tasks if t.due_at is not None]
    if row.next_timer_at is not None and row.status == "active":
        deadlines.append(_deadline("timer", row.next_timer_at, now))
    full = user.role in FULL_PARTY_ROLES
    parties = (row.data or {}).get("parties")
    parties = [p for p in (parties if isinstance(parties, list) else []) if isinstance(p, dict)]
    if full:  # decrypted from case_parties, each party shown recorded in pii_access
        parties = privacy.full_parties(conn, user, case_id, parties, now)
    return {
        **{k: getattr(row, k) for k in (
            "id", "case_number", "status", "process_key", "channel", "source", "dispute_type", "request_kind",
            "community", "summary", "people_count", "risk_level", "difficult", "outcome", "owner", "created_by",
            "created_at", "updated_at", "completed_at", "next_timer_at")},
        "process_version": row.version, "amount": float(row.amount) if row.amount is not None else None,
        "repeat_petitioner": bool(row.repeat_petitioner),
        "over_level": bool(row.over_level), "visit_count": row.visit_count, "leader": row.leader,
        "warnings": reasons_of(row), "pause_rules": clock_actions.pause_rules(user),
        "parties": [_party(p, full) for p in parties],
        "open_tasks": [task_item(t, now) for t in open_tasks],
        **_dates(clock_store.dates_of(date_rows) if row.has_dates else {}),
        "pauses": [{k: getattr(p, k) for k in ("id", "kind", "reason", "started_at", "started_by", "approved_by",
                                              "ended_at", "ended_by")}
                   for p in (clock_store.pauses(conn, case_id) if row.has_pauses else [])],
        "deadlines": sorted(deadlines, key=lambda d: d["due_at"]),
        "timeline": [_event(e) for e in event_store.events_of(event_rows)],
        "related_cases": [related_item(r) for r in (queries.related_to_case(conn, case_id, communities)
                                                     if row.has_parties else [])],
        **support,
    }


def _dates(days: dict) -> dict:
    return {"received_on": days.get("received_on"), "dates": days}


def page_support(conn: Connection, row, now: datetime, deadline_rows: list, done_tasks: list[str] | None = None) -> dict:
    """What the case page draws besides the fields: diagram states, clocks with pauses, attachments.

    ``done_tasks``: the element ids of the case's completed user tasks of its process, when already read."""
    stored = getattr(row, "element_states", None)  # written by every step; NULL: stepped before migration 0018
    states = {k: dict(v) for k, v in stored.items()} if stored is not None else service.element_states(conn, row.id)
    own = states.pop(row.process_key, {"active": [], "completed": []})
    if done_tasks is None:
        done_tasks = queries.completed_task_elements(conn, row.id, row.process_key)
    done = set(own["completed"]) | set(done_tasks)
    done = sorted(done - set(own["active"]))
    return {
        "paused": row.paused_at is not None, "paused_since": row.paused_at,
        "diagram": {"process_key": row.process_key, "version": row.version,
                    "xml_url": f"/api/v1/processes/{row.process_key}/versions/{row.version}/xml"},
        "active_elements": own["active"], "completed_elements": done,
        "called_processes": _called(conn, row.definition_id, states),
        "clocks": [_clock(d, now) for d in deadline_rows],
        "attachments": attachments.for_case(conn, row.id) if row.has_attachments else [],
    }


def _called(conn: Connection, definition_id: int, states: dict) -> list[dict]:
    """The processes the case called, each at the version the case runs (not the latest published)."""
    versions = called_versions(conn, definition_id, sorted(states))
    return [{"process_key": k, "version": versions.get(k),
             "xml_url": f"/api/v1/processes/{k}/versions/{versions[k]}/xml" if versions.get(k) else None,
             "active_elements": v["active"], "completed_elements": v["completed"]} for k, v in sorted(states.items())]


def _clock(d, now: datetime) -> dict:
    paused = d.status == "paused" and d.paused_at is not None
    total = d.paused_seconds + (int((now - d.paused_at).total_seconds()) if paused else 0)
    return {"id": d.id, "task_id": d.task_id, "kind": d.kind, "rule_key": d.rule_key, "name": d.name,
            "status": d.status, "due_at": d.due_at, "closed_at": d.closed_at, "paused": paused,
            "paused_since": d.paused_at if paused else None, "paused_seconds": total,
            "overdue": d.closed_at is None and not paused and d.due_at < now,
            "calendar_confirmed": d.calendar_confirmed,
            "overdue_by": overdue_by(d.due_at, d.clock, now) if d.closed_at is None and not paused else None,
            "scope": d.scope, "process_key": d.process_key, "starts_from": d.starts_from, "starts_at": d.starts_at,
            "amount": d.amount}
