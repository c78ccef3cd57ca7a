"""A full case over HTTP (register with the intake form, complete the next task, open the case page): each call
is one transaction within a statement budget, and the case page reads the diagram's element states from the
case row instead of loading the workflow (issue 18)."""

import pytest
from sqlalchemy import select, update

from engine.cases import service
from engine.deadlines import calendar, rules
from engine.spiff.runtime import Run
from engine.store.tables import cases
from tests.helpers.api import client_for
from tests.helpers.engine import TWO_TASK_MEDIATE, TWO_TASK_REGISTER, deploy
from tests.helpers.process_driver import intake, review
from tests.helpers.sql import StatementCounter, count_begins

pytestmark = pytest.mark.process_set

# SQL statements per request (the session read included). On PostgreSQL a step is one statement; on SQLite it
# is a few plain ones, and SQLite counts its explicit BEGIN.
POST_CASE_STATEMENTS = {"postgresql": 13, "sqlite": 18}
COMPLETE_TASK_STATEMENTS = {"postgresql": 3, "sqlite": 8}
GET_CASE_STATEMENTS = {"postgresql": 10, "sqlite": 15}  # a lawyer: full parties read, their viewing logged
TRANSACTIONS_PER_REQUEST = 1


def _measured(db, call):
    """(response, statements, transactions) of one request."""
    counter = StatementCounter(db)
    try:
        with count_begins(db) as begins:
            r = call()
    finally:
        counter.close()
    return r, counter.count, len(begins)


def _full_case(app, db):
    window, lawyer = client_for(app, "window1"), client_for(app, "lawyer1")
    window.post("/api/v1/cases", json={"data": intake()})  # warms the definition, form and rule caches
    other = {"role": "applicant", "name": "赵某", "id_type": "passport", "id_number": "E00000001",
             "phone": "13900000009"}
    started = _measured(db, lambda: window.post("/api/v1/cases", json={"data": intake(parties=[other])}))
    case = started[0].json()
    task_id = case["open_tasks"][0]["id"]
    completed = _measured(db, lambda: lawyer.post(f"/api/v1/tasks/{task_id}/complete",
                                                  json={"data": review("people_mediation")}))
    page = _measured(db, lambda: lawyer.get(f"/api/v1/cases/{case['id']}"))
    return started, completed, page


def test_each_call_of_a_full_case_is_one_transaction_within_its_statement_budget(app, db, monkeypatch):
    # the SLA rules and the holiday calendar are re-read every few seconds: held, so a slow machine counts no reload
    monkeypatch.setattr(rules, "RULE_CACHE_SECONDS", 3600.0)
    monkeypatch.setattr(calendar, "CALENDAR_CACHE_SECONDS", 3600.0)
    started, completed, page = _full_case(app, db)
    for (r, statements, begins), status, budget in ((started, 201, POST_CASE_STATEMENTS),
                                                   (completed, 200, COMPLETE_TASK_STATEMENTS),
                                                   (page, 200, GET_CASE_STATEMENTS)):
        assert r.status_code == status, r.text
        assert begins == TRANSACTIONS_PER_REQUEST, r.request.url
        assert statements <= budget[db.dialect], (r.request.method, r.request.url.path, statements)
    assert [t["element_id"] for t in page[0].json()["open_tasks"]] == ["mediation_accept"]


