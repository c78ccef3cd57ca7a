"""labour_mediation (劳动争议调解): agreement, refusal, failure, withdrawal and the 15-day limit."""

from tests.helpers.process_driver import (
    LABOUR_ACCEPT,
    LABOUR_AGREEMENT,
    LABOUR_FOLLOW_UP,
    LABOUR_GUIDANCE,
    LABOUR_REFUSE,
    Expect,
    Wait,
    assert_closed,
    drive,
    labour_session,
)

KEY = "labour_mediation"


def test_agreement_and_follow_up(db):
    case, visited = drive(db, KEY, [("labour_accept", LABOUR_ACCEPT),
                                    ("labour_session", labour_session("agreement_reached")),
                                    ("labour_agreement", LABOUR_AGREEMENT), ("labour_follow_up", LABOUR_FOLLOW_UP)])
    assert visited == ["labour_accept", "labour_session", "labour_agreement", "labour_follow_up"]
    assert_closed(case, "mediated")
    assert case.data["back_pay_amount"] == 42000


def test_several_sessions_then_agreement(db):
    case, visited = drive(db, KEY, [("labour_accept", LABOUR_ACCEPT),
                                    ("labour_session", labour_session("next_session")),
                                    ("labour_session", labour_session("agreement_reached")),
                                    ("labour_agreement", LABOUR_AGREEMENT), ("labour_follow_up", LABOUR_FOLLOW_UP)])
    assert visited == ["labour_accept", "labour_session", "labour_session", "labour_agreement", "labour_follow_up"]
    assert_closed(case, "mediated")


def test_employer_refuses_mediation_guided_to_arbitration(db):
    case, visited = drive(db, KEY, [("labour_accept", LABOUR_REFUSE), ("labour_guidance_letter", LABOUR_GUIDANCE)])
    assert visited == ["labour_accept", "labour_guidance_letter"]
    assert_closed(case, "guided_labour_arbitration")
    assert case.data["labour_result"] == "refused"
    assert case.data["guidance_letter_no"] == LABOUR_GUIDANCE["guidance_letter_no"]


def test_mediation_fails_guided_to_arbitration(db):
    case, visited = drive(db, KEY, [("labour_accept", LABOUR_ACCEPT), ("labour_session", labour_session("failed")),
                                    ("labour_guidance_letter", LABOUR_GUIDANCE)])
    assert visited == ["labour_accept", "labour_session", "labour_guidance_letter"]
    assert_closed(case, "guided_labour_arbitration")
    assert case.data["labour_result"] == "failed"


def test_worker_withdraws(db):
    case, visited = drive(db, KEY, [("labour_accept", LABOUR_ACCEPT), ("labour_session", labour_session("withdrawn"))])
    assert visited == ["labour_accept", "labour_session"]
    assert_closed(case, "withdrawn")


def test_no_agreement_within_15_days_guided_to_arbitration(db):
    # application on Monday 3 March 2025: the 15 days end on Tuesday 18 March
    case, visited = drive(db, KEY, [("labour_accept", LABOUR_ACCEPT),
                                    ("labour_session", labour_session("next_session")),
                                    Wait(days=14), Expect(open=["labour_session"]),
                                    Wait(days=2),
                                    Expect(open=["labour_guidance_letter"], absent=["labour_session"]),
                                    ("labour_guidance_letter", LABOUR_GUIDANCE)])
    assert visited == ["labour_accept", "labour_session", "labour_guidance_letter"]
    assert_closed(case, "guided_labour_arbitration")
    assert case.data["labour_result"] == "expired"
