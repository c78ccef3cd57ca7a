"""Drive a case of the shipped process set (bpmn/) through the engine service, step by step.

A path is a list of steps:

* ``("element_id", {form data})``: that user task must be open; complete it with the data.
* ``Wait(days=...)``: move the clock forward and fire the case's due timers.
* ``Expect(open=[...], absent=[...])``: check which user tasks are (not) open right now.
* ``Due("element_id", "YYYY-MM-DD HH:MM")``: that user task is open and due then (Shanghai time).
* ``AtTask("element_id", fn)``: that user task is open; call ``fn(conn, task, form)`` in a transaction of its own,
  ``form`` being the data the path completes that task with next (the draft a mediator prints from).

A task whose form declares a signed paper (``x-signed-document``: the written agreement) is completed the way
the office does it: the paper is made from the form data, signed, its scan uploaded, then the task completed
(``sign_agreements=False`` to leave that to the test).

``drive`` runs the whole path under one ``time_machine`` traveller that starts at ``START``
(a Monday in a year the holiday calendar covers), so deadlines are reproducible.
It returns the final case and the element ids of the user tasks completed, in order.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine

from engine import documents, processes
from engine.cases import service
from engine.core.types import User
from engine.processes.deploy import load_dir
from tests.helpers.paths import BPMN_DIR

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Monday 3 March 2025, 10:00 in Shanghai.
START = datetime(2025, 3, 3, 2, 0, tzinfo=UTC)

_BUNDLE: dict[str, bytes] | None = None


def bundle() -> dict[str, bytes]:
    global _BUNDLE
    if _BUNDLE is None:
        _BUNDLE = load_dir(BPMN_DIR)
    return _BUNDLE


@dataclass
class Wait:
    """Move the clock forward by ``days`` (or to the instant ``until``) and fire due timers."""

    days: float = 0
    until: datetime | None = None


@dataclass
class Check:
    """Call ``fn(case)`` with the case as it is now (for assertions in the middle of a path)."""

    fn: object


@dataclass
class Expect:
    open: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)


@dataclass
class Due:
    """Check that user task ``element`` is open and due at ``at`` ("YYYY-MM-DD HH:MM", Shanghai)."""

    element: str
    at: str


@dataclass
class AtTask:
    """While user task ``element`` is open, call ``fn(conn, task, form)`` (one transaction); ``form`` is the data
    of the path's next completion of that task (the same dict: ``fn`` may add to it), or None."""

    element: str
    fn: object


def _next_form(steps, element: str):
    for later in steps:
        if isinstance(later, tuple) and later[0] == element:
            return later[1]
    return None


