"""leader_case (领导包案): the leader takes charge, with or without a joint meeting."""

from tests.helpers.process_driver import JOINT_MEETING, drive, take_charge


def test_leader_takes_charge_with_joint_meeting(db):
    case, visited = drive(db, "leader_case", [("leader_take_charge", take_charge(meeting=True)),
                                               ("joint_meeting", JOINT_MEETING)])
    assert visited == ["leader_take_charge", "joint_meeting"]
    assert case.status == "completed" and case.open_tasks == []
    assert case.outcome is None  # not an end of the case: dispute_case goes on to route and close it
    assert case.data["leader_name"] == "刘主任"


def test_leader_takes_charge_without_joint_meeting(db):
    case, visited = drive(db, "leader_case", [("leader_take_charge", take_charge(meeting=False))])
    assert visited == ["leader_take_charge"]
    assert case.status == "completed" and case.open_tasks == []


def test_tasks_go_to_leader_then_supervisor(db):
    case, _ = drive(db, "leader_case", [("leader_take_charge", take_charge(meeting=True))])
    assert [(t.element_id, t.group) for t in case.open_tasks] == [("joint_meeting", "supervisor")]