def test_the_case_page_draws_the_diagram_without_loading_the_workflow(app, db, monkeypatch):
    window, lawyer = client_for(app, "window1"), client_for(app, "lawyer1")
    case = window.post("/api/v1/cases", json={"data": intake()}).json()
    done = lawyer.post(f"/api/v1/tasks/{case['open_tasks'][0]['id']}/complete", json={"data": review("people_mediation")})
    assert done.status_code == 200, done.text
    derived = lawyer.get(f"/api/v1/cases/{case['id']}").json()  # stored at the step

    def no_load(*args, **kwargs):
        raise AssertionError("the case page loaded the workflow")

    monkeypatch.setattr(Run, "load", staticmethod(no_load))
    page = lawyer.get(f"/api/v1/cases/{case['id']}")
    assert page.status_code == 200, page.text
    body = page.json()
    assert body["active_elements"] == ["call_people_mediation"]
    called = {c["process_key"]: c for c in body["called_processes"]}
    assert called["people_mediation"]["active_elements"] == ["mediation_accept"]
    assert {"intake", "lawyer_review"} <= set(body["completed_elements"])
    assert (body["active_elements"], body["completed_elements"], body["called_processes"]) == (
        derived["active_elements"], derived["completed_elements"], derived["called_processes"])
    monkeypatch.undo()

    # a case stepped before the column existed (NULL): the page derives the same states from the workflow
    with db.begin() as c:
        c.execute(update(cases).where(cases.c.id == case["id"]).values(element_states=None))
    old = lawyer.get(f"/api/v1/cases/{case['id']}").json()
    assert (old["active_elements"], old["completed_elements"], old["called_processes"]) == (
        body["active_elements"], body["completed_elements"], body["called_processes"])


def test_every_step_stores_the_element_states_the_workflow_has(app, db):
    window, lawyer = client_for(app, "window1"), client_for(app, "lawyer1")
    case = window.post("/api/v1/cases", json={"data": intake()}).json()
    for step in range(2):
        with db.begin() as c:
            stored = c.execute(select(cases.c.element_states).where(cases.c.id == case["id"])).scalar_one()
            assert stored == service.element_states(c, case["id"])  # derived from the workflow itself
        if step == 0:
            r = lawyer.post(f"/api/v1/tasks/{case['open_tasks'][0]['id']}/complete",
                            json={"data": review("people_mediation")})
            assert r.status_code == 200, r.text
    assert "lawyer_review" in stored["dispute_case"]["completed"]


# The two-task case (tests/fixtures/two_task.bpmn): no parties, rules, attachments or pauses, so the case page
# reads none of them (it knows from the case row which of them the case has).
TWO_TASK_BUDGET = {"postgresql": (4, 3, 5), "sqlite": (14, 7, 6)}  # POST /cases, complete, GET /cases/{id}


def test_a_case_without_parties_deadlines_or_attachments_is_read_without_their_selects(app, db):
    deploy(db, "two_task.bpmn")
    window, mediator = client_for(app, "window1"), client_for(app, "mediator1")
    data = {**TWO_TASK_REGISTER, "channel": "service_hall", "community": "福田社区"}
    window.post("/api/v1/cases", json={"process_key": "two_task", "data": data})  # warms the caches
    started = _measured(db, lambda: window.post("/api/v1/cases", json={"process_key": "two_task", "data": data}))
    case = started[0].json()
    assert [t["element_id"] for t in case["open_tasks"]] == ["mediate"], case  # 登记 done by the window clerk
    completed = _measured(db, lambda: mediator.post(f"/api/v1/tasks/{case['open_tasks'][0]['id']}/complete",
                                                    json={"data": TWO_TASK_MEDIATE}))
    page = _measured(db, lambda: mediator.get(f"/api/v1/cases/{case['id']}"))
    counts = []
    for (r, statements, begins), status in ((started, 201), (completed, 200), (page, 200)):
        assert r.status_code == status, r.text
        assert begins == TRANSACTIONS_PER_REQUEST
        counts.append(statements)
    assert all(c <= b for c, b in zip(counts, TWO_TASK_BUDGET[db.dialect], strict=True)), counts
    body = page[0].json()
    assert body["status"] == "completed" and body["open_tasks"] == []
    assert (body["deadlines"], body["attachments"], body["pauses"], body["related_cases"]) == ([], [], [], [])
    assert [e["kind"] for e in body["timeline"]][:2] == ["case_started", "task_created"]
