"""Early warning (预警) at intake, not only at breach; repeat visits; the leader of a key case (领导包案).

A case warns at once when it is a group case (涉及人数 ≥ 5), its risk level is red, its petitioner
is a repeat petitioner, it is an over-the-level petition (越级), or the matter was visited
``TIAOJIE_REPEAT_VISIT_WARN`` times or more. The leaders and the 综治 supervisors who serve the
case's community get one email per case and reason set (outbox, same transaction, masked), and the
timeline gets an ``early_warning`` event listing the reasons. A new reason (a third visit, say)
warns again, with every reason listed.

The leader of a key case is chosen by ``TIAOJIE_LEADER_RULES`` (community, dispute type), else by
hand: whoever in the leaders' group takes charge.
"""

import json
from datetime import datetime

from sqlalchemy import Connection

from engine.core.errors import InvalidData
from engine.core.events import event
from engine.core.logmask import mask_text
from engine.core.settings import get_settings
from engine.notifications import outbox
from engine.store import events as event_store
from engine.store import task_queries
from engine.store import warnings as store

REASONS = ("group_case", "red_risk", "repeat_petitioner", "over_level", "repeat_visits")
GROUP_CASE_PEOPLE = 5
SUPERVISOR_ROLE = "supervisor"  # 综治 supervisor
LEADER_ROLE = "leader"
SUMMARY_CHARS = 500
WARN_AFTER = ("intake",)  # element ids of the intake tasks: the warning is checked once they are done
TAKE_CHARGE = "leader_take_charge"


def is_group_case(people_count: int | None) -> bool:
    """群体性纠纷: 涉及人数 ≥ 5 (``GROUP_CASE_PEOPLE``); the one rule the warning, lists and search share."""
    return (people_count or 0) >= GROUP_CASE_PEOPLE


def repeat_visit_threshold() -> int:
    return max(2, get_settings().repeat_visit_warn)


def reasons_of(row, repeat_visits: int | None = None) -> list[str]:
    """The reasons for an early warning of a case row (people_count, risk_level, flags, visit_count)."""
    repeat_visits = repeat_visits or repeat_visit_threshold()
    found = {
        "group_case": is_group_case(row.people_count),
        "red_risk": row.risk_level == "red",
        "repeat_petitioner": bool(row.repeat_petitioner),
        "over_level": bool(row.over_level),
        "repeat_visits": (row.visit_count or 1) >= repeat_visits,
    }
    return [r for r in REASONS if found[r]]


def check(conn: Connection, case_id: int, actor: str | None, at: datetime, known=None) -> list[str]:
    """Warn about the case if it has reasons it was not warned about as a set; the reasons warned (or []).

    ``known``: the case row as this transaction just wrote it (a case registered now: never warned yet), read
    only when it has a reason."""
    if known is not None and (known.status != "active" or not reasons_of(known)):
        return []
    row = store.case_row(conn, case_id)
    if row is None or row.status != "active":
        return []
    reasons = reasons_of(row)
    if not reasons or tuple(sorted(reasons)) in store.warned_reason_sets(conn, case_id):
        return []
    key = "+".join(reasons)
    people = outbox.recipients(conn, role=LEADER_ROLE, community=row.community)
    people += outbox.recipients(conn, role=SUPERVISOR_ROLE, community=row.community)
    context = {"case_id": row.id, "case_number": row.case_number, "community": row.community,
               "dispute_type": row.dispute_type, "people_count": row.people_count, "risk_level": row.risk_level,
               "visit_count": row.visit_count, "reasons": reasons}
    sent = [u for u in people
            if outbox.enqueue(conn, dedupe_key=f"early-warning:{row.id}:{key}:{u}", template="early_warning",
                              context=context, to_user=u, case_id=row.id, at=at) is not None]
    event_store.append(conn, [event(row.id, at, actor, "early_warning", reasons=reasons, emails=sent)])
    return reasons


