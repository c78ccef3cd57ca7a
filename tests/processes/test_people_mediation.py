"""people_mediation (人民调解): every path, including no-shows, the 30-day term and 司法确认.

Clocks count from the dates the law names (accepted_on, agreement_effective_on), not from task
creation; each due time is checked to the minute (Shanghai time). The cases start on Monday
3 March 2025, 10:00 (see tests.helpers.process_driver).
"""

import pytest

from engine.core.errors import InvalidData
from tests.helpers.process_driver import (
    ACCEPT,
    FOLLOW_UP,
    JC_APPLY,
    JC_RESULT,
    NOTICE,
    REFUSE,
    RESCHEDULE,
    Due,
    Expect,
    Wait,
    agreement,
    assert_closed,
    drive,
    session,
)

KEY = "people_mediation"
AGREED = [("mediation_session", session("agreement_reached"))]


def test_refused_when_a_party_declines_mediation(db):
    case, visited = drive(db, KEY, [("mediation_accept", REFUSE)])
    assert visited == ["mediation_accept"]
    assert_closed(case, "refused")


def test_written_agreement_without_judicial_confirmation(db):
    case, visited = drive(db, KEY, [("mediation_accept", ACCEPT), *AGREED,
                                    ("mediation_agreement", agreement()), ("follow_up_visit", FOLLOW_UP)])
    assert visited == ["mediation_accept", "mediation_session", "mediation_agreement", "follow_up_visit"]
    assert_closed(case, "mediated")
    assert case.open_tasks == [] and "judicial_confirmation" not in case.data


def test_oral_agreement_never_goes_to_judicial_confirmation(db):
    case, visited = drive(db, KEY, [("mediation_accept", ACCEPT), *AGREED,
                                    ("mediation_agreement", agreement(form="oral", jc=True)),
                                    ("follow_up_visit", FOLLOW_UP)])
    assert visited == ["mediation_accept", "mediation_session", "mediation_agreement", "follow_up_visit"]
    assert_closed(case, "mediated_oral")


def test_partial_agreement(db):
    case, visited = drive(db, KEY, [("mediation_accept", ACCEPT),
                                    ("mediation_session", session("partial_agreement")),
                                    ("mediation_agreement", agreement()), ("follow_up_visit", FOLLOW_UP)])
    assert visited == ["mediation_accept", "mediation_session", "mediation_agreement", "follow_up_visit"]
    assert_closed(case, "partial")


def test_judicial_confirmation_applied_and_confirmed(db):
    case, visited = drive(db, KEY, [("mediation_accept", ACCEPT), *AGREED,
                                    ("mediation_agreement", agreement(jc=True)),
                                    ("jc_apply", JC_APPLY), ("jc_result", JC_RESULT),
                                    ("follow_up_visit", FOLLOW_UP)])
    assert visited == ["mediation_accept", "mediation_session", "mediation_agreement", "jc_apply", "jc_result",
                       "follow_up_visit"]
    assert_closed(case, "mediated")
    assert case.data["court_decision"] == "confirmed"


def test_judicial_confirmation_window_lapses_after_30_days(db):
    # the agreement is signed and recorded on Thursday 6 March (a date may not be in the future when recorded):
    # day 30 is Saturday 5 April (清明 holiday 4–6 April) → Monday 7 April, 23:59
    signed = dict(agreement(jc=True), agreement_effective_on="2025-03-06")
    case, visited = drive(db, KEY, [("mediation_accept", ACCEPT), *AGREED, Wait(days=3),  # Thursday 6 March
                                    ("mediation_agreement", signed),
                                    Due("jc_apply", "2025-04-07 23:59"),
                                    Wait(days=32), Expect(open=["jc_apply"]),  # Monday 7 April, 10:00
                                    Wait(days=1), Expect(open=["follow_up_visit"], absent=["jc_apply"]),
                                    ("follow_up_visit", FOLLOW_UP)])
    assert visited == ["mediation_accept", "mediation_session", "mediation_agreement", "follow_up_visit"]
    assert_closed(case, "mediated")
    assert case.data["judicial_confirmation"] == "lapsed"


