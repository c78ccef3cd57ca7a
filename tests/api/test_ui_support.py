"""Web-UI support: the header's task counts and task drafts (both backends)."""

from datetime import UTC, datetime, timedelta

from jsonschema import Draft202012Validator
from sqlalchemy import func, select

from engine.store.tables import task_drafts
from tests.helpers.api import client_for
from tests.helpers.process_driver import APPLICANT, intake, review
from tests.helpers.ui import lawyer_case, new_case, session_case, set_due, setup_app

API = "/api/v1"


# ----------------------------------------------------------------------------- summary
def test_summary_counts_claimed_and_group_tasks(db):
    app = setup_app(db)
    mine_late, ready_late, ready_ok = new_case(db)[1], new_case(db)[1], new_case(db)[1]
    other = new_case(db, "岗厦社区")[1]
    past, future = datetime.now(UTC) - timedelta(hours=2), datetime.now(UTC) + timedelta(days=3)
    set_due(db, (mine_late, past), (ready_late, past), (ready_ok, future), (other, past))
    window1 = client_for(app, "window1")
    assert window1.post(f"{API}/tasks/{mine_late}/claim").status_code == 200
    r = window1.get(f"{API}/tasks/summary")
    assert r.status_code == 200, r.text
    assert r.json() == {"claimed": 1, "claimed_overdue": 1, "group_ready": 2, "group_overdue": 1,
                        "capped": []}
    # the other community's window sees only its own case; a mediator has nothing yet
    assert client_for(app, "window2").get(f"{API}/tasks/summary").json() == {
        "claimed": 0, "claimed_overdue": 0, "group_ready": 1, "group_overdue": 1, "capped": []}
    assert client_for(app, "mediator1").get(f"{API}/tasks/summary").json() == {
        "claimed": 0, "claimed_overdue": 0, "group_ready": 0, "group_overdue": 0, "capped": []}


def test_summary_needs_login(db):
    app = setup_app(db)
    r = client_for(app).get(f"{API}/tasks/summary")
    assert r.status_code == 401
    assert r.json()["error"] == "auth_failed"


# ----------------------------------------------------------------------------- drafts
def _draft_rows(db) -> int:
    with db.begin() as conn:
        return conn.execute(select(func.count()).select_from(task_drafts)).scalar_one()


def test_draft_saved_returned_and_deleted_on_completion(db):
    app = setup_app(db)
    _, task_id = lawyer_case(db)
    lawyer = client_for(app, "lawyer1")
    assert lawyer.post(f"{API}/tasks/{task_id}/claim").status_code == 200
    assert lawyer.get(f"{API}/tasks/{task_id}/form").json()["draft"] is None
    partial = {"legal_opinion": "初步意见：属邻里纠纷", "route_decision": "confirm", "nested": {"a": [1, 2.5, None]}}
    r = lawyer.put(f"{API}/tasks/{task_id}/draft", json={"data": partial})
    assert r.status_code == 200, r.text
    assert r.json()["data"] == partial and r.json()["updated_by"] == "lawyer1"
    assert lawyer.get(f"{API}/tasks/{task_id}/form").json()["draft"] == partial
    changed = {"legal_opinion": "改为：建议人民调解"}
    assert lawyer.put(f"{API}/tasks/{task_id}/draft", json={"data": changed}).status_code == 200
    assert lawyer.get(f"{API}/tasks/{task_id}/form").json()["draft"] == changed
    assert _draft_rows(db) == 1
    r = lawyer.post(f"{API}/tasks/{task_id}/complete", json={"data": review("people_mediation")})
    assert r.status_code == 200, r.text
    assert _draft_rows(db) == 0


def test_draft_permissions(db):
    app = setup_app(db)
    _, task_id = lawyer_case(db)
    body = {"data": {"legal_opinion": "x"}}
    assert client_for(app).put(f"{API}/tasks/{task_id}/draft", json=body).status_code == 401
    lawyer = client_for(app, "lawyer1")
    r = lawyer.put(f"{API}/tasks/{task_id}/draft", json=body)  # unclaimed: claim first
    assert r.status_code == 409 and "claim" in r.json()["detail"]
    assert client_for(app, "mediator1").put(f"{API}/tasks/{task_id}/draft", json=body).status_code == 403
    assert client_for(app, "window2").put(f"{API}/tasks/{task_id}/draft", json=body).status_code == 404
    _, far = lawyer_case(db, "岗厦社区")
    assert client_for(app, "mediator1").put(f"{API}/tasks/{far}/draft", json=body).status_code == 404
    assert lawyer.post(f"{API}/tasks/{task_id}/claim").status_code == 200
    assert lawyer.put(f"{API}/tasks/{task_id}/draft", json=body).status_code == 200
    assert _draft_rows(db) == 1


