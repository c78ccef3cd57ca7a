"""What a user may do with each of a case's clocks, by the rules ``engine.cases.pause`` enforces: the case
page draws only these buttons (pause, resume, extend) and asks only for what the rule needs.

A clock's entry: ``actions`` (a subset of pause, resume, extend), whether the clock stops when the case is
paused (``pausable``), its limit (``limit``: amount and clock of its rule), how it may be extended by this
user (``extension``: kinds, the clock the amount is counted in, the most still allowed, whether the day the
party was told is asked) and the extensions made (``extensions``). ``pause_rules`` are the pause kinds and
those that need an approver named by this user (an approver role approves their own).
"""

from sqlalchemy import Connection

from engine.cases.pause import (
    APPROVED_PAUSES,
    APPROVER_ROLES,
    PAUSE_KINDS,
    PAUSE_ROLES,
    extension_kinds,
    extension_roles,
)
from engine.core.types import User
from engine.deadlines import rules as deadlines
from engine.store import case_queries
from engine.store import deadlines as store

EXTENSION_FIELDS = ("amount", "clock", "kind", "reason", "approved_by", "requested_by", "at", "party_told_on",
                    "old_due_at", "new_due_at")


def pause_rules(user: User) -> dict:
    """The pause kinds, and those for which this user must name the approver (a supervisor, leader, admin)."""
    return {"kinds": list(PAUSE_KINDS),
            "approver_kinds": [] if user.role in APPROVER_ROLES else list(APPROVED_PAUSES)}


def _extension(user: User, row, rule, made: list) -> dict | None:
    if row.kind == "timer" or row.closed_at is not None or row.status in ("met", "cancelled"):
        return None
    kinds = [k for k in extension_kinds(rule) if user.role in extension_roles(k)]
    if not kinds:
        return None
    most = None
    if rule is not None and rule.extension_amount is not None:
        most = rule.extension_amount - sum(e.amount for e in made)
        if most <= 0:
            return None
    return {"kinds": kinds, "clock": rule.extension_clock if rule is not None else None, "most": most,
            "party_told": rule is not None and rule.extension_rule == "approval"}


def for_rows(conn: Connection, user: User, case_id: int, rows, case_row=None) -> dict[int, dict]:
    """{deadline id: its entry} for the deadline rows of the case as ``user`` (who sees the case) may use them.

    ``case_row``: the case's row when the caller has read it (``status``, ``filed_at``, ``paused_at``)."""
    if not rows:
        return {}
    case_row = case_row if case_row is not None else case_queries.filed(conn, case_id)
    if case_row is None:
        return {}
    open_case = case_row.status == "active" and case_row.filed_at is None
    may_pause = open_case and user.role in PAUSE_ROLES
    out = {}
    made_of = store.extensions_of(conn, [r.id for r in rows if r.kind != "timer"])
    for row in rows:
        rule = deadlines.rule_by_key(conn, row.rule_key) if row.rule_key else None
        made = made_of.get(row.id, [])
        running = row.closed_at is None and row.status not in ("met", "cancelled")
        pausable = rule.pausable if rule is not None else True
        actions = []
        if may_pause and running and pausable:
            actions.append("resume" if case_row.paused_at is not None else "pause")
        extension = _extension(user, row, rule, made) if open_case else None
        if extension:
            actions.append("extend")
        out[row.id] = {
            "actions": actions, "pausable": pausable,
            "limit": {"amount": rule.duration, "clock": rule.clock} if rule is not None else None,
            "extension": extension,
            "extensions": [{k: getattr(e, k) for k in EXTENSION_FIELDS} for e in made],
        }
    return out
