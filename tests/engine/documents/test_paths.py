"""Every document of a case, made along each path a case takes, read back from the PDF (text extracted with pypdf).

One test per path of the shipped processes (bpmn/), started at intake (dispute_case) on Monday 3 March 2025:
the written agreement (people's and labour mediation), the oral agreement (a key case closed by the leader), the
termination, the referrals (引导函), and the petitions accepted, refused, concluded and taken to 复查 and 复核.
At each task that offers papers, each is made from the form data about to be submitted, then the task is completed.
Each PDF is checked for the particulars the law puts on that paper and for its 文号 ((2025)福田人调字第1号). The office's
records (登记表, 笔录, 调查记录, 回访记录, 结案报告) carry the case number; the papers handed out or sent (协议书, 告知书,
引导函, 意见书) carry their 文号 instead.
"""

import pytest

from engine import documents
from engine.core.errors import Forbidden
from tests.helpers.document_paths import (
    COMMITTEE,
    Papers,
    has_all,
    has_none,
    masked_id,
    number,
    number_of,
    pdf_text,
    ref_of,
    stored_pdf,
)
from tests.helpers.documents import FULL_IDS, LEADER, MEDIATOR
from tests.helpers.privacy import everything_stored
from tests.helpers.process_driver import (
    ACCEPT,
    APPLICANT,
    FOLLOW_THROUGH,
    FOLLOW_UP,
    GUIDANCE,
    JC_APPLY,
    JC_RESULT,
    LABOUR_ACCEPT,
    LABOUR_AGREEMENT,
    LABOUR_FOLLOW_UP,
    LABOUR_GUIDANCE,
    LABOUR_REFUSE,
    NOTICE,
    PAYMENT_GUIDANCE,
    RESCHEDULE,
    RESPONDENT,
    SIGN_OFF,
    Wait,
    agreement,
    assert_closed,
    drive,
    handle,
    intake,
    labour_session,
    opinion,
    recheck_decision,
    recheck_request,
    register,
    review,
    review_decision,
    review_request,
    session,
    take_charge,
)

KEY = "dispute_case"
TODAY_CN = "2025年3月3日"  # the cases run on 3 March 2025 (tests.helpers.process_driver.START)
NAMES = (APPLICANT["name"], RESPONDENT["name"])
SUMMARY = intake()["summary"]
REGISTERED = intake()
EMPLOYER = {"role": "respondent", "party_kind": "legal_person", "name": LABOUR_ACCEPT["employer_name"],
            "id_type": "uscc", "id_number": "91440300MA5F000007", "phone": "075583000000"}
LABOUR_CASE = intake(dispute_type="labour", people_count=3, summary="公司拖欠六名员工两个月工资",
                     requests="支付拖欠工资42000元", parties=[APPLICANT, EMPLOYER])


def _mediation_start(papers: Papers, form: dict) -> list:
    """Intake to the first session: 申请书 and 受理登记表 at intake and acceptance, the 权利义务告知书.

    The case is registered with ``form`` (its community known, so the intake worker sees it) and its intake
    task left open, as an operator's registration does (engine.cases.registration)."""
    return [*papers.at("intake", form), ("lawyer_review", review("people_mediation")),
            *papers.at("mediation_accept", ACCEPT)]


def _check_acceptance_papers(db, papers: Papers, case) -> None:
    assert papers.kinds()[:5] == ["application", "registration", "application", "registration", "rights_notice"]
    # printed again at acceptance, the 申请书 and 登记表 are their second versions, not second papers
    for kind in ("application", "registration"):
        first, second = papers.all(kind)
        assert (first["version"], second["version"], second["current"]) == (1, 2, True)
    with db.begin() as conn:
        current = [d["kind"] for d in documents.documents_of_case(conn, MEDIATOR, case.id) if d["current"]]
    assert (current.count("application"), current.count("registration")) == (1, 1)
    text = papers.text(db, "application", copy="file")  # the applicant's own paper: no case number, no 文号
    has_all(text, "人民调解申请书", *NAMES, *FULL_IDS, SUMMARY, intake()["requests"], COMMITTEE, TODAY_CN)
    text = papers.text(db, "registration", copy="file")
    has_all(text, "受理登记表", case.case_number, *NAMES, *FULL_IDS, SUMMARY, intake()["requests"],
            ACCEPT["mediator_name"], COMMITTEE, TODAY_CN)
    has_all(text, "3000")  # 涉及金额 in yuan
    has_none(text, "3000.0")
    text = papers.text(db, "rights_notice")
    has_all(text, "当事人权利义务告知书", *NAMES, "权利", "义务", ACCEPT["mediator_name"], COMMITTEE, TODAY_CN)
    has_none(text, "你(单位)与张某")  # addressed to both parties: not "you and 张某、李某"
    for kind in ("application", "registration", "rights_notice"):
        has_none(papers.text(db, kind), "字第")