def test_judicial_confirmation_counts_from_the_agreement_taking_effect(db):
    # agreement signed and effective on Monday 10 March (a back-dated record): +30 = Wednesday 9 April
    agreed = dict(agreement(jc=True), agreement_effective_on="2025-03-10")
    case, visited = drive(db, KEY, [("mediation_accept", ACCEPT), *AGREED, Wait(days=14),
                                    ("mediation_agreement", agreed),  # recorded on Monday 17 March
                                    Due("jc_apply", "2025-04-09 23:59"),
                                    Wait(days=23), Expect(open=["jc_apply"]),  # Wednesday 9 April, 10:00
                                    Wait(days=1), Expect(open=["follow_up_visit"], absent=["jc_apply"]),
                                    ("follow_up_visit", FOLLOW_UP)])
    assert case.data["judicial_confirmation"] == "lapsed"
    assert case.data["jc_apply_due"].startswith("2025-04-09T15:59:59")  # 23:59:59 Shanghai


def test_mediation_fails_and_the_parties_are_told_their_other_routes(db):
    case, visited = drive(db, KEY, [("mediation_accept", ACCEPT), ("mediation_session", session("failed")),
                                    ("termination_notice", NOTICE)])
    assert visited == ["mediation_accept", "mediation_session", "termination_notice"]
    assert_closed(case, "failed")
    assert case.data["routes_told"] == ["arbitration", "litigation"]
    assert case.data["notice_served_on"] == "2025-03-03"


def test_applicant_withdraws(db):
    case, visited = drive(db, KEY, [("mediation_accept", ACCEPT), ("mediation_session", session("withdrawn")),
                                    ("termination_notice", NOTICE)])
    assert visited == ["mediation_accept", "mediation_session", "termination_notice"]
    assert_closed(case, "withdrawn")


def test_the_termination_notice_must_name_a_route_and_a_served_date(db):
    with pytest.raises(InvalidData) as err:
        drive(db, KEY, [("mediation_accept", ACCEPT), ("mediation_session", session("failed")),
                        ("termination_notice", {"routes_told": [], "served_method": "post"})])
    assert {"routes_told", "notice_served_on"} <= set(err.value.errors)


def test_several_sessions_then_agreement(db):
    case, visited = drive(db, KEY, [("mediation_accept", ACCEPT),
                                    ("mediation_session", session("next_session")),
                                    ("mediation_session", session("next_session")),
                                    *AGREED, ("mediation_agreement", agreement()), ("follow_up_visit", FOLLOW_UP)])
    assert visited == ["mediation_accept"] + ["mediation_session"] * 3 + ["mediation_agreement", "follow_up_visit"]
    assert_closed(case, "mediated")


def test_one_no_show_is_rescheduled(db):
    case, visited = drive(db, KEY, [("mediation_accept", ACCEPT),
                                    ("mediation_session", session(attendance="respondent_absent")),
                                    ("reschedule_session", RESCHEDULE),
                                    *AGREED, ("mediation_agreement", agreement()), ("follow_up_visit", FOLLOW_UP)])
    assert visited == ["mediation_accept", "mediation_session", "reschedule_session", "mediation_session",
                       "mediation_agreement", "follow_up_visit"]
    assert_closed(case, "mediated")
    assert case.data["no_show_count"] == 1


def test_second_no_show_terminates(db):
    case, visited = drive(db, KEY, [("mediation_accept", ACCEPT),
                                    ("mediation_session", session(attendance="respondent_absent")),
                                    ("reschedule_session", RESCHEDULE),
                                    ("mediation_session", session(attendance="both_absent")),
                                    Expect(open=["termination_notice"], absent=["reschedule_session"]),
                                    ("termination_notice", NOTICE)])
    assert visited == ["mediation_accept", "mediation_session", "reschedule_session", "mediation_session",
                       "termination_notice"]
    assert_closed(case, "terminated")
    assert (case.data["termination_reason"], case.data["no_show_count"]) == ("no_show", 2)


