"""The screening task's form answer (诉访分离: the suggestion, its rule, the facts, where each route leads) and
the case page's called processes at the version the case runs (both backends)."""

from sqlalchemy import select, update

from engine import processes
from engine.store.tables import cases
from tests.helpers.api import client_for
from tests.helpers.process_driver import APPLICANT, bundle, intake
from tests.helpers.ui import lawyer_case, new_case, session_case, setup_app

API = "/api/v1"


def test_the_lawyer_form_carries_the_suggestion_its_rule_the_facts_and_the_outcomes(db):
    app = setup_app(db)
    _, task_id = lawyer_case(db)  # a yellow neighbourhood dispute of two people: 人民调解 by rule 10
    lawyer = client_for(app, "lawyer1")
    r = lawyer.get(f"{API}/tasks/{task_id}/form")
    assert r.status_code == 200, r.text
    body = r.json()
    s = body["screening"]
    assert s["field"] == "final_route" and s["output"] == "route" and s["suggested"] == "people_mediation"
    assert s["outputs"]["route_reason"] == "民间纠纷,人民调解"
    assert body["data"]["final_route"] == "people_mediation"  # preselected
    rule = s["rule"]
    assert (rule["id"], rule["row"], rule["annotation"]) == ("rule_10", 10, "其他民间纠纷")
    assert [(i["expression"], i["value"], i["entry"]) for i in rule["inputs"]] == [
        ("request_kind", "mediation", None), ("dispute_type", "neighbourhood", None),
        ("arbitration_clause", False, None), ("source", "party_application", None)]
    facts = s["facts"]
    assert facts["dispute_type"] == "neighbourhood" and facts["people_count"] == 2 and facts["amount"] == 3000
    assert facts["risk_level"] == "yellow" and facts["summary"] == intake()["summary"]
    assert facts["received_on"] == "2025-03-03"
    applicant = s["parties"][0]
    assert applicant["name"] == APPLICANT["name"] and applicant["role"] == "applicant"
    assert applicant["id_number"] != APPLICANT["id_number"] and applicant["id_number"].endswith("1234")
    assert applicant["phone"] != APPLICANT["phone"]
    assert APPLICANT["id_number"] not in r.text and APPLICANT["phone"] not in r.text
    assert list(s["outcomes"]) == body["schema"]["properties"]["final_route"]["enum"]
    letter = s["outcomes"]["commercial_arbitration"]
    assert [(t["kind"], t["element_id"], t["group"]) for t in letter["targets"]] == [
        ("task", "issue_guidance_letter", "lawyer")]
    mediation = s["outcomes"]["people_mediation"]["targets"]
    assert [(t["kind"], t["process_key"], [x["element_id"] for x in t["tasks"]]) for t in mediation] == [
        ("call", "people_mediation", ["mediation_accept"])]


def test_a_case_screened_before_rules_were_recorded_shows_the_suggestion_without_a_rule(db):
    app = setup_app(db)
    case_id, task_id = lawyer_case(db)
    with db.begin() as conn:
        data = conn.execute(select(cases.c.data).where(cases.c.id == case_id)).scalar_one()
        data = {k: v for k, v in data.items() if k != "decision_trace"}
        conn.execute(update(cases).where(cases.c.id == case_id).values(data=data))
    s = client_for(app, "lawyer1").get(f"{API}/tasks/{task_id}/form").json()["screening"]
    assert s["suggested"] == "people_mediation" and s["rule"] is None
    assert s["outputs"] == {"route": "people_mediation", "route_reason": "民间纠纷,人民调解"}
    assert [t["element_id"] for t in s["outcomes"]["litigation"]["targets"]] == ["issue_guidance_letter"]


def test_a_task_that_does_not_screen_has_no_screening_context(db):
    app = setup_app(db)
    _, intake_task = new_case(db)
    r = client_for(app, "window1").get(f"{API}/tasks/{intake_task}/form")
    assert r.status_code == 200 and r.json()["screening"] is None


def test_the_screening_context_is_scoped_like_the_form(db):
    app = setup_app(db)
    _, task_id = lawyer_case(db, "岗厦社区")
    assert client_for(app, "mediator1").get(f"{API}/tasks/{task_id}/form").status_code == 404


def test_the_case_page_draws_a_called_process_at_the_version_the_case_runs(db):
    app = setup_app(db)
    case_id, _ = session_case(db)  # in 人民调解 (people_mediation v1)
    changed = bundle()["people_mediation.bpmn"].replace("受理调解并告知权利义务".encode(), "受理调解(新版)".encode())
    with db.begin() as conn:
        new = processes.deploy(conn, {**bundle(), "people_mediation.bpmn": changed}, actor="test")
    assert {(d.key, d.version) for d in new if d.is_new} >= {("people_mediation", 2), ("dispute_case", 2)}
    mediator = client_for(app, "mediator1")
    latest = {p["key"]: p["version"] for p in mediator.get(f"{API}/processes").json()}
    assert latest["people_mediation"] == 2
    page = mediator.get(f"{API}/cases/{case_id}").json()
    assert page["process_version"] == 1
    called = {p["process_key"]: p for p in page["called_processes"]}
    assert called["people_mediation"]["version"] == 1
    assert called["people_mediation"]["xml_url"] == f"{API}/processes/people_mediation/versions/1/xml"
    xml = mediator.get(called["people_mediation"]["xml_url"]).text
    assert "受理调解并告知权利义务" in xml and "受理调解(新版)" not in xml
    assert called["mediation_term"]["version"] is None  # an embedded sub-process, drawn within 人民调解
    # a case started now runs the new version, and its page says so
    new_id, _ = session_case(db)
    called = {p["process_key"]: p for p in mediator.get(f"{API}/cases/{new_id}").json()["called_processes"]}
    assert called["people_mediation"]["version"] == 2
    assert "受理调解(新版)" in mediator.get(called["people_mediation"]["xml_url"]).text