def test_written_agreement_people_and_labour_mediation(db):
    """调解协议书 (人民调解法 第29条) with its signed scan, 回访记录; 人调 numbers run on across the two cases."""
    papers = Papers()
    written = dict(agreement(jc=True), performance_deadline="2025-03-13")
    first_draft = dict(written, terms="被申请人于十日内支付维修费用2000元。", amount_agreed=2000)
    case, visited = drive(db, KEY, data=REGISTERED, sign_agreements=False, steps=[
        *_mediation_start(papers, REGISTERED),
        *papers.at("mediation_session", session("agreement_reached")),
        papers.make("mediation_agreement", "agreement", data=first_draft),  # printed, then corrected
        *papers.at("mediation_agreement", written, kinds=["agreement"], sign=True),
        ("jc_apply", JC_APPLY), ("jc_result", JC_RESULT),
        *papers.at("follow_up_visit", FOLLOW_UP),
    ])
    assert_closed(case, "mediated")
    assert papers.kinds() == ["application", "registration", "application", "registration", "rights_notice",
                              "investigation", "session_record", "agreement", "agreement", "follow_up"]
    _check_acceptance_papers(db, papers, case)
    with db.begin() as conn:  # no leader signed this case off: its 结案报告 is made on the closed case's page
        report = documents.generate(conn, MEDIATOR, case.id, "closing_report")
    assert report["task_id"] is None
    has_all(pdf_text(stored_pdf(db, report)), "结案报告", case.case_number, *NAMES)
    has_all(papers.text(db, "session_record"), "调解笔录", case.case_number, *NAMES, session()["record"])
    has_all(papers.text(db, "investigation"), "调查记录", case.case_number, *NAMES)

    # the correction is version 2 of the same paper: same 文号, the first kept but no longer current
    first, doc = papers.all("agreement")
    assert (number_of(first), first["version"], number_of(doc), doc["version"], doc["current"]) == (
        number(2025, "人调", 1), 1, number(2025, "人调", 1), 2, True)
    with db.begin() as conn:
        assert documents.get_document(conn, MEDIATOR, first["id"])["current"] is False
    has_all(papers.text(db, "agreement", doc=first), first_draft["terms"])
    text = papers.text(db, "agreement", copy="file")
    # 第29条: the parties' particulars, the facts, the terms, how/where/by when performed; signatures and
    # fingerprints of the parties, the mediator's signature, the committee's seal; one copy each and one kept
    has_all(text, "人民调解协议书", number(2025, "人调", 1), *NAMES, *FULL_IDS, SUMMARY, written["terms"],
            "2500", "履行", "2025年3月13日", COMMITTEE, ACCEPT["mediator_name"], TODAY_CN, "签名", "捺印",
            "人民调解员(签名)", COMMITTEE + "(印)", "一式3份")
    has_none(text, first_draft["terms"])
    assert len(papers.signed) == 1 and papers.signed[0]["signs_document_id"] == doc["id"]

    # copies (PIPL): the party's own copy carries their full particulars and not the other party's
    applicant, respondent = ref_of(doc, APPLICANT["name"]), ref_of(doc, RESPONDENT["name"])
    own = papers.text(db, "agreement", copy=applicant)
    has_all(own, number(2025, "人调", 1), APPLICANT["id_number"], masked_id(RESPONDENT["id_number"]), "收执",
            written["terms"])
    has_none(own, RESPONDENT["id_number"])
    other = papers.text(db, "agreement", copy=respondent)
    has_all(other, RESPONDENT["id_number"], masked_id(APPLICANT["id_number"]), "收执")
    has_none(other, APPLICANT["id_number"])
    # the leader's copy and the rendering kept with the case
    for masked in (papers.text(db, "agreement", copy="masked", user=LEADER), papers.text(db, "agreement")):
        has_all(masked, number(2025, "人调", 1), *NAMES, masked_id(APPLICANT["id_number"]), written["terms"])
        has_none(masked, *FULL_IDS)
    with pytest.raises(Forbidden):
        papers.text(db, "agreement", copy="file", user=LEADER)
    stored = everything_stored(db)  # documents.data (the context a paper was made from), events, the access log
    assert "440304********1234" in stored and not any(n in stored for n in FULL_IDS)
    both = papers.text(db, "agreement", copy="all")
    assert both.count("人民调解协议书") >= 3 and both.count("收执") >= 2  # one copy kept, one per party

    has_all(papers.text(db, "follow_up"), "回访记录", case.case_number, *NAMES, "2025年3月20日")

    # a labour dispute's agreement is the next 人调 number
    labour = Papers()
    case2, _ = drive(db, KEY, sign_agreements=False, steps=[
        ("intake", LABOUR_CASE), ("lawyer_review", review("labour_mediation")),
        ("labour_accept", LABOUR_ACCEPT),
        *labour.at("labour_session", labour_session("agreement_reached")),
        *labour.at("labour_agreement", LABOUR_AGREEMENT, sign=True),
        *labour.at("labour_follow_up", LABOUR_FOLLOW_UP),
    ])
    assert_closed(case2, "mediated")
    assert labour.kinds() == ["session_record", "agreement", "follow_up"]
    assert number_of(labour.last("agreement")) == number(2025, "人调", 2)
    has_all(labour.text(db, "agreement", copy="file"), "人民调解协议书", number(2025, "人调", 2), APPLICANT["name"],
            EMPLOYER["name"], APPLICANT["id_number"], EMPLOYER["id_number"], LABOUR_CASE["summary"],
            LABOUR_AGREEMENT["terms"], "42000", "2025年3月15日")
    has_all(labour.text(db, "session_record"), "调解笔录", case2.case_number, "劳动争议调解笔录")
    has_all(labour.text(db, "follow_up"), "回访记录", case2.case_number, "2025年3月16日")
    papers.check_dates(db)
    labour.check_dates(db)