def test_draft_bad_input(db):
    app = setup_app(db)
    _, task_id = lawyer_case(db)
    lawyer = client_for(app, "lawyer1")
    assert lawyer.post(f"{API}/tasks/{task_id}/claim").status_code == 200
    url = f"{API}/tasks/{task_id}/draft"
    assert lawyer.put(url, json={"data": [1, 2]}).status_code == 422
    assert lawyer.put(url, json={"data": {}, "extra": 1}).status_code == 422
    assert lawyer.put(url, json={"data": {"t": "a\x00b"}}).status_code == 422
    assert lawyer.put(url, content=b'{"data": {"n": NaN}}', headers={"Content-Type": "application/json"}
                      ).status_code == 422
    r = lawyer.put(url, json={"data": {"t": "长" * 90_000}})  # about 270 kB of UTF-8
    assert r.status_code == 422 and r.json()["fields"] == {"data": "数值过大"}
    assert _draft_rows(db) == 0


# ----------------------------------------------------------------------------- case page
def test_case_page_diagram_states_clocks_and_pause(db):
    app = setup_app(db)
    case_id, task_id = session_case(db)
    mediator = client_for(app, "mediator1")
    page = mediator.get(f"{API}/cases/{case_id}").json()
    assert page["diagram"] == {"process_key": "dispute_case", "version": 1,
                               "xml_url": "/api/v1/processes/dispute_case/versions/1/xml"}
    assert page["active_elements"] == ["call_people_mediation"]
    assert {"start_dispute_case", "intake", "lawyer_review", "screening"} <= set(page["completed_elements"])
    assert "mediation_accept" not in page["completed_elements"]  # an element of the called process
    called = {p["process_key"]: p for p in page["called_processes"]}
    assert "mediation_session" in called["mediation_term"]["active_elements"]
    assert "mediation_term_timer" in called["people_mediation"]["active_elements"]  # the waiting 30-day term
    assert "mediation_accept" in called["people_mediation"]["completed_elements"]
    assert page["paused"] is False and page["attachments"] == []
    timer = [c for c in page["clocks"] if c["kind"] == "timer"]
    assert len(timer) == 1 and timer[0]["paused"] is False and timer[0]["paused_seconds"] == 0
    # the diagram's XML is readable by every role that sees the case page
    xml = mediator.get(page["diagram"]["xml_url"])
    assert xml.status_code == 200 and b'id="call_people_mediation"' in xml.content

    assert mediator.post(f"{API}/deadlines/cases/{case_id}/pause", json={"reason": "等待当事人补充材料"}).status_code == 200
    page = mediator.get(f"{API}/cases/{case_id}").json()
    assert page["paused"] is True and page["paused_since"] is not None
    timer = [c for c in page["clocks"] if c["kind"] == "timer"][0]
    assert timer["paused"] is True and timer["status"] == "paused"
    assert timer["paused_since"] == page["paused_since"] and timer["paused_seconds"] >= 0
    assert client_for(app, "window2").get(f"{API}/cases/{case_id}").status_code == 404


# ----------------------------------------------------------------------------- intake form
def test_start_form_is_what_post_cases_validates(db):
    app = setup_app(db)
    window = client_for(app, "window1")
    r = window.get(f"{API}/processes/dispute_case/start-form")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["process_key"] == "dispute_case" and body["version"] == 1
    assert body["task"] == {"element_id": "intake", "name": "受理登记", "group": "intake"}
    assert body["form_key"] == "intake.json" and body["completes_first_task"] is True
    assert body["communities"] == ["福田社区"]
    schema = body["schema"]
    assert schema["title"] == "受理登记"
    channel = schema["properties"]["channel"]
    assert len(channel["enum"]) == 8 and len(channel["x-enumNames"]) == 8
    assert {"综合服务大厅窗口", "法治信箱", "网格员排查", "访前法律工作室"} <= set(channel["x-enumNames"])
    party = schema["properties"]["parties"]["items"]
    assert party["properties"]["id_number"]["title"] == "证件号码" and "name" in party["required"]
    # data valid by the schema is accepted by POST /cases; data it refuses is refused there too
    data = intake()
    assert list(Draft202012Validator(schema).iter_errors(data)) == []
    created = window.post(f"{API}/cases", json={"process_key": "dispute_case", "data": data})
    assert created.status_code == 201, created.text
    bad = intake(channel="carrier_pigeon", parties=[APPLICANT], dispute_type="consumer")
    assert list(Draft202012Validator(schema).iter_errors(bad))
    refused = window.post(f"{API}/cases", json={"process_key": "dispute_case", "data": bad})
    assert refused.status_code == 422 and "channel" in refused.json()["fields"]
    sup = client_for(app, "super1").get(f"{API}/processes/dispute_case/start-form").json()
    assert sup["completes_first_task"] is False and sup["communities"] is None and sup["schema"] == schema


def test_start_form_access_and_errors(db):
    app = setup_app(db)
    url = f"{API}/processes/dispute_case/start-form"
    assert client_for(app).get(url).status_code == 401
    assert client_for(app, "mediator1").get(url).status_code == 403
    assert client_for(app, "leader1").get(url).status_code == 403
    assert client_for(app, "window1").get(f"{API}/processes/no_such/start-form").status_code == 404
    assert client_for(app, "window1").get(f"{API}/processes/{'x' * 101}/start-form").status_code == 422
