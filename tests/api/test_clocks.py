"""Clocks over HTTP (issue 13): back-dated intake, overdue_by, PATCH /cases/{id}/dates, pauses with a kind,
extensions with the petitioner told."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from engine.cases import service
from tests.helpers.api import client_for
from tests.helpers.process_driver import intake, register

pytestmark = pytest.mark.process_set
SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai


def local(value: str) -> str:
    return datetime.fromisoformat(value).astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def petition(db, received_on: str):
    with db.begin() as conn:
        return service.start_case(conn, "petition_handling", {"community": "福田社区", "received_on": received_on},
                                  actor="window1")


def test_back_dated_intake_and_changing_the_date(seeded_app, db):
    with time_machine.travel(NOW, tick=False):
        window = client_for(seeded_app, "window1")
        r = window.post("/api/v1/cases", json={"data": intake(received_on="2026-11-01")})
        assert r.status_code == 201, r.text
        case_id = r.json()["id"]
        page = window.get(f"/api/v1/cases/{case_id}").json()
        assert page["received_on"] == "2026-11-01" and page["dates"] == {"received_on": "2026-11-01"}

        r = window.patch(f"/api/v1/cases/{case_id}/dates", json={"received_on": "2026-11-03"})
        assert r.status_code == 200, r.text
        assert r.json()["dates"]["received_on"] == "2026-11-03"
        timeline = window.get(f"/api/v1/cases/{case_id}").json()["timeline"]
        changed = [e for e in timeline if e["kind"] == "case_date_changed"]
        assert [(e["data"]["old"], e["data"]["new"]) for e in changed] == [("2026-11-01", "2026-11-03")]

        r = window.patch(f"/api/v1/cases/{case_id}/dates", json={"received_on": "2026-11-21"})
        assert r.status_code == 422 and r.json()["fields"] == {"received_on": "不能晚于今天"}, r.text
        r = client_for(seeded_app, "window1", lang="en").patch(f"/api/v1/cases/{case_id}/dates",
                                                         json={"received_on": "2020-01-01"})
        assert r.status_code == 422 and r.json()["fields"] == {"received_on": "more than 5 years ago"}, r.text
        assert window.patch(f"/api/v1/cases/{case_id}/dates", json={"opened_on": "2026-11-01"}).status_code == 422
        assert window.patch(f"/api/v1/cases/{case_id}/dates", json={}).status_code == 422
        assert client_for(seeded_app, "window2").patch(f"/api/v1/cases/{case_id}/dates",
                                                   json={"received_on": "2026-11-02"}).status_code == 404
        assert client_for(seeded_app, "leader1").patch(f"/api/v1/cases/{case_id}/dates",
                                                   json={"received_on": "2026-11-02"}).status_code == 403
        r = window.post("/api/v1/cases", json={"data": intake(received_on="2026-12-01", dispute_type="contract")})
        assert r.status_code == 422 and "received_on" in r.json()["fields"], r.text


def test_a_petition_overdue_at_registration_says_how_late(seeded_app, db):
    with time_machine.travel(NOW, tick=False):
        case = petition(db, "2026-11-01")
        window = client_for(seeded_app, "window1")
        page = window.get(f"/api/v1/cases/{case.id}").json()
        (task,) = page["open_tasks"]
        assert local(task["due_at"]) == "2026-11-16 23:59" and task["overdue_by"] == {"days": 4}
        (clock,) = [c for c in page["clocks"] if c["rule_key"] == "petition_register_15d"]
        assert clock["overdue_by"] == {"days": 4} and clock["starts_from"] == "received_on"
        rows = client_for(seeded_app, "mediator1").get(f"/api/v1/deadlines/cases/{case.id}").json()
        (row,) = [d for d in rows if d["rule_key"] == "petition_register_15d"]
        assert local(row["due_at"]) == "2026-11-16 23:59" and row["overdue_by"] == {"days": 4}
        queue = window.get("/api/v1/tasks").json()["items"]
        assert [(i["element_id"], i["overdue_by"]) for i in queue if i["case_id"] == case.id] == \
            [("petition_register", {"days": 4})]


def test_pause_with_a_kind_and_an_extension_with_the_petitioner_told(seeded_app, db):
    with time_machine.travel(datetime(2026, 6, 1, 2, 0, tzinfo=UTC), tick=False):
        case = petition(db, "2026-06-01")
        window = client_for(seeded_app, "window1")
        (task,) = window.get(f"/api/v1/cases/{case.id}").json()["open_tasks"]
        assert window.post(f"/api/v1/tasks/{task['id']}/complete", json={"data": register(on="2026-06-01")}).status_code == 200
        med, sup = client_for(seeded_app, "mediator1"), client_for(seeded_app, "super1")
        url = f"/api/v1/deadlines/cases/{case.id}"
        r = med.post(f"{url}/pause", json={"reason": "委托鉴定", "kind": "appraisal"})
        assert r.status_code == 422 and "approved_by" in r.json()["fields"], r.text
        assert med.post(f"{url}/pause", json={"reason": "x", "kind": "nap"}).status_code == 422
        r = med.post(f"{url}/pause", json={"reason": "委托鉴定", "kind": "appraisal", "approved_by": "super1"})
        assert r.status_code == 200, r.text
        (pause,) = med.get(f"/api/v1/cases/{case.id}").json()["pauses"]
        assert (pause["kind"], pause["approved_by"], pause["ended_at"]) == ("appraisal", "super1", None)
        assert med.post(f"{url}/resume").status_code == 200

        (clock,) = [d for d in med.get(url).json() if d["rule_key"] == "petition_conclude_60d"]
        assert clock["scope"] == "case" and clock["process_key"] == "petition_handling"
        body = {"amount": 30, "clock": "natural", "reason": "情况复杂，经批准延长"}
        assert med.post(f"/api/v1/deadlines/{clock['id']}/extend", json=body).status_code == 403
        r = sup.post(f"/api/v1/deadlines/{clock['id']}/extend", json=body)
        assert r.status_code == 422 and "party_told_on" in r.json()["fields"], r.text
        r = sup.post(f"/api/v1/deadlines/{clock['id']}/extend", json={**body, "amount": 31,
                                                                     "party_told_on": "2026-06-01"})
        assert r.status_code == 422 and "amount" in r.json()["fields"], r.text
        assert local(clock["due_at"]) == "2026-07-31 23:59"  # 60 days from 受理日期 1 June: Friday 31 July
        r = sup.post(f"/api/v1/deadlines/{clock['id']}/extend", json={**body, "party_told_on": "2026-06-01"})
        assert r.status_code == 200, r.text
        assert local(r.json()["new_due_at"]) == "2026-08-31 23:59"  # 30 August is a Sunday
        timeline = med.get(f"/api/v1/cases/{case.id}").json()["timeline"]
        (ext,) = [e for e in timeline if e["kind"] == "deadline_extended"]
        assert (ext["data"]["extension_kind"], ext["data"]["party_told_on"]) == ("approval", "2026-06-01")
        paused = [e for e in timeline if e["kind"] in ("case_paused", "case_resumed")]
        assert [e["data"]["pause_kind"] for e in paused] == ["appraisal", "appraisal"]