def record_visit(conn: Connection, case_id: int, data: dict, actor: str | None, at: datetime) -> int:
    """A repeat visit about an open matter: visit_count + 1 and a ``repeat_visit`` timeline event
    (channel, date, what was said, masked); the new visit count. The early warning is checked."""
    visits = store.add_visit(conn, case_id, at)
    day = data.get("received_on") or data.get("received_date")
    said = data.get("summary") if isinstance(data.get("summary"), str) else ""
    requests = data.get("requests") if isinstance(data.get("requests"), str) else ""
    text = "；".join(x for x in (said, requests) if x)[:SUMMARY_CHARS]
    event_store.append(conn, [event(
        case_id, at, actor, "repeat_visit", channel=data.get("channel") if isinstance(data.get("channel"), str)
        else None, date=day if isinstance(day, str) else at.date().isoformat(), summary=mask_text(text),
        visit_count=visits)])
    check(conn, case_id, actor, at)
    return visits


# ----------------------------------------------------------------------------- 领导包案: the leader


def leader_rules() -> list[dict]:
    """``TIAOJIE_LEADER_RULES`` parsed: a list of {"leader", "community"?, "dispute_type"?}."""
    raw = get_settings().leader_rules.strip()
    if not raw:
        return []
    try:
        rules = json.loads(raw)
    except ValueError as err:
        raise InvalidData(f"TIAOJIE_LEADER_RULES is not JSON: {err}", {"TIAOJIE_LEADER_RULES": "invalid"}) from err
    if not isinstance(rules, list) or not all(isinstance(r, dict) and isinstance(r.get("leader"), str)
                                               and r["leader"] for r in rules):
        raise InvalidData("TIAOJIE_LEADER_RULES must be a list of objects with a leader",
                          {"TIAOJIE_LEADER_RULES": "invalid"})
    return rules


def choose_leader(community: str | None, dispute_type: str | None) -> tuple[str | None, dict | None]:
    """(leader, the rule that chose them) by the first matching rule; (None, None): chosen by hand."""
    for rule in leader_rules():
        if "community" in rule and rule["community"] != community:
            continue
        if "dispute_type" in rule and rule["dispute_type"] != dispute_type:
            continue
        return rule["leader"], rule
    return None, None


def _take_charge(conn: Connection, case_id: int, task: dict, data: dict, at: datetime) -> dict | None:
    """A new 包案 task: the case's leader (already set, or by rule) gets it; the event, if any."""
    leader = store.leader_of(conn, case_id)
    rule = None
    if not leader:
        leader, rule = choose_leader(data.get("community"), data.get("dispute_type"))
        if leader and not store.is_active_leader(conn, leader):
            leader, rule = None, None
        if leader:
            store.set_leader(conn, case_id, leader)
    if not leader:
        return None
    task_queries.assign(conn, task["id"], None, leader, at)
    return event(case_id, at, None, "leader_chosen", task["id"], leader=leader,
                 by="rule" if rule else "case", rule=rule)


def after_step(conn: Connection, case_id: int, completed: str | None, new_tasks: list[dict], data: dict,
               actor: str | None, at: datetime) -> None:
    """What a step of a case sets off here: the early warning when the intake is done, the leader of a
    new 包案 task, the leader who took charge by hand, and the 包案 target date on the timeline."""
    events = [e for t in new_tasks if t["element_id"] == TAKE_CHARGE
              for e in [_take_charge(conn, case_id, t, data, at)] if e]
    if completed == TAKE_CHARGE:
        if actor and not store.leader_of(conn, case_id) and store.is_active_leader(conn, actor):
            store.set_leader(conn, case_id, actor)
            events.append(event(case_id, at, actor, "leader_chosen", leader=actor, by="hand"))
        if isinstance(data.get("leader_target_on"), str):
            events.append(event(case_id, at, actor, "leader_target_set", day=data["leader_target_on"]))
    event_store.append(conn, events)
    if completed in WARN_AFTER and _data_reasons(data):  # the flags on the row were checked at registration
        check(conn, case_id, actor, at)


def _data_reasons(data: dict) -> bool:
    """A reason in the intake data itself (no statement for a quiet case's intake)."""
    people = data.get("people_count")
    return (isinstance(people, int) and people >= GROUP_CASE_PEOPLE) or data.get("risk_level") == "red" \
        or data.get("over_level") is True
