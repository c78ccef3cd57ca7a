"""Running the SLA rules from the office: create, change and retire a rule, each change kept in the rule's
history (old and new values, who, when, why), and the open deadlines a change moves, shown before it is saved.

A change of the limit (``duration``, ``clock``), the date it counts from (``starts_from``) or the warning moves
the rule's open deadlines: each is counted again by ``engine.deadlines.clocks.due_of`` (its start, the new limit,
the time it stood paused, its extensions) and written with a ``deadline_recomputed`` case event; the open task it
set the due time of follows. ``preview`` counts the same without writing. Retiring a rule (``active`` false) opens
no new deadlines; the open ones run on to their due time (retiring never moves a deadline). A new rule applies to
tasks created from then on.
"""

from datetime import datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace

from sqlalchemy import Connection

from engine.core.clock import now
from engine.core.errors import Conflict, InvalidData, NotFound
from engine.core.events import event
from engine.deadlines.clocks import due_of
from engine.deadlines.rules import CLOCKS, RULES, _office_limit, day_start, warn_time
from engine.store import case_clocks as date_store
from engine.store import deadlines as rule_store
from engine.store import events as event_store
from engine.store import sla_rules as store
from engine.store import tasks as task_store

ALERTS = ("assignee", "supervisor", "leader")  # warn + breach · breach (督办) · 领导包案
DEFAULT_ALERTS = "assignee,supervisor,leader"
# what a limit counts from: the task's creation, or a case date (the names of engine.cases.dates.CASE_DATES)
STARTS_FROM = ("task", "received_on", "accepted_on", "applied_on", "agreement_effective_on", "notice_served_on",
               "opinion_received_on", "review_applied_on", "recheck_applied_on", "review_opinion_received_on",
               "knew_on", "leader_target_on")
EDITABLE = ("name", "duration", "clock", "starts_from", "warn_fraction", "warn_before_hours", "escalate_after_hours",
            "alerts", "active", "source")
NEW_ONLY = ("key", "kind", "process_key", "element_id", "dispute_type", "scope")
MOVING = ("duration", "clock", "starts_from", "warn_fraction", "warn_before_hours")


def _bad(field: str, message: str, kind: str) -> InvalidData:
    err = InvalidData(message, {field: message})
    err.kinds = {field: kind}
    return err


def alerts_text(value) -> str:
    """``["leader", "assignee"]`` or ``"assignee, leader"`` -> ``"assignee,leader"`` (in ALERTS order)."""
    names = [v.strip() for v in (value.split(",") if isinstance(value, str) else value or []) if v.strip()]
    unknown = sorted(set(names) - set(ALERTS))
    if unknown:
        raise _bad("alerts", f"unknown recipients: {', '.join(unknown)} (one of {', '.join(ALERTS)})", "alerts_unknown")
    return ",".join(a for a in ALERTS if a in names)


def _checked(changes: dict) -> dict:
    changes = _office_limit(dict(changes))
    if changes.get("clock") is not None and changes["clock"] not in CLOCKS:
        raise _bad("clock", f"clock must be one of {', '.join(CLOCKS)}", "clock_unknown")
    if "starts_from" in changes and changes["starts_from"] not in STARTS_FROM:
        raise _bad("starts_from", "a case date name or task", "starts_from_unknown")
    if "alerts" in changes:
        changes["alerts"] = alerts_text(changes["alerts"])
    if isinstance(changes.get("warn_fraction"), float | int | str):
        changes["warn_fraction"] = Decimal(str(changes["warn_fraction"]))
    return changes


def _plain(value):
    return str(value) if isinstance(value, Decimal) else value


def _after(rule, changes: dict) -> SimpleNamespace:
    return SimpleNamespace(**{**rule._mapping, **changes})


def _counted(conn: Connection, row, after: SimpleNamespace) -> dict | None:
    """The open deadline ``row`` counted under the rule ``after``; None when nothing of it moves."""
    start = row.starts_at
    if after.starts_from != row.starts_from:
        if after.starts_from in (None, "task"):
            start = row.created_at
        else:
            day = date_store.for_case(conn, row.case_id).get(after.starts_from)
            start = day_start(day) if day is not None else row.created_at
    amount = after.duration if row.amount is not None or after.duration is not None else None
    counted = due_of(conn, SimpleNamespace(**{**row._mapping, "amount": amount, "clock": after.clock}), start)
    if counted is None:
        return None
    due, confirmed = counted
    paused = timedelta(seconds=row.paused_seconds or 0)
    warn = warn_time(start, due - paused, after) + paused
    if due == row.due_at and warn == row.warn_at and start == row.starts_at and after.clock == row.clock:
        return None
    return {"deadline_id": row.id, "case_id": row.case_id, "case_number": row.case_number, "task_id": row.task_id,
            "name": row.name, "status": row.status, "old_due": row.due_at, "new_due": due, "old_warn": row.warn_at,
            "new_warn": warn, "starts_at": start, "amount": amount, "clock": after.clock,
            "starts_from": after.starts_from, "calendar_confirmed": confirmed}


def _moves(conn: Connection, rule, changes: dict) -> list[dict]:
    if not any(k in changes and changes[k] != getattr(rule, k) for k in MOVING):
        return []
    after = _after(rule, changes)
    return [m for m in (_counted(conn, r, after) for r in store.open_deadlines(conn, rule.key)) if m is not None]


