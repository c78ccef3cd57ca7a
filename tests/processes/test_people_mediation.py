"""people_mediation (人民调解): every path, including no-shows, the 30-day term and 司法确认."""

from tests.helpers.process_driver import (
    ACCEPT,
    FOLLOW_UP,
    JC_APPLY,
    JC_RESULT,
    REFUSE,
    RESCHEDULE,
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
    case, visited = drive(db, KEY, [("mediation_accept", ACCEPT), *AGREED,
                                    ("mediation_agreement", agreement(jc=True)),
                                    Wait(days=29), Expect(open=["jc_apply"]),
                                    Wait(days=3), Expect(open=["follow_up_visit"], absent=["jc_apply"]),
                                    ("follow_up_visit", FOLLOW_UP)])
    assert visited == ["mediation_accept", "mediation_session", "mediation_agreement", "follow_up_visit"]
    assert_closed(case, "mediated")
    assert case.data["judicial_confirmation"] == "lapsed"


def test_mediation_fails(db):
    case, visited = drive(db, KEY, [("mediation_accept", ACCEPT), ("mediation_session", session("failed"))])
    assert visited == ["mediation_accept", "mediation_session"]
    assert_closed(case, "failed")


def test_applicant_withdraws(db):
    case, visited = drive(db, KEY, [("mediation_accept", ACCEPT), ("mediation_session", session("withdrawn"))])
    assert visited == ["mediation_accept", "mediation_session"]
    assert_closed(case, "withdrawn")


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
                                    ("mediation_session", session(attendance="both_absent"))])
    assert visited == ["mediation_accept", "mediation_session", "reschedule_session", "mediation_session"]
    assert_closed(case, "terminated")
    assert (case.data["termination_reason"], case.data["no_show_count"]) == ("no_show", 2)


def test_term_expires_after_30_days_and_is_terminated(db):
    case, visited = drive(db, KEY, [("mediation_accept", ACCEPT),
                                    ("mediation_session", session("next_session")),
                                    Wait(days=29), Expect(open=["mediation_session"]),
                                    Wait(days=2), Expect(open=["mediation_term_expired"], absent=["mediation_session"]),
                                    ("mediation_term_expired", {"parties_consent_extension": False})])
    assert visited == ["mediation_accept", "mediation_session", "mediation_term_expired"]
    assert_closed(case, "terminated")
    assert case.data["termination_reason"] == "term_expired"


def test_term_extended_by_consent_then_mediated(db):
    case, visited = drive(db, KEY, [("mediation_accept", ACCEPT),
                                    Wait(days=31),
                                    ("mediation_term_expired", {"parties_consent_extension": True,
                                                                "extension_note": "双方书面同意延长30日"}),
                                    *AGREED, ("mediation_agreement", agreement()), ("follow_up_visit", FOLLOW_UP)])
    assert visited == ["mediation_accept", "mediation_term_expired", "mediation_session", "mediation_agreement",
                       "follow_up_visit"]
    assert_closed(case, "mediated")
    assert case.data["term_extensions"] == 1