def test_oral_agreement_key_case_closed_with_the_report(db):
    """口头调解协议登记表 (no 文号, no signed scan needed), 回访记录, and the leader's 结案报告."""
    papers = Papers()
    oral = agreement(form="oral")
    key_case = intake(risk_level="red", people_count=12)
    case, visited = drive(db, KEY, data=key_case, sign_agreements=False, steps=[
        *_mediation_start(papers, key_case),
        *papers.at("mediation_session", session("agreement_reached")),
        *papers.at("mediation_agreement", oral, kinds=["oral_agreement"]),
        *papers.at("follow_up_visit", FOLLOW_UP),
        ("leader_take_charge", take_charge(meeting=False)), ("leader_follow_up", FOLLOW_THROUGH),
        *papers.at("leader_sign_off", SIGN_OFF),
    ])
    assert_closed(case, "mediated_oral")
    assert papers.kinds()[-3:] == ["oral_agreement", "follow_up", "closing_report"]
    _check_acceptance_papers(db, papers, case)
    text = papers.text(db, "oral_agreement")
    has_all(text, "口头调解协议登记表", case.case_number, *NAMES, SUMMARY, oral["terms"], ACCEPT["mediator_name"])
    has_none(text, "字第")
    assert not papers.all("agreement") and papers.signed == []
    has_all(papers.text(db, "closing_report"), "结案报告", case.case_number, *NAMES, SIGN_OFF["leader_opinion"],
            "2025年3月25日")
    papers.check_dates(db)


