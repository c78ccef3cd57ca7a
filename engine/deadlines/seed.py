"""The SLA rules tiaojie starts with: the statutory limits of ../shared/domain.md and office SLAs.

Seeding adds missing rules only; rules supervisors changed are left alone.
"""


from sqlalchemy import Connection

from engine.core import clock
from engine.store import deadlines as store

# key, name, kind, process, element, duration, clock, source
SEED = [
    ("petition_register_15d", "信访登记受理并告知（15日）", "statutory", "petition_handling", "petition_register", 15,
     "natural", "信访工作条例（2022）第22、23条"),
    ("petition_conclude_60d", "信访事项办结（60日，经批准可延长30日）", "statutory", "petition_handling",
     "petition_handle", 60, "natural", "信访工作条例（2022）第34条"),
    ("screening_accept_5wd", "决定是否受理（5个工作日）", "statutory", "dispute_case", "lawyer_review", 5, "workdays",
     "深圳经济特区矛盾纠纷多元化解条例 第45–46条（待核实）"),
    ("jc_apply_30d", "申请司法确认（协议生效起30日）", "statutory", "people_mediation", "jc_apply", 30, "natural",
     "人民调解法 第33条"),
    ("intake_register_1wd", "受理登记（1个工作日）", "sla", "dispute_case", "intake", 1, "workdays", "街道办事规范"),
    ("mediation_accept_3wd", "受理调解并告知权利义务（3个工作日）", "sla", "people_mediation", "mediation_accept", 3,
     "workdays", "街道办事规范"),
    ("guidance_letter_3wd", "出具引导函（3个工作日）", "sla", "dispute_case", "issue_guidance_letter", 3, "workdays",
     "街道办事规范"),
    ("labour_guidance_letter_3wd", "出具劳动仲裁引导函（3个工作日）", "sla", "labour_mediation",
     "labour_guidance_letter", 3, "workdays", "街道办事规范"),
    ("follow_up_15d", "回访（15日）", "sla", "people_mediation", "follow_up_visit", 15, "natural", "街道办事规范"),
    ("leader_take_charge_3wd", "包案领导接案（3个工作日）", "sla", "leader_case", "leader_take_charge", 3, "workdays",
     "领导包案制度"),
]


def seed(conn: Connection, actor: str = "seed") -> int:
    """Insert the rules that do not exist yet; returns how many were added."""
    existing = {r.key for r in store.all_rules(conn)}
    at = clock.now()
    added = 0
    leader = [tuple(r[k] for k in _TUPLE) for r in SEED_LEADER if r["starts_from"] == "task"]
    for key, name, kind, process, element, duration, day_kind, source in SEED + leader:
        if key in existing:
            continue
        store.insert_rule(conn, {"key": key, "name": name, "kind": kind, "process_key": process,
                                 "element_id": element, "dispute_type": None, "duration": duration, "clock": day_kind,
                                 "warn_fraction": None, "warn_before_hours": None, "escalate_after_hours": 24,
                                 "source": source, "active": True, "updated_by": actor, "updated_at": at})
        added += 1
    return added


# 领导包案 (issue 13): rules as dicts in the shared shape. ``leader_target`` runs from the target date the
# leader set when taking charge (case date ``leader_target_on``) to the end of that day; it needs the clocks
# engine (``starts_from`` a case date), so until that is merged ``seed`` adds only the rules that start from
# the task. The BPMN timer ``leader_target_due`` in leader_case.bpmn fires at the same moment.
_TUPLE = ("key", "name", "kind", "process_key", "element_id", "duration", "clock", "source")
SEED_LEADER = [
    {"key": "leader_progress_note_3wd", "name": "包案进展记录（3个工作日）", "kind": "sla", "process_key": "leader_case",
     "element_id": "leader_progress_note", "duration": 3, "clock": "workdays", "starts_from": "task", "scope": "task",
     "extension_amount": None, "extension_clock": None, "extension_rule": None, "source": "领导包案制度"},
    {"key": "leader_target", "name": "包案化解目标日期", "kind": "sla", "process_key": "leader_case",
     "element_id": "leader_follow_up", "duration": 0, "clock": "natural", "starts_from": "leader_target_on",
     "scope": "task", "extension_amount": None, "extension_clock": None, "extension_rule": None,
     "source": "领导包案制度（定时限）"},
]
