"""labour_mediation (劳动争议调解): agreement, refusal, failure, withdrawal and the 15-day limit.

劳动争议调解仲裁法: 15 days from the application (第14条), the one-year arbitration limitation from
the day the worker knew of the infringement (第27条) warned 30 days ahead, and an agreement on pay
that is not honoured guided to a 支付令 or arbitration (第16条). Cases start on Monday 3 March 2025,
10:00 Shanghai; due times are checked to the minute.
"""

import pytest

from engine.core.errors import InvalidData
from tests.helpers.process_driver import (
    LABOUR_ACCEPT,
    LABOUR_AGREEMENT,
    LABOUR_FOLLOW_UP,
    LABOUR_GUIDANCE,
    LABOUR_REFUSE,
    LIMIT_WARNING,
    PAYMENT_GUIDANCE,
    Due,
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
    assert (case.data["labour_result"], case.data["paid_in_full"], case.data["payment_status"]) == (
        "agreement", "yes", "paid_in_full")


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


AGREED = [("labour_accept", LABOUR_ACCEPT), ("labour_session", labour_session("agreement_reached")),
          ("labour_agreement", LABOUR_AGREEMENT)]


def test_the_15_days_run_from_the_application_not_the_task(db):
    # applied on Wednesday 26 February, accepted on 3 March: day 15 is Thursday 13 March, 23:59
    accept = dict(LABOUR_ACCEPT, applied_on="2025-02-26")
    case, visited = drive(db, KEY, [("labour_accept", accept),
                                    Due("labour_session", "2025-03-13 23:59"),
                                    Wait(days=10), Expect(open=["labour_session"]),  # Thursday 13 March, 10:00
                                    Wait(days=1),
                                    Expect(open=["labour_guidance_letter"], absent=["labour_session"]),
                                    ("labour_guidance_letter", LABOUR_GUIDANCE)])
    assert visited == ["labour_accept", "labour_guidance_letter"]
    assert_closed(case, "guided_labour_arbitration")
    assert case.data["labour_result"] == "expired"


def test_agreement_not_paid_is_guided_to_a_payment_order(db):
    unpaid = dict(LABOUR_FOLLOW_UP, paid_in_full="no", amount_paid=0)
    case, visited = drive(db, KEY, [*AGREED, ("labour_follow_up", unpaid),
                                    Expect(open=["labour_payment_guidance"]),
                                    ("labour_payment_guidance", PAYMENT_GUIDANCE)])
    assert visited == ["labour_accept", "labour_session", "labour_agreement", "labour_follow_up",
                       "labour_payment_guidance"]
    assert_closed(case, "guided_payment_order")
    # the agreement was reached; the payment was not made: both are kept
    assert (case.data["labour_result"], case.data["payment_status"]) == ("agreement", "unpaid")


def test_agreement_partly_paid_is_guided_to_arbitration(db):
    partly = dict(LABOUR_FOLLOW_UP, paid_in_full="partly", amount_paid=20000)
    guidance = dict(PAYMENT_GUIDANCE, guidance_route="arbitration", target_body="福田区劳动人事争议仲裁院",
                    amount_outstanding=22000)
    case, _ = drive(db, KEY, [*AGREED, ("labour_follow_up", partly), ("labour_payment_guidance", guidance)])
    assert_closed(case, "guided_labour_arbitration")
    assert (case.data["labour_result"], case.data["payment_status"], case.data["amount_paid"]) == (
        "agreement", "partly_paid", 20000)


def test_arbitration_limitation_is_computed_and_warned_30_days_before(db):
    # knew on 5 April 2024: one year ends Saturday 5 April 2025 (清明) → Monday 7 April;
    # 30 days before is Saturday 8 March, 23:59 — within the 15-day term, which the warning does not end
    accept = dict(LABOUR_ACCEPT, knew_on="2024-04-05")
    case, visited = drive(db, KEY, [("labour_accept", accept),
                                    Due("labour_session", "2025-03-18 23:59"),  # the warning is no due time
                                    Wait(days=5), Expect(absent=["arbitration_limit_warning"]),  # Sat 8 March 10:00
                                    Wait(days=1),  # Sunday 9 March, 10:00
                                    Expect(open=["arbitration_limit_warning", "labour_session"]),
                                    ("arbitration_limit_warning", LIMIT_WARNING),
                                    ("labour_session", labour_session("failed")),
                                    ("labour_guidance_letter", LABOUR_GUIDANCE)])
    assert visited == ["labour_accept", "arbitration_limit_warning", "labour_session", "labour_guidance_letter"]
    assert_closed(case, "guided_labour_arbitration")
    assert case.data["arbitration_limit_on"] == "2025-04-07"
    assert case.data["arbitration_limit_note"].startswith("仲裁时效至2025-04-07")
    assert case.data["arbitration_warn_at"].startswith("2025-03-08T15:59:59")  # 23:59:59 Shanghai


def test_limitation_under_30_days_at_acceptance_is_warned_at_once(db):
    # knew on 20 March 2024: the limit is Thursday 20 March 2025, 17 days after the application
    accept = dict(LABOUR_ACCEPT, knew_on="2024-03-20")
    case, _ = drive(db, KEY, [("labour_accept", accept),
                              Expect(open=["arbitration_limit_warning", "labour_session"])])
    assert case.data["arbitration_limit_on"] == "2025-03-20"


def test_wage_arrears_while_still_employed_have_no_limitation(db):
    accept = {k: v for k, v in LABOUR_ACCEPT.items() if k != "knew_on"}
    accept["still_employed"] = True
    case, visited = drive(db, KEY, [("labour_accept", accept),
                                    Due("labour_session", "2025-03-18 23:59"),
                                    Wait(days=16), Expect(open=["labour_guidance_letter"],
                                                          absent=["arbitration_limit_warning"]),
                                    ("labour_guidance_letter", LABOUR_GUIDANCE)])
    assert visited == ["labour_accept", "labour_guidance_letter"]
    assert case.data["arbitration_limit_on"] is None
    assert "不受一年仲裁时效限制" in case.data["arbitration_limit_note"]


def test_the_date_the_worker_knew_is_required_when_a_limitation_runs(db):
    accept = {k: v for k, v in LABOUR_ACCEPT.items() if k != "knew_on"}
    with pytest.raises(InvalidData) as err:
        drive(db, KEY, [("labour_accept", accept)])
    assert "knew_on" in err.value.errors


def test_the_computed_limitation_shown_in_a_form_cannot_be_overwritten(db):
    session = dict(labour_session("next_session"), arbitration_limit_note="无时效")
    case, _ = drive(db, KEY, [("labour_accept", LABOUR_ACCEPT), ("labour_session", session)])
    assert case.data["arbitration_limit_note"].startswith("仲裁时效至2026-01-15")