def test_termination_notice_tells_the_parties_their_other_routes(db):
    """终止调解告知书 (人调终 numbers), one copy per party, with the reason mediation ended (failed, withdrawn, no-show,
    term expired) and the routes still open (仲裁, 诉讼)."""
    papers = Papers()
    case, visited = drive(db, KEY, data=REGISTERED, sign_agreements=False, steps=[
        *_mediation_start(papers, REGISTERED),
        *papers.at("mediation_session", session("failed")),
        *papers.at("termination_notice", NOTICE),
    ])
    assert_closed(case, "failed")
    doc = papers.last("termination_notice")
    assert number_of(doc) == number(2025, "人调终", 1)
    text = papers.text(db, "termination_notice")
    has_all(text, "终止调解告知书", number(2025, "人调终", 1), *NAMES, "未能达成调解协议", "仲裁", "人民法院起诉",
            COMMITTEE, TODAY_CN)
    own = papers.text(db, "termination_notice", copy=ref_of(doc, APPLICANT["name"]))
    has_all(own, "申请人张某收执", number(2025, "人调终", 1), "人民法院起诉")
    has_none(own, RESPONDENT["id_number"])
    has_none(text, *FULL_IDS)  # the rendering kept with the case is masked
    papers.check_dates(db)

    # the notice states why mediation ended; the next ones of the year take the next 人调终 numbers
    start = [("intake", REGISTERED), ("lawyer_review", review("people_mediation")), ("mediation_accept", ACCEPT)]
    absent = session(attendance="respondent_absent")
    endings = [
        (lambda p: [("mediation_session", session("withdrawn"))], "withdrawn", "申请人撤回调解申请"),
        (lambda p: [*p.at("mediation_session", absent, kinds=["session_record"]), ("reschedule_session", RESCHEDULE),
                    *p.at("mediation_session", session(attendance="both_absent"), kinds=["session_record"])],
         "terminated", "无正当理由未到场"),
        (lambda p: [Wait(days=31), ("mediation_term_expired", {"parties_consent_extension": False})], "terminated",
         "调解期限届满"),
    ]
    for serial, (steps, outcome, reason) in enumerate(endings, start=2):
        ended = Papers()
        served = dict(NOTICE, notice_served_on="2025-04-03") if serial == 4 else NOTICE
        case, _ = drive(db, KEY, [*start, *steps(ended), *ended.at("termination_notice", served)])
        assert_closed(case, outcome)
        assert number_of(ended.last("termination_notice")) == number(2025, "人调终", serial)
        text = ended.text(db, "termination_notice")
        has_all(text, number(2025, "人调终", serial), reason, *NAMES, "仲裁", "人民法院起诉")
        has_none(text, "未能达成调解协议，根据")
        if serial == 3:  # two sessions: each session's 笔录 is a paper of its own
            with db.begin() as conn:
                made = documents.documents_of_case(conn, MEDIATOR, case.id)
            assert [(d["version"], d["current"]) for d in made if d["kind"] == "session_record"] == [(1, True)] * 2
        ended.check_dates(db)


def test_referral_guidance_letters_name_the_body_addressed(db):
    """引导函 from the lawyer's screening (to the court), from labour mediation (to labour arbitration) and after an
    unpaid labour agreement (to the court, for a 支付令); 引 numbers run on across the three cases."""
    papers = Papers()
    studio = intake(channel="pre_petition_studio", request_kind="legal_procedure")
    case, _ = drive(db, KEY, data=studio, sign_agreements=False, steps=[
        *papers.at("intake", studio),
        ("lawyer_review", review("litigation")),
        *papers.at("issue_guidance_letter", GUIDANCE),
    ])
    assert_closed(case, "guided_litigation")
    doc = papers.last("guidance_letter")
    assert number_of(doc) == number(2025, "引", 1)
    has_all(papers.text(db, "guidance_letter"), "引导函", number(2025, "引", 1), GUIDANCE["target_body"],
            *NAMES, SUMMARY, GUIDANCE["advice"], "2025年3月4日", "联系人：" + review("litigation")["lawyer_name"])

    labour = Papers()
    case2, _ = drive(db, KEY, sign_agreements=False, steps=[
        ("intake", LABOUR_CASE), ("lawyer_review", review("labour_mediation")),
        ("labour_accept", LABOUR_REFUSE),
        *labour.at("labour_guidance_letter", LABOUR_GUIDANCE),
    ])
    assert_closed(case2, "guided_labour_arbitration")
    assert number_of(labour.last("guidance_letter")) == number(2025, "引", 2)
    has_all(labour.text(db, "guidance_letter"), "引导函", number(2025, "引", 2), LABOUR_GUIDANCE["target_body"],
            APPLICANT["name"], LABOUR_GUIDANCE["advice"], "2025年3月20日")

    # an agreement on pay not honoured: the 引导函 for a 支付令 (劳动争议调解仲裁法 第16条)
    unpaid = Papers()
    case3, _ = drive(db, KEY, [  # the driver makes and signs the agreement itself
        ("intake", LABOUR_CASE), ("lawyer_review", review("labour_mediation")), ("labour_accept", LABOUR_ACCEPT),
        ("labour_session", labour_session("agreement_reached")), ("labour_agreement", LABOUR_AGREEMENT),
        ("labour_follow_up", dict(LABOUR_FOLLOW_UP, paid_in_full="no", amount_paid=0)),
        *unpaid.at("labour_payment_guidance", PAYMENT_GUIDANCE),
    ])
    assert_closed(case3, "guided_payment_order")
    assert number_of(unpaid.last("guidance_letter")) == number(2025, "引", 3)
    has_all(unpaid.text(db, "guidance_letter"), "引导函", number(2025, "引", 3), PAYMENT_GUIDANCE["target_body"],
            APPLICANT["name"], EMPLOYER["name"], "42000", PAYMENT_GUIDANCE["advice"], "2025年3月17日")
    for made in (papers, labour, unpaid):
        made.check_dates(db)