def due_local(value) -> str:
    """A due time as Shanghai "YYYY-MM-DD HH:MM" (naive values from SQLite are UTC)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def open_tasks(db, case_id: int):
    with db.begin() as s:
        return service.list_tasks(s, case_id=case_id)


# who makes and files the signed papers in a driven case; a scanned signed paper (its type is read from its bytes)
SIGNER = User(0, "test", "supervisor", [])
SIGNED_SCAN = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def signed_paper(task, form: dict) -> str | None:
    """The kind of paper that must be signed before ``task`` completes with ``form`` (x-signed-document)."""
    raw = bundle().get(task.form_key or "")
    rule = json.loads(raw).get("x-signed-document") if raw else None
    if not isinstance(rule, dict) or any(form.get(k) != v for k, v in (rule.get("when") or {}).items()):
        return None
    return rule["kind"]


def sign(db, case_id: int, task, form: dict, kind: str) -> dict:
    """Make the paper at ``task`` from ``form`` and upload its signed scan; the document made."""
    with db.begin() as s:
        doc = documents.generate(s, SIGNER, case_id, kind, task.id, data=form)
        documents.attach_signed(s, SIGNER, doc["id"], "signed.pdf", SIGNED_SCAN)
    return doc


def drive(db, key: str, steps, data: dict | None = None, start: datetime = START, sign_agreements: bool = True):
    """Deploy bpmn/, start a ``key`` case and follow ``steps``; returns (case, completed element ids)."""
    visited: list[str] = []
    with time_machine.travel(start, tick=False) as clock:
        with db.begin() as s:
            processes.deploy(s, bundle(), actor="test")
        with db.begin() as s:
            case = service.start_case(s, key, data=dict(data or {}), actor="test")
        for index, step in enumerate(steps):
            if isinstance(step, Wait):
                if step.until is not None:
                    clock.move_to(step.until)
                else:
                    clock.shift(timedelta(days=step.days))
                with db.begin() as s:
                    case = service.fire_due_timers(s, case.id)
                continue
            if isinstance(step, Check):
                with db.begin() as s:
                    step.fn(service.get_case(s, case.id))
                continue
            tasks = open_tasks(db, case.id)
            ids = [t.element_id for t in tasks]
            if isinstance(step, Due):
                match = [t for t in tasks if t.element_id == step.element]
                assert match, f"expected {step.element} open; open: {ids}"
                assert match[0].due_at is not None, f"{step.element} has no due time"
                assert due_local(match[0].due_at) == step.at, (step.element, due_local(match[0].due_at))
                continue
            if isinstance(step, AtTask):
                match = [t for t in tasks if t.element_id == step.element]
                assert match, f"expected {step.element} open; open: {ids}"
                with db.begin() as s:
                    step.fn(s, match[0], _next_form(steps[index + 1:], step.element))
                continue
            if isinstance(step, Expect):
                for e in step.open:
                    assert e in ids, f"expected {e} open; open: {ids}"
                for e in step.absent:
                    assert e not in ids, f"expected {e} not open; open: {ids}"
                continue
            element_id, form = step
            match = [t for t in tasks if t.element_id == element_id]
            assert match, f"expected task {element_id} open after {visited}; open: {ids}"
            if sign_agreements and (kind := signed_paper(match[0], form)):
                sign(db, case.id, match[0], form, kind)
            with db.begin() as s:
                case = service.complete_task(s, match[0].id, data=form, actor="test")
            visited.append(element_id)
    return case, visited


def assert_closed(case, outcome: str):
    assert case.status == "completed", f"case still {case.status}; open: {[t.element_id for t in case.open_tasks]}"
    assert case.open_tasks == []
    assert case.outcome == outcome, case.data.get("outcome")
    assert case.data["outcome"] == outcome


# ----------------------------------------------------------------------------- form data
APPLICANT = {"role": "applicant", "name": "张某", "id_type": "resident_id", "id_number": "440304199001031234",
             "phone": "13800000001"}
RESPONDENT = {"role": "respondent", "name": "李某", "id_type": "resident_id", "id_number": "440304198805092345",
              "phone": "13800000002"}


def intake(**over) -> dict:
    form = {
        "channel": "service_hall",
        "source": "party_application",
        "received_on": "2025-03-03",
        "dispute_type": "neighbourhood",
        "request_kind": "mediation",
        "arbitration_clause": False,
        "summary": "楼上漏水致楼下天花板受损",
        "requests": "赔偿维修费用3000元",
        "amount": 3000,
        "people_count": 2,
        "risk_level": "yellow",
        "difficult": False,
        "community": "福田社区",
        "parties": [APPLICANT, RESPONDENT],
    }
    form.update(over)
    return form


def review(final_route: str, override: bool = False) -> dict:
    form = {"route_decision": "override" if override else "confirm", "final_route": final_route,
            "legal_opinion": "经甄别,按所选途径处理。", "lawyer_name": "王律师"}
    if override:
        form["override_reason"] = "律师甄别后改变建议分流"
    return form


GUIDANCE = {"guidance_letter_no": "福田引〔2025〕0001号", "letter_date": "2025-03-04",
            "target_body": "福田区人民法院", "advice": "建议依法向人民法院提起诉讼。"}
SUPERVISION = {"supervision_note": "请于3日内办结并报告。", "accountability": False}

# people's mediation
ACCEPT = {"accepted_on": "2025-03-03", "mediator_name": "陈调解员", "rights_notice_given": True, "respondent_consents": True,
          "first_session_date": "2025-03-06"}


def accept_on(at: datetime) -> dict:
    """ACCEPT for a case run at ``at`` (real time, not START): accepted that day, Shanghai."""
    return dict(ACCEPT, accepted_on=at.astimezone(SHANGHAI).date().isoformat())


REFUSE = {"accepted_on": "2025-03-03", "mediator_name": "陈调解员", "rights_notice_given": True, "respondent_consents": False,
          "refusal_reason": "被申请人明确拒绝调解"}


def session(result: str | None = None, attendance: str = "all_present") -> dict:
    form = {"session_date": "2025-03-06", "attendance": attendance, "record": "调解笔录。"}
    if result:
        form["session_result"] = result
    if attendance != "all_present":
        form["absence_reason"] = "未说明理由"
    return form


def agreement(form: str = "written", jc: bool = False) -> dict:
    return {"agreement_form": form, "agreement_no": "福田调协〔2025〕0001号", "agreement_effective_on": "2025-03-03",
            "terms": "被申请人于十日内支付维修费用2500元。", "amount_agreed": 2500, "apply_judicial_confirmation": jc}


NOTICE = {"notice_no": "福田调终〔2025〕0001号", "routes_told": ["arbitration", "litigation"],
          "notice_served_on": "2025-03-03", "served_method": "in_person"}
RESCHEDULE = {"next_session_date": "2025-03-10", "notice_method": "phone"}
FOLLOW_UP = {"visit_date": "2025-03-20", "agreement_performed": "fully", "satisfaction": "satisfied",
             "escalation_signs": False}
JC_APPLY = {"application_date": "2025-03-10", "court": "福田区人民法院", "applicants_jointly": True}
JC_RESULT = {"court_decision": "confirmed", "decision_date": "2025-03-20", "ruling_no": "(2025)粤0304民特1号"}

# labour dispute mediation
LABOUR_ACCEPT = {"applied_on": "2025-03-03", "employer_name": "某电子有限公司", "workers_count": 6,
                 "claimed_amount": 42000, "wage_arrears": True, "still_employed": False, "knew_on": "2025-01-15",
                 "employer_consents": True}
LABOUR_REFUSE = dict(LABOUR_ACCEPT, employer_consents=False)


def labour_session(result: str) -> dict:
    return {"session_date": "2025-03-05", "session_result": result, "record": "劳动争议调解笔录。"}


LABOUR_AGREEMENT = {"agreement_date": "2025-03-05", "back_pay_amount": 42000, "paid_workers": 6,
                    "payment_due_date": "2025-03-15", "terms": "公司于3月15日前支付拖欠工资。"}
LABOUR_FOLLOW_UP = {"visit_date": "2025-03-16", "paid_in_full": "yes", "amount_paid": 42000, "satisfaction": "satisfied"}
LABOUR_GUIDANCE = {"guidance_letter_no": "福田引〔2025〕0002号", "letter_date": "2025-03-20",
                   "target_body": "福田区劳动人事争议仲裁院", "advice": "建议申请劳动仲裁。",
                   "limitation_note": "仲裁时效一年"}
LIMIT_WARNING = {"worker_told_on": "2025-03-04", "told_method": "phone", "worker_intends_to_apply": True}
PAYMENT_GUIDANCE = {"guidance_route": "payment_order", "guidance_letter_no": "福田引〔2025〕0003号",
                    "letter_date": "2025-03-17", "target_body": "福田区人民法院", "amount_outstanding": 42000,
                    "advice": "持调解协议书向人民法院申请支付令。"}

# petitions
def register(decision: str = "accepted", on: str = "2025-03-03") -> dict:
    form = {"register_date": on, "petition_form": "visit", "acceptance_decision": decision}
    if decision != "objection":
        form.update(notice_no="福田信告〔2025〕0001号", notice_text="您的信访事项已登记,处理情况如下。",
                    notice_served_on=on, notice_method="in_person")
    if decision == "accepted":
        form["accepted_on"] = on
    if decision == "transferred":
        form["transferred_to"] = "区住房和建设局"
    if decision == "not_accepted":
        form["refusal_reason"] = "已进入诉讼程序,不属信访受理范围"
    return form


def handle(result: str = "concluded") -> dict:
    form = {"handle_result": result, "investigation": "已调查核实。"}
    if result == "concluded":
        form["opinion"] = "诉求部分支持,出具处理意见书。"
    if result == "request_extension":
        form["extension_reason"] = "涉及多个部门,情况复杂"
    return form


def extension(approved: bool) -> dict:
    form = {"extension_approved": approved, "approved_by": "刘主任",
            "approval_note": "同意延长30日" if approved else "不同意延长"}
    if approved:
        form.update(extension_reason="涉及多个部门,情况复杂", party_told_on="2025-03-04")
    return form


def opinion(served: str = "2025-03-03", received: str = "2025-03-03") -> dict:
    return {"opinion_no": "福田信处〔2025〕0001号", "opinion_summary": "诉求部分支持。", "opinion_served_on": served,
            "opinion_received_on": received, "notice_method": "in_person"}


def review_request(on: str) -> dict:
    return {"review_applied_on": on, "review_body": "福田区信访局", "review_request": "对处理意见不服,请求复查。"}


def review_decision(received: str, decision: str = "upheld") -> dict:
    return {"review_decision": decision, "review_opinion_no": "福田信复查〔2025〕0001号",
            "review_opinion_summary": "维持原处理意见。", "review_opinion_served_on": received,
            "review_opinion_received_on": received}


def recheck_request(on: str) -> dict:
    return {"recheck_applied_on": on, "recheck_body": "深圳市信访局", "recheck_request": "对复查意见不服,请求复核。"}


def recheck_decision(on: str) -> dict:
    return {"recheck_action": "decided", "recheck_decision": "upheld", "recheck_opinion_no": "深信复核〔2025〕0001号",
            "recheck_opinion_summary": "维持复查意见。", "recheck_opinion_served_on": on}


HOLD_HEARING = {"recheck_action": "hold_hearing"}


def hearing(started: str, ended: str) -> dict:
    return {"hearing_started_on": started, "hearing_ended_on": ended, "hearing_record": "听证会听取各方意见。"}


# leader case
def take_charge(meeting: bool) -> dict:
    return {"leader_name": "刘主任", "plan": "包案领导牵头,一周内约谈双方。", "leader_target_on": "2025-03-20",
            "joint_meeting_needed": meeting}


JOINT_MEETING = {"meeting_date": "2025-03-07", "participants": ["司法所", "派出所", "社区工作站"],
                 "resolution": "由社区工作站牵头调解,派出所配合。"}
FOLLOW_THROUGH = {"resolved_on": "2025-03-20", "resolution_summary": "双方达成和解,已履行。"}
PROGRESS = {"progress_date": "2025-03-10", "progress_note": "已约谈双方,正在协商赔偿方案。"}
SIGN_OFF = {"sign_off_date": "2025-03-25", "leader_opinion": "同意结案。"}
CONSULTATION = {"consultation_date": "2025-03-04", "answer": "已解答。"}
