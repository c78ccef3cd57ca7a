"""dispute_case (矛盾纠纷受理与分流): every path from intake to closing."""

import pytest

from tests.helpers.process_driver import (
    ACCEPT,
    CONSULTATION,
    FOLLOW_THROUGH,
    FOLLOW_UP,
    GUIDANCE,
    JOINT_MEETING,
    LABOUR_GUIDANCE,
    LABOUR_REFUSE,
    REFUSE,
    SIGN_OFF,
    SUPERVISION,
    Expect,
    Wait,
    agreement,
    assert_closed,
    drive,
    intake,
    register,
    review,
    session,
    take_charge,
)

KEY = "dispute_case"


@pytest.mark.parametrize(
    ("over", "route"),
    [
        ({"request_kind": "consultation"}, "consultation"),
        ({"request_kind": "admin_act"}, "admin_review"),
        ({"source": "court_entrusted", "channel": "court_delegated", "dispute_type": "contract",
          "arbitration_clause": True}, "people_mediation"),
        ({"request_kind": "legal_procedure", "dispute_type": "labour"}, "labour_arbitration"),
        ({"request_kind": "legal_procedure", "dispute_type": "contract", "arbitration_clause": True},
         "commercial_arbitration"),
        ({"request_kind": "legal_procedure", "dispute_type": "traffic_accident"}, "litigation"),
        ({"request_kind": "petition", "channel": "hotline_12345"}, "petition"),
        ({"dispute_type": "labour", "channel": "grid_screening"}, "labour_mediation"),
        ({"dispute_type": "production_business", "arbitration_clause": True}, "commercial_arbitration"),
        ({"dispute_type": "consumer", "arbitration_clause": True, "channel": "law_mailbox"}, "people_mediation"),
        ({"channel": "pre_petition_studio"}, "people_mediation"),
        ({"channel": "transfer_in", "source": "government_assigned"}, "people_mediation"),
    ],
)
def test_screening_table_proposes_a_route_for_the_lawyer(db, over, route):
    case, visited = drive(db, KEY, [("intake", intake(**over)), Expect(open=["lawyer_review"])])
    assert visited == ["intake"]
    assert case.data["route"] == route
    assert case.data["route_reason"]
    assert [t.element_id for t in case.open_tasks] == ["lawyer_review"]
    assert case.open_tasks[0].group == "lawyer"


def test_people_mediation_route_closes_with_the_mediation_outcome(db):
    case, visited = drive(db, KEY, [
        ("intake", intake()),
        ("lawyer_review", review("people_mediation")),
        ("mediation_accept", ACCEPT),
        ("mediation_session", session("agreement_reached")),
        ("mediation_agreement", agreement()),
        ("follow_up_visit", FOLLOW_UP),
    ])
    assert visited == ["intake", "lawyer_review", "mediation_accept", "mediation_session",
                       "mediation_agreement", "follow_up_visit"]
    assert_closed(case, "mediated")
    assert case.data["key_case"] is False


def test_people_mediation_route_refused(db):
    case, visited = drive(db, KEY, [
        ("intake", intake()),
        ("lawyer_review", review("people_mediation")),
        ("mediation_accept", REFUSE),
    ])
    assert visited == ["intake", "lawyer_review", "mediation_accept"]
    assert_closed(case, "refused")


def test_labour_route_guides_to_arbitration(db):
    case, visited = drive(db, KEY, [
        ("intake", intake(dispute_type="labour", people_count=3)),
        ("lawyer_review", review("labour_mediation")),
        ("labour_accept", LABOUR_REFUSE),
        ("labour_guidance_letter", LABOUR_GUIDANCE),
    ])
    assert visited == ["intake", "lawyer_review", "labour_accept", "labour_guidance_letter"]
    assert_closed(case, "guided_labour_arbitration")
    assert case.data["guidance_letter_no"] == LABOUR_GUIDANCE["guidance_letter_no"]


def test_petition_route(db):
    case, visited = drive(db, KEY, [
        ("intake", intake(request_kind="petition")),
        ("lawyer_review", review("petition")),
        ("petition_register", register("not_accepted")),
    ])
    assert visited == ["intake", "lawyer_review", "petition_register"]
    assert_closed(case, "refused")


def test_consultation_route(db):
    case, visited = drive(db, KEY, [
        ("intake", intake(request_kind="consultation", channel="law_mailbox")),
        ("lawyer_review", review("consultation")),
        ("legal_consultation", CONSULTATION),
    ])
    assert visited == ["intake", "lawyer_review", "legal_consultation"]
    assert_closed(case, "consultation")
    assert "guidance_letter_no" not in case.data


