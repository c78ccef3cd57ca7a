"""The SLA rules tiaojie starts with: the statutory limits of ../shared/domain.md and office SLAs.

Seeding adds missing rules; a statutory rule still as seeded (``updated_by == 'seed'``) is brought up to
the current seed (start date, scope, extension …); rules a supervisor changed are left alone.
docs/deadlines.md tables these rules: keep the two in step.
"""


from sqlalchemy import Connection

from engine.core import clock
from engine.store import deadlines as store


def _rule(key, name, kind, process_key, element_id, duration, clock_, source, *, starts_from="task", scope="task",
          extension_amount=None, extension_clock=None, extension_rule=None, pausable=True) -> dict:
    return {"key": key, "name": name, "kind": kind, "process_key": process_key, "element_id": element_id,
            "duration": duration, "clock": clock_, "starts_from": starts_from, "scope": scope,
            "extension_amount": extension_amount, "extension_clock": extension_clock,
            "extension_rule": extension_rule, "pausable": pausable, "source": source}


# Every rule: key, name, kind, process_key, element_id, duration, clock, starts_from, scope,
# extension_amount, extension_clock, extension_rule, pausable, source.
SEED = [
    _rule("petition_register_15d", "信访登记受理并告知（15日，自收到之日起）", "statutory", "petition_handling",
          "petition_register", 15, "natural", "信访工作条例（2022）第22、23条", starts_from="received_on"),
    _rule("petition_conclude_60d", "信访事项办结（60日，自受理之日起，经批准可延长30日）", "statutory",
          "petition_handling", "petition_handle", 60, "natural", "信访工作条例（2022）第34条",
          starts_from="accepted_on", scope="case", extension_amount=30, extension_clock="natural",
          extension_rule="approval"),
    _rule("screening_accept_5wd", "决定是否受理（5个工作日）", "statutory", "dispute_case", "lawyer_review", 5,
          "workdays", "深圳经济特区矛盾纠纷多元化解条例 第45–46条（待核实）"),
    # case clocks: process_key is the (sub)process the clock spans (the term subprocess of the model), element_id
    # the task that opens it
    _rule("people_mediation_term_30d", "人民调解期限（30日，自受理之日起，经当事人同意可延长）", "statutory",
          "mediation_term", "mediation_session", 30, "natural",
          "深圳经济特区矛盾纠纷多元化解条例 第25条；人民调解法", starts_from="accepted_on", scope="case",
          extension_clock="natural", extension_rule="consent"),
    _rule("labour_mediation_15d", "劳动争议调解（15日，自申请之日起）", "statutory", "labour_term",
          "labour_accept", 15, "natural", "劳动争议调解仲裁法 第14条", starts_from="applied_on", scope="case"),
    _rule("jc_apply_30d", "申请司法确认（协议生效起30日）", "statutory", "people_mediation", "jc_apply", 30, "natural",
          "人民调解法 第33条", starts_from="agreement_effective_on", pausable=False),
    _rule("intake_register_1wd", "受理登记（1个工作日）", "sla", "dispute_case", "intake", 1, "workdays", "街道办事规范"),
    _rule("mediation_accept_3wd", "受理调解并告知权利义务（3个工作日）", "sla", "people_mediation", "mediation_accept",
          3, "workdays", "街道办事规范"),
    _rule("guidance_letter_3wd", "出具引导函（3个工作日）", "sla", "dispute_case", "issue_guidance_letter", 3,
          "workdays", "街道办事规范"),
    _rule("labour_guidance_letter_3wd", "出具劳动仲裁引导函（3个工作日）", "sla", "labour_mediation",
          "labour_guidance_letter", 3, "workdays", "街道办事规范"),
    _rule("follow_up_15d", "回访（15日）", "sla", "people_mediation", "follow_up_visit", 15, "natural", "街道办事规范"),
    _rule("leader_take_charge_3wd", "包案领导接案（3个工作日）", "sla", "leader_case", "leader_take_charge", 3,
          "workdays", "领导包案制度"),
]

# Columns a seed run brings up to date on a statutory rule nobody has changed.
_CURRENT = ("name", "element_id", "duration", "clock", "starts_from", "scope", "extension_amount", "extension_clock",
            "extension_rule", "pausable", "source")


def seed(conn: Connection, actor: str = "seed") -> int:
    """Insert the rules that do not exist yet and refresh statutory rules still as seeded; returns how many
    were added."""
    existing = {r.key: r for r in store.all_rules(conn)}
    at = clock.now()
    added = 0
    for rule in SEED:
        old = existing.get(rule["key"])
        if old is None:
            store.insert_rule(conn, {**rule, "dispute_type": None, "warn_fraction": None, "warn_before_hours": None,
                                     "escalate_after_hours": 24, "active": True, "updated_by": actor,
                                     "updated_at": at})
            added += 1
        elif old.kind == "statutory" and old.updated_by == "seed":
            changes = {k: rule[k] for k in _CURRENT if getattr(old, k) != rule[k]}
            if changes:
                store.update_rule(conn, rule["key"], {**changes, "updated_at": at})
    return added
