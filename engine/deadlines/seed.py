"""The SLA rules tiaojie starts with: the statutory limits of ../shared/domain.md and office SLAs.

Seeding adds missing rules; a statutory rule still as seeded (``updated_by == 'seed'``) is brought up to
the current seed (start date, scope, extension …); rules a supervisor changed are left alone.
docs/deadlines.md tables these rules: keep the two in step.
"""


from sqlalchemy import Connection

from engine.core import clock
from engine.store import deadlines as store


def _rule(key, name, kind, process_key, element_id, duration, clock_, source, *, starts_from="task", scope="task",
          extension_amount=None, extension_clock=None, extension_rule=None, pausable=True, closes_on=None) -> dict:
    return {"key": key, "name": name, "kind": kind, "process_key": process_key, "element_id": element_id,
            "duration": duration, "clock": clock_, "starts_from": starts_from, "scope": scope,
            "extension_amount": extension_amount, "extension_clock": extension_clock,
            "extension_rule": extension_rule, "pausable": pausable, "closes_on": closes_on, "source": source}


# Every rule: key, name, kind, process_key, element_id, duration, clock, starts_from, scope,
# extension_amount, extension_clock, extension_rule, pausable, closes_on, source. A case-scope clock closes when its
# process ends, or when the element ``closes_on`` (a task) completes, whichever is first.
SEED = [
    _rule("petition_register_15d", "信访登记受理并告知（15日，自收到之日起）", "statutory", "petition_handling",
          "petition_register", 15, "natural", "信访工作条例（2022）第22、23条", starts_from="received_on"),
    _rule("petition_conclude_60d", "信访事项办结（60日，自受理之日起，经批准可延长30日）", "statutory",
          "petition_handling", "petition_handle", 60, "natural", "信访工作条例（2022）第34条",
          starts_from="accepted_on", scope="case", extension_amount=30, extension_clock="natural",
          extension_rule="approval", closes_on="petition_opinion"),  # 办结: the 处理意见书; 复查/复核 are not the 60 days
    _rule("screening_accept_5wd", "决定是否受理（5个工作日）", "statutory", "dispute_case", "lawyer_review", 5,
          "workdays", "深圳经济特区矛盾纠纷多元化解条例 第45–46条（待核实）"),
    # case clocks: process_key is the (sub)process the clock spans (the term subprocess of the model), element_id
    # the task that opens it
    _rule("people_mediation_term_30d", "人民调解期限（30日，自受理之日起，经当事人同意可延长）", "statutory",
          "mediation_term", "mediation_session", 30, "natural",
          "深圳经济特区矛盾纠纷多元化解条例 第25条；人民调解法", starts_from="accepted_on", scope="case",
          extension_clock="natural", extension_rule="consent"),
    _rule("labour_mediation_15d", "劳动争议调解（15日，自申请之日起）", "statutory", "labour_term",
          "labour_session", 15, "natural", "劳动争议调解仲裁法 第14条", starts_from="applied_on", scope="case"),
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
            "extension_rule", "pausable", "closes_on", "source")


def all_rules() -> list[dict]:
    """Every seeded rule, in the shape of ``_rule`` (the procedure lists below may leave out the defaults)."""
    defaults = _rule("", "", "", "", "", 0, "", "")
    return [{**defaults, **r} for r in SEED + SEED_PETITION + SEED_MEDIATION + SEED_LEADER]


def seed(conn: Connection, actor: str = "seed") -> int:
    """Insert the rules that do not exist yet and refresh statutory rules still as seeded; returns how many
    were added."""
    existing = {r.key: r for r in store.all_rules(conn)}
    at = clock.now()
    added = 0
    for rule in all_rules():
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


