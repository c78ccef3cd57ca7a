"""What each role may do with each clock of a case (issue 16): the API says it per clock (``actions``,
``extension``) by the engine's own rules, and the case page draws only those buttons."""

from datetime import UTC, datetime

import pytest
import time_machine

from engine.cases import service
from tests.helpers.api import client_for
from tests.helpers.process_driver import intake, register

pytestmark = pytest.mark.process_set
NOW = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
CONCLUDE = "petition_conclude_60d"


def registered_petition(app, db) -> int:
    with db.begin() as conn:
        case = service.start_case(conn, "petition_handling", {"community": "福田社区", "received_on": "2026-06-01"},
                                  actor="window1")
    window = client_for(app, "window1")
    (task,) = window.get(f"/api/v1/cases/{case.id}").json()["open_tasks"]
    r = window.post(f"/api/v1/tasks/{task['id']}/complete", json={"data": register(on="2026-06-01")})
    assert r.status_code == 200, r.text
    return case.id


def conclude_clock(client, case_id: int) -> dict:
    (clock,) = [d for d in client.get(f"/api/v1/deadlines/cases/{case_id}").json() if d["rule_key"] == CONCLUDE]
    return clock


def test_each_role_sees_what_it_may_do_with_the_petition_clock(seeded_app, db):
    with time_machine.travel(NOW, tick=False):
        case_id = registered_petition(seeded_app, db)
        mediator, sup, leader = (client_for(seeded_app, u) for u in ("mediator1", "super1", "leader1"))

        clock = conclude_clock(mediator, case_id)  # approval only: a caseworker may pause, not extend
        assert (clock["actions"], clock["extension"], clock["pausable"]) == (["pause"], None, True)
        assert clock["limit"] == {"amount": 60, "clock": "natural"} and clock["extensions"] == []
        clock = conclude_clock(sup, case_id)
        assert clock["actions"] == ["pause", "extend"]
        assert clock["extension"] == {"kinds": ["approval"], "clock": "natural", "most": 30, "party_told": True}
        clock = conclude_clock(leader, case_id)  # a leader approves extensions but does not stop the clocks
        assert clock["actions"] == ["extend"]
        assert leader.post(f"/api/v1/deadlines/cases/{case_id}/pause", json={"reason": "x"}).status_code == 403

        page = mediator.get(f"/api/v1/cases/{case_id}").json()  # the case page's clocks say the same
        (same,) = [c for c in page["clocks"] if c["rule_key"] == CONCLUDE]
        assert same["actions"] == ["pause"]
        assert page["pause_rules"] == {"kinds": ["appraisal", "hearing", "party", "other"],
                                       "approver_kinds": ["appraisal", "hearing"]}
        assert sup.get(f"/api/v1/cases/{case_id}").json()["pause_rules"]["approver_kinds"] == []

        url = f"/api/v1/deadlines/cases/{case_id}"
        assert mediator.post(f"{url}/pause", json={"reason": "等待申请人补充材料", "kind": "party"}).status_code == 200
        assert conclude_clock(mediator, case_id)["actions"] == ["resume"]
        assert conclude_clock(sup, case_id)["actions"] == ["resume", "extend"]
        assert mediator.post(f"{url}/resume").status_code == 200

        body = {"amount": 20, "clock": "natural", "reason": "情况复杂，经批准延长", "party_told_on": "2026-06-01"}
        assert sup.post(f"/api/v1/deadlines/{clock['id']}/extend", json=body).status_code == 200
        clock = conclude_clock(sup, case_id)
        assert clock["extension"]["most"] == 10  # 30 days at most, 20 used
        (made,) = clock["extensions"]
        assert (made["amount"], made["kind"], made["approved_by"], made["reason"]) == (
            20, "approval", "super1", "情况复杂，经批准延长")
        assert sup.post(f"/api/v1/deadlines/{clock['id']}/extend", json={**body, "amount": 10}).status_code == 200
        assert conclude_clock(sup, case_id)["actions"] == ["pause"]  # the 30 days are used up
        assert client_for(seeded_app, "window2").get(url).status_code == 404  # another community's case


def test_consent_extension_is_offered_to_the_mediator_and_flags_on_the_case_page(seeded_app, db):
    with time_machine.travel(NOW, tick=False):
        window = client_for(seeded_app, "window1")
        r = window.post("/api/v1/cases", json={"data": intake(received_on="2026-06-01", people_count=6,
                                                               risk_level="red")})
        assert r.status_code == 201, r.text
        case_id = r.json()["id"]
        page = client_for(seeded_app, "mediator1").get(f"/api/v1/cases/{case_id}").json()
        assert page["warnings"][:2] == ["group_case", "red_risk"]
        # an office SLA: no statutory extension, so either kind the engine allows, each by its own role
        office = [c for c in page["clocks"] if c["rule_key"] and c["closed_at"] is None]
        assert office and all(c["extension"]["kinds"] == ["consent"] for c in office)
        sup_page = client_for(seeded_app, "super1").get(f"/api/v1/cases/{case_id}").json()
        assert all(c["extension"]["kinds"] == ["approval", "consent"]
                   for c in sup_page["clocks"] if c["rule_key"] and c["closed_at"] is None)
        lawyer = client_for(seeded_app, "lawyer1").get(f"/api/v1/cases/{case_id}").json()
        timers = [c for c in lawyer["clocks"] if c["kind"] == "timer"]
        assert all("extend" not in c["actions"] for c in timers)  # a BPMN timer is the model's, not extended