def test_term_expires_after_30_days_and_is_terminated(db):
    # accepted Monday 3 March: day 30 is Wednesday 2 April, 23:59
    case, visited = drive(db, KEY, [("mediation_accept", ACCEPT),
                                    Due("mediation_session", "2025-04-02 23:59"),
                                    ("mediation_session", session("next_session")),
                                    Wait(days=29), Expect(open=["mediation_session"]),
                                    Wait(days=2), Expect(open=["mediation_term_expired"], absent=["mediation_session"]),
                                    ("mediation_term_expired", {"parties_consent_extension": False}),
                                    ("termination_notice", dict(NOTICE, notice_served_on="2025-04-03"))])
    assert visited == ["mediation_accept", "mediation_session", "mediation_term_expired", "termination_notice"]
    assert_closed(case, "terminated")
    assert case.data["termination_reason"] == "term_expired"


def test_term_counts_from_the_acceptance_date_not_the_task(db):
    # accepted on Thursday 20 February, recorded on 3 March: day 30 is Saturday 22 March → Monday 24 March
    accepted = dict(ACCEPT, accepted_on="2025-02-20")
    case, visited = drive(db, KEY, [("mediation_accept", accepted),
                                    Due("mediation_session", "2025-03-24 23:59"),
                                    Wait(days=21), Expect(open=["mediation_session"]),  # Monday 24 March, 10:00
                                    Wait(days=1), Expect(open=["mediation_term_expired"], absent=["mediation_session"]),
                                    ("mediation_term_expired", {"parties_consent_extension": False}),
                                    Expect(open=["termination_notice"]), ("termination_notice", dict(NOTICE, notice_served_on="2025-03-25"))])
    assert_closed(case, "terminated")


EXTEND = {"parties_consent_extension": True, "consent_given_by": "申请人张某、被申请人李某(书面同意)",
          "extended_until": "2025-04-18", "extension_reason": "双方仍在协商赔偿数额", "extension_note": "双方书面同意延长"}


def test_term_extended_by_consent_then_mediated(db):
    case, visited = drive(db, KEY, [("mediation_accept", ACCEPT),
                                    Wait(days=31),
                                    ("mediation_term_expired", EXTEND),
                                    Due("mediation_session", "2025-04-18 23:59"),
                                    *AGREED, ("mediation_agreement", agreement()), ("follow_up_visit", FOLLOW_UP)])
    assert visited == ["mediation_accept", "mediation_term_expired", "mediation_session", "mediation_agreement",
                       "follow_up_visit"]
    assert_closed(case, "mediated")
    assert case.data["term_extensions"] == 1
    assert (case.data["consent_given_by"], case.data["extended_until"]) == (EXTEND["consent_given_by"], "2025-04-18")


def test_extended_term_expires_on_the_agreed_day_and_ends_with_the_notice(db):
    # extended until Friday 18 April: still open at 10:00 that day, expired the next morning
    case, visited = drive(db, KEY, [("mediation_accept", ACCEPT), Wait(days=31),  # Thursday 3 April
                                    ("mediation_term_expired", EXTEND),
                                    Wait(days=15), Expect(open=["mediation_session"]),  # Friday 18 April, 10:00
                                    Wait(days=1), Expect(open=["mediation_term_expired"]),
                                    ("mediation_term_expired", {"parties_consent_extension": False}),
                                    ("termination_notice", dict(NOTICE, notice_served_on="2025-04-19"))])
    assert visited == ["mediation_accept", "mediation_term_expired", "mediation_term_expired", "termination_notice"]
    assert_closed(case, "terminated")
    assert case.data["term_extensions"] == 1


def test_an_extension_must_record_who_consented_the_new_term_and_why(db):
    with pytest.raises(InvalidData) as err:
        drive(db, KEY, [("mediation_accept", ACCEPT), Wait(days=31),
                        ("mediation_term_expired", {"parties_consent_extension": True})])
    assert {"consent_given_by", "extended_until", "extension_reason"} <= set(err.value.errors)


def test_follow_up_records_performance_satisfaction_and_escalation(db):
    visit = dict(FOLLOW_UP, agreement_performed="partially", satisfaction="dissatisfied", escalation_signs=True,
                 escalation_note="被申请人拒付余款,双方再起争执,已报告司法所")
    case, _ = drive(db, KEY, [("mediation_accept", ACCEPT), *AGREED, ("mediation_agreement", agreement()),
                              ("follow_up_visit", visit)])
    assert_closed(case, "mediated")
    assert (case.data["agreement_performed"], case.data["satisfaction"], case.data["escalation_signs"]) == (
        "partially", "dissatisfied", True)