# 信访 (信访工作条例 2022): the steps after the written notice. Dicts in the shared shape; seed() inserts them too.
SEED_PETITION = [
    {"key": "petition_objection_5wd", "name": "对不属本机关职权的转送、交办事项提出异议（5个工作日）",
     "kind": "statutory", "process_key": "petition_handling", "element_id": "petition_objection", "duration": 5,
     "clock": "workdays", "starts_from": "received_on", "scope": "task", "extension_amount": None,
     "extension_clock": None, "extension_rule": None, "source": "信访工作条例（2022）第23条"},
    {"key": "petition_review_decide_30d", "name": "复查并出具复查意见（收到复查请求起30日）", "kind": "statutory",
     "process_key": "petition_handling", "element_id": "petition_review_decide", "duration": 30, "clock": "natural",
     "starts_from": "review_applied_on", "scope": "task", "extension_amount": None, "extension_clock": None,
     "extension_rule": None, "source": "信访工作条例（2022）第35条"},
    {"key": "petition_recheck_decide_30d", "name": "复核并出具复核意见（收到复核请求起30日，听证时间不计入）",
     "kind": "statutory", "process_key": "petition_handling", "element_id": "petition_recheck_decide", "duration": 30,
     "clock": "natural", "starts_from": "recheck_applied_on", "scope": "task", "extension_amount": None,
     "extension_clock": None, "extension_rule": None, "source": "信访工作条例（2022）第36条"},
]


# The legal ends of people's and labour mediation (issue 13): steps added to people_mediation and
# labour_mediation. The 30-day people's-mediation term and the labour 15 days are case clocks seeded above.
SEED_MEDIATION = [
    {"key": "jc_result_18d", "name": "法院司法确认结果(受理3日+确认15日)", "kind": "statutory",
     "process_key": "people_mediation", "element_id": "jc_result", "duration": 18, "clock": "natural",
     "starts_from": "task", "scope": "task", "extension_amount": 10, "extension_clock": "natural",
     "extension_rule": "approval",
     "source": "最高人民法院关于人民调解协议司法确认程序的若干规定 第4–5条:收到申请3日内决定受理,受理后15日内作出"
               "是否确认的决定,特殊情况经院长批准可延长10日(待核实)"},
    {"key": "termination_notice_3wd", "name": "出具终止调解告知书(3个工作日)", "kind": "sla",
     "process_key": "people_mediation", "element_id": "termination_notice", "duration": 3, "clock": "workdays",
     "starts_from": "task", "scope": "task", "extension_amount": None, "extension_clock": None,
     "extension_rule": None, "source": "街道办事规范;告知义务:人民调解法 第26条"},
    {"key": "arbitration_limit_warning_1wd", "name": "仲裁时效预警:告知劳动者(1个工作日)", "kind": "sla",
     "process_key": "labour_mediation", "element_id": "arbitration_limit_warning", "duration": 1,
     "clock": "workdays", "starts_from": "task", "scope": "task", "extension_amount": None,
     "extension_clock": None, "extension_rule": None, "source": "街道办事规范;仲裁时效:劳动争议调解仲裁法 第27条"},
    {"key": "labour_payment_guidance_3wd", "name": "协议未履行:引导申请支付令或仲裁(3个工作日)", "kind": "sla",
     "process_key": "labour_mediation", "element_id": "labour_payment_guidance", "duration": 3,
     "clock": "workdays", "starts_from": "task", "scope": "task", "extension_amount": None,
     "extension_clock": None, "extension_rule": None, "source": "街道办事规范;支付令:劳动争议调解仲裁法 第16条"},
]


# 领导包案 (issue 13): rules as dicts in the shared shape. ``leader_target`` runs from the target date the
# leader set when taking charge (case date ``leader_target_on``) to the end of that day; it needs the clocks
# engine (``starts_from`` a case date captured from a form), so until that is merged ``seed`` adds only the rules
# that start from the task. The BPMN timer ``leader_target_due`` in leader_case.bpmn fires at the same moment.
SEED_LEADER = [
    {"key": "leader_progress_note_3wd", "name": "包案进展记录（3个工作日）", "kind": "sla", "process_key": "leader_case",
     "element_id": "leader_progress_note", "duration": 3, "clock": "workdays", "starts_from": "task", "scope": "task",
     "extension_amount": None, "extension_clock": None, "extension_rule": None, "source": "领导包案制度"},
    {"key": "leader_target", "name": "包案化解目标日期", "kind": "sla", "process_key": "leader_case",
     "element_id": "leader_follow_up", "duration": 0, "clock": "natural", "starts_from": "leader_target_on",
     "scope": "task", "extension_amount": None, "extension_clock": None, "extension_rule": None,
     "source": "领导包案制度（定时限）"},
]