def _rule_or_404(conn: Connection, key: str):
    rule = store.rule(conn, key)
    if rule is None:
        raise NotFound(f"SLA rule '{key}' not found")
    return rule


def preview(conn: Connection, key: str, changes: dict) -> dict:
    """What saving ``changes`` to rule ``key`` would do, nothing written: the open deadlines it moves (case 案号,
    old and new due time), how many are open, and the changed values before and after."""
    rule = _rule_or_404(conn, key)
    changes = {k: v for k, v in _checked(changes).items() if k in EDITABLE}
    moves = _moves(conn, rule, changes)
    old, new = _diff(rule, changes)
    return {"key": key, "open": len(store.open_deadlines(conn, key)), "moves": moves, "old": old, "new": new}


def _diff(rule, changes: dict) -> tuple[dict, dict]:
    changed = {k: v for k, v in changes.items() if getattr(rule, k) != v}
    return ({k: _plain(getattr(rule, k)) for k in changed}, {k: _plain(v) for k, v in changed.items()})


def _apply(conn: Connection, moves: list[dict], key: str, actor: str, reason: str | None, at: datetime) -> None:
    events = []
    for m in moves:
        values = {"amount": m["amount"], "clock": m["clock"], "starts_from": m["starts_from"],
                  "starts_at": m["starts_at"], "due_at": m["new_due"], "warn_at": m["new_warn"],
                  "calendar_confirmed": m["calendar_confirmed"], "updated_at": at, "claimed_until": None}
        if m["status"] in ("warned", "fired") and m["new_due"] > at and (m["new_warn"] is None or m["new_warn"] > at):
            values.update(status="pending", escalation_level=0, next_escalation_at=None)
        date_store.move(conn, m["deadline_id"], values)
        if m["task_id"] and m["new_due"] != m["old_due"]:
            task_store.move_due(conn, m["task_id"], m["old_due"], m["new_due"])
        events.append(event(m["case_id"], at, actor, "deadline_recomputed", m["task_id"], deadline=m["deadline_id"],
                            name=m["name"], old_due=m["old_due"].isoformat(), new_due=m["new_due"].isoformat(),
                            reason="rule_changed", rule=key, note=reason))
    event_store.append(conn, events)


def change(conn: Connection, key: str, changes: dict, actor: str, reason: str | None = None):
    """``save`` without the moves: the rule after."""
    return save(conn, key, changes, actor, reason)[0]


def save(conn: Connection, key: str, changes: dict, actor: str, reason: str | None = None) -> tuple:
    """Change rule ``key`` (only the fields in ``changes``) as ``actor`` for ``reason``: the rule after and the
    open deadlines moved (as ``preview`` lists them).

    The change is kept in the rule's history; the open deadlines it moves (``preview``) are counted again in
    this transaction. ``duration`` may be written the office's way ("20 个工作日", "30 日", "48 小时", "P30D"),
    which sets the clock too. In force in this process at once, in the others within ``RULE_CACHE_SECONDS``."""
    if not changes:
        raise InvalidData("nothing to change")
    wrong = sorted(set(changes) - set(EDITABLE))
    if wrong:
        raise _bad(wrong[0], f"{', '.join(wrong)} cannot be changed; create a new rule", "rule_field_fixed")
    rule = _rule_or_404(conn, key)
    changes = _checked(changes)
    at = now()
    moves = _moves(conn, rule, changes)
    old, new = _diff(rule, changes)
    rule_store.update_rule(conn, key, {**changes, "updated_by": actor, "updated_at": at})
    if new:
        action = ("retired" if new.get("active") is False else "restored" if new.get("active") is True
                  else "changed")
        store.add_version(conn, {"rule_key": key, "action": action, "old": old, "new": new, "reason": reason,
                                 "moved": len(moves), "changed_by": actor, "changed_at": at})
    _apply(conn, moves, key, actor, reason, at)
    RULES.clear()
    return store.rule(conn, key), moves


def create(conn: Connection, values: dict, actor: str, reason: str | None = None):
    """A new rule (for tasks created from now on), recorded in its history as created; the rule."""
    values = _checked(values)
    if store.rule(conn, values["key"]) is not None:
        taken = Conflict(f"SLA rule '{values['key']}' exists")
        taken.code = "sla_rule_exists"
        raise taken
    if values.get("scope", "task") not in ("task", "case"):
        raise _bad("scope", "task or case", "scope_unknown")
    at = now()
    row = {"kind": "sla", "dispute_type": None, "scope": "task", "starts_from": "task", "clock": "workdays",
           "alerts": DEFAULT_ALERTS, "escalate_after_hours": 24, "active": True, **values,
           "updated_by": actor, "updated_at": at}
    if row["clock"] not in CLOCKS:
        raise _bad("clock", f"clock must be one of {', '.join(CLOCKS)}", "clock_unknown")
    rule_store.insert_rule(conn, row)
    store.add_version(conn, {"rule_key": row["key"], "action": "created", "old": {},
                             "new": {k: _plain(v) for k, v in row.items() if k not in ("updated_by", "updated_at")},
                             "reason": reason, "moved": 0, "changed_by": actor, "changed_at": at})
    RULES.clear()
    return store.rule(conn, row["key"])


def open_counts(conn: Connection) -> dict[str, int]:
    """How many open deadlines each rule has."""
    return store.open_counts(conn)


def history(conn: Connection, key: str) -> list:
    """Rule ``key``'s changes, newest first (404 for an unknown rule)."""
    _rule_or_404(conn, key)
    return store.versions(conn, key)
