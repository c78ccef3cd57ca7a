"""Queue rows (issue 16): the case's applicant (phone masked), summary, risk, group marker, whether the user may
claim or work the task; the leader's queue (the leaders' group by default, their 包案 cases' tasks to read) and
我的包案 with clocks and alerts."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from engine.cases import service
from engine.deadlines import seed as sla_seed
from engine.store import warnings as warning_store
from engine.store.tables import deadlines
from tests.helpers.api import client_for
from tests.helpers.process_driver import intake
from tests.helpers.tasks import API, setup
from tests.helpers.ui import lawyer_case, new_case


def _items(client, **params) -> dict[str, dict]:
    r = client.get(f"{API}/tasks", params={"limit": 100, **params})
    assert r.status_code == 200, r.text
    return {t["id"]: t for t in r.json()["items"]}


def _group_case(db, leader: str | None = None):
    """A red, six-person case past intake (the lawyer's review open), led by ``leader``: (case id, task id)."""
    case_id, task_id = new_case(db)
    with db.begin() as conn:
        case = service.complete_task(conn, task_id, intake(people_count=6, risk_level="red",
                                                           summary="  六名工人\n追索三个月工资 " + "很长" * 100),
                                     actor="window1")
        if leader:
            warning_store.set_leader(conn, case_id, leader)
    return case_id, case.open_tasks[0].id


def test_a_row_shows_the_applicant_masked_the_summary_risk_and_group_marker(db):
    app = setup(db)
    _, task = _group_case(db)
    _, quiet = lawyer_case(db)
    _, fresh = new_case(db)  # intake open: no parties yet
    for user in ("lawyer1", "super1", "leader1", "admin1"):
        items = _items(client_for(app, user), group="lawyer")
        row = items[task]
        assert row["applicant"] == {"name": "张某", "phone": "138****0001"}, user
        assert row["summary"].startswith("六名工人 追索三个月工资 很长") and row["summary"].endswith("…")
        assert len(row["summary"]) == 121
        assert (row["risk_level"], row["people_count"], row["group_case"]) == ("red", 6, True)
        assert (items[quiet]["risk_level"], items[quiet]["group_case"]) == ("yellow", False)
    text = client_for(app, "super1").get(f"{API}/tasks", params={"status": "open"}).text
    for secret in ("440304199001031234", "13800000001", "13800000002"):
        assert secret not in text  # a list never shows full values, whatever the role
    intake_row = _items(client_for(app, "window1"))[fresh]
    assert intake_row["applicant"] is None and intake_row["group_case"] is False


def test_can_claim_and_can_work_follow_the_permissions(db):
    app = setup(db)
    _, task = lawyer_case(db)
    lawyer, other_lawyer = client_for(app, "lawyer1"), client_for(app, "super1")
    assert {k: _items(lawyer)[task][k] for k in ("can_claim", "can_work")} == {"can_claim": True, "can_work": True}
    assert _items(other_lawyer, group="lawyer")[task]["can_claim"] is True  # a supervisor is in every group
    for user in ("leader1", "admin1"):
        row = _items(client_for(app, user), group="lawyer")[task]
        assert (row["can_claim"], row["can_work"]) == (False, False), user
        assert client_for(app, user).post(f"{API}/tasks/{task}/claim").status_code == 403
    assert lawyer.post(f"{API}/tasks/{task}/claim").status_code == 200
    row = _items(lawyer, mine="true")[task]
    assert (row["can_claim"], row["can_work"]) == (False, True)
    row = _items(client_for(app, "super1"), group="lawyer")[task]
    assert (row["can_claim"], row["can_work"]) == (False, False)  # held by the lawyer


def test_a_leaders_queue_is_their_groups_and_their_cases_tasks_are_read_only(db):
    app = setup(db)
    led_case, led_task = _group_case(db, leader="leader1")
    _, other_task = _group_case(db, leader="someone_else")
    leader = client_for(app, "leader1")
    default = _items(leader)
    assert led_task not in default and other_task not in default  # lawyers' tasks: not the leader's to act on
    assert all(t["group"] == "leader" for t in default.values())
    led = _items(leader, led="true")
    assert set(led) == {led_task}
    assert led[led_task]["leader"] == "leader1" and led[led_task]["can_claim"] is False
    assert _items(client_for(app, "lawyer1"), led="true") == {}  # only cases the user leads


def test_my_led_cases_with_their_stage_clocks_and_alerts(db):
    app = setup(db)
    with db.begin() as conn:
        sla_seed.seed(conn)
    led_case, led_task = _group_case(db, leader="leader1")
    _group_case(db, leader="someone_else")
    with db.begin() as conn:
        conn.execute(update(deadlines).where(deadlines.c.case_id == led_case)
                     .values(status="warned", due_at=datetime.now(UTC) + timedelta(hours=3)))
    r = client_for(app, "leader1").get(f"{API}/leader/cases")
    assert r.status_code == 200, r.text
    [case] = r.json()["items"]
    assert case["id"] == led_case and case["group_case"] is True and case["risk_level"] == "red"
    assert case["applicant"] == {"name": "张某", "phone": "138****0001"}
    assert [t["id"] for t in case["tasks"]] == [led_task]
    assert case["clocks"] and {c["alert"] for c in case["clocks"]} == {"warned"} and case["alert"] == "warned"
    with db.begin() as conn:
        conn.execute(update(deadlines).where(deadlines.c.case_id == led_case)
                     .values(status="fired", escalation_level=2, due_at=datetime.now(UTC) - timedelta(days=2)))
    [case] = client_for(app, "leader1").get(f"{API}/leader/cases").json()["items"]
    assert case["alert"] == "escalated" and case["clocks"][0]["overdue_by"] == {"days": 2}
    for user in ("lawyer1", "super1", "admin1"):
        assert client_for(app, user).get(f"{API}/leader/cases").status_code == 403