@pytest.mark.parametrize(
    ("over", "final_route", "override", "outcome"),
    [
        ({"request_kind": "legal_procedure"}, "litigation", False, "guided_litigation"),
        ({"request_kind": "legal_procedure", "dispute_type": "labour"}, "labour_arbitration", False,
         "guided_labour_arbitration"),
        ({"request_kind": "legal_procedure", "dispute_type": "contract", "arbitration_clause": True},
         "commercial_arbitration", False, "guided_commercial_arbitration"),
        ({"request_kind": "admin_act"}, "admin_review", False, "guided_admin_review"),
        ({"request_kind": "legal_procedure"}, "legal_aid", True, "guided_legal_aid"),
        ({}, "refer_mediation", True, "guided_people_mediation"),
    ],
)
def test_guidance_routes_issue_a_guidance_letter(db, over, final_route, override, outcome):
    case, visited = drive(db, KEY, [
        ("intake", intake(channel="pre_petition_studio", **over)),
        ("lawyer_review", review(final_route, override=override)),
        ("issue_guidance_letter", GUIDANCE),
    ])
    assert visited == ["intake", "lawyer_review", "issue_guidance_letter"]
    assert_closed(case, outcome)
    assert case.data["guidance_letter_no"] == GUIDANCE["guidance_letter_no"]
    assert (case.data["route"] == final_route) is not override


def test_lawyer_overrides_the_proposed_route(db):
    case, visited = drive(db, KEY, [
        ("intake", intake()),  # table proposes people_mediation
        ("lawyer_review", review("consultation", override=True)),
        ("legal_consultation", CONSULTATION),
    ])
    assert visited == ["intake", "lawyer_review", "legal_consultation"]
    assert_closed(case, "consultation")
    assert case.data["route"] == "people_mediation"
    assert case.data["final_route"] == "consultation"


@pytest.mark.parametrize(
    "over", [{"risk_level": "red"}, {"people_count": 5}, {"difficult": True}], ids=["red", "group", "difficult"]
)
def test_key_case_goes_to_leader_with_joint_meeting(db, over):
    """领导包案 runs in parallel with the handling: both open after screening, joined before the sign-off."""
    case, visited = drive(db, KEY, [
        ("intake", intake(**over)),
        ("lawyer_review", review("consultation", override=True)),
        Expect(open=["leader_take_charge", "legal_consultation"]),
        ("leader_take_charge", take_charge(meeting=True)),
        ("joint_meeting", JOINT_MEETING),
        ("legal_consultation", CONSULTATION),
        Expect(open=["leader_follow_up"], absent=["leader_sign_off"]),  # the join waits for the leader
        ("leader_follow_up", FOLLOW_THROUGH),
        ("leader_sign_off", SIGN_OFF),
    ])
    assert visited == ["intake", "lawyer_review", "leader_take_charge", "joint_meeting", "legal_consultation",
                       "leader_follow_up", "leader_sign_off"]
    assert_closed(case, "consultation")
    assert case.data["key_case"] is True


def test_key_case_without_joint_meeting(db):
    """The handling can finish before the leader takes charge: the sign-off waits for the leader's branch."""
    case, visited = drive(db, KEY, [
        ("intake", intake(risk_level="red", people_count=12)),
        ("lawyer_review", review("people_mediation")),
        ("mediation_accept", ACCEPT),
        ("mediation_session", session("agreement_reached")),
        ("mediation_agreement", agreement(form="oral")),
        ("follow_up_visit", FOLLOW_UP),
        Expect(open=["leader_take_charge"], absent=["leader_sign_off"]),
        ("leader_take_charge", take_charge(meeting=False)),
        ("leader_follow_up", FOLLOW_THROUGH),
        ("leader_sign_off", SIGN_OFF),
    ])
    assert visited == ["intake", "lawyer_review", "mediation_accept", "mediation_session", "mediation_agreement",
                       "follow_up_visit", "leader_take_charge", "leader_follow_up", "leader_sign_off"]
    assert_closed(case, "mediated_oral")
    assert case.data["group_case"] is True


def test_screening_not_overdue_within_five_working_days(db):
    case, _ = drive(db, KEY, [("intake", intake()), Wait(days=4), Expect(absent=["screening_overdue"])])
    assert [t.element_id for t in case.open_tasks] == ["lawyer_review"]


def test_screening_overdue_after_five_working_days_goes_to_supervisor(db):
    # received Monday 3 March 2025: the 5th working day ends Monday 10 March
    case, visited = drive(db, KEY, [
        ("intake", intake()),
        Wait(days=8),
        Expect(open=["lawyer_review", "screening_overdue"]),
        ("screening_overdue", SUPERVISION),
        ("lawyer_review", review("consultation", override=True)),
        ("legal_consultation", CONSULTATION),
    ])
    assert visited == ["intake", "screening_overdue", "lawyer_review", "legal_consultation"]
    assert_closed(case, "consultation")


def test_open_tasks_carry_the_lane_groups(db):
    case, _ = drive(db, KEY, [("intake", intake(risk_level="red")), Wait(days=8),
                              ("lawyer_review", review("consultation", override=True))])
    groups = {t.element_id: t.group for t in case.open_tasks}
    assert groups == {"screening_overdue": "supervisor", "leader_take_charge": "leader", "legal_consultation": "lawyer"}