def _petition(papers: Papers, decision: str) -> list:
    return [("intake", intake(request_kind="petition")), ("lawyer_review", review("petition")),
            *papers.at("petition_register", register(decision), kinds=[
                "petition_acceptance" if decision == "accepted" else "petition_refusal"])]


def test_petition_refused_with_the_written_notice(db):
    """信访事项不予受理告知书 (信不受) with the reason."""
    papers = Papers()
    case, _ = drive(db, KEY, _petition(papers, "not_accepted"), sign_agreements=False)
    assert_closed(case, "refused")
    doc = papers.last("petition_refusal")
    assert number_of(doc) == number(2025, "信不受", 1)
    has_all(papers.text(db, "petition_refusal"), "不予受理告知书", number(2025, "信不受", 1),
            APPLICANT["name"], register("not_accepted")["refusal_reason"], TODAY_CN)
    papers.check_dates(db)


def test_petition_accepted_and_concluded_without_review(db):
    """受理告知书 (信受), 调查记录, 处理意见书 (信处) telling the petitioner of 复查; no 复查 follows."""
    papers = Papers()
    case, _ = drive(db, KEY, sign_agreements=False, steps=[
        *_petition(papers, "accepted"),
        *papers.at("petition_handle", handle(), kinds=["investigation"]),
        *papers.at("petition_opinion", opinion()),
        Wait(days=33),
    ])
    assert_closed(case, "petition_concluded")
    assert papers.kinds() == ["petition_acceptance", "investigation", "petition_opinion"]
    assert number_of(papers.last("petition_acceptance")) == number(2025, "信受", 1)
    has_all(papers.text(db, "petition_acceptance"), "受理告知书", number(2025, "信受", 1),
            APPLICANT["name"], TODAY_CN)
    has_all(papers.text(db, "investigation"), "调查记录", case.case_number, handle()["investigation"])
    assert number_of(papers.last("petition_opinion")) == number(2025, "信处", 1)
    has_all(papers.text(db, "petition_opinion"), "处理意见书", number(2025, "信处", 1),
            APPLICANT["name"], opinion()["opinion_summary"], "复查")
    papers.check_dates(db)


def test_petition_review_and_recheck_opinions(db):
    """复查意见书 (信复查) and 复核意见书 (信复核) after the 处理意见书."""
    papers = Papers()
    case, _ = drive(db, KEY, sign_agreements=False, steps=[
        *_petition(papers, "accepted"),
        ("petition_handle", handle()),
        *papers.at("petition_opinion", opinion()),
        ("petition_review_request", review_request("2025-03-03")),
        *papers.at("petition_review_decide", review_decision(received="2025-03-03")),
        ("petition_recheck_request", recheck_request("2025-03-03")),
        *papers.at("petition_recheck_decide", recheck_decision("2025-03-03")),
    ])
    assert_closed(case, "petition_concluded")
    assert papers.kinds() == ["petition_acceptance", "petition_opinion", "petition_review", "petition_recheck"]
    assert number_of(papers.last("petition_review")) == number(2025, "信复查", 1)
    # each cites the paper it answers by the 文号 issued, not the number typed into the form
    has_all(papers.text(db, "petition_review"), number(2025, "信处", 1))
    has_none(papers.text(db, "petition_review"), opinion()["opinion_no"])
    has_all(papers.text(db, "petition_recheck"), number(2025, "信复查", 1))
    has_none(papers.text(db, "petition_recheck"), review_decision("2025-03-03")["review_opinion_no"])
    has_all(papers.text(db, "petition_review"), "复查意见书", number(2025, "信复查", 1),
            APPLICANT["name"], review_decision("2025-03-03")["review_opinion_summary"], "复核")
    assert number_of(papers.last("petition_recheck")) == number(2025, "信复核", 1)
    has_all(papers.text(db, "petition_recheck"), "复核意见书", number(2025, "信复核", 1),
            APPLICANT["name"], recheck_decision("2025-03-03")["recheck_opinion_summary"])
    papers.check_dates(db)
