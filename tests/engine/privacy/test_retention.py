"""Retention: closed cases past their period (per kind of case) are anonymised, with a report of what went."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from engine import privacy
from engine.cases import register_case, service
from engine.core import clock
from engine.core.errors import InvalidData
from engine.core.settings import get_settings
from engine.core.types import User
from engine.store.tables import case_parties, case_retention, cases, events
from tests.helpers.engine import TWO_TASK_MEDIATE, TWO_TASK_REGISTER, deploy
from tests.helpers.process_driver import APPLICANT, RESPONDENT, intake

WINDOW = User(1, "window1", "intake", ["福田社区"])
pytestmark = pytest.mark.usefixtures("process_bundle")


def closed_case(db, years_ago: float, request_kind: str = "mediation", name: str = "张某") -> int:
    party = {**APPLICANT, "name": name}
    with db.begin() as conn:
        case = register_case(conn, "dispute_case", intake(request_kind=request_kind, parties=[party, RESPONDENT],
                                                          summary=f"{name}与李某纠纷"), user=WINDOW).case
        service.cancel_case(conn, case.id, "tester", "当事人撤回")
        conn.execute(update(cases).where(cases.c.id == case.id)
                     .values(completed_at=clock.now() - timedelta(days=365.25 * years_ago)))
    return case.id


def snapshot(db, case_id: int) -> tuple:
    with db.begin() as conn:
        row = conn.execute(select(cases.c.data, cases.c.state, cases.c.summary).where(cases.c.id == case_id)).one()
        evs = [r.data for r in conn.execute(select(events.c.data).where(events.c.case_id == case_id))]
        parties = conn.execute(select(case_parties.c.name).where(case_parties.c.case_id == case_id)).all()
    return row.data, row.state, row.summary, evs, parties




def test_dry_run_reports_and_changes_nothing_then_the_run_anonymises(db, periods):
    old = closed_case(db, 6, name="王某")
    petition = closed_case(db, 5.5, "petition", name="赵某")
    young = closed_case(db, 1, name="钱某")
    with db.begin() as conn:
        active = register_case(conn, "dispute_case", intake(parties=[{**APPLICANT, "name": "孙某"}, RESPONDENT]),
                               user=WINDOW).case.id
    before = {i: snapshot(db, i) for i in (old, petition, young, active)}
    with db.begin() as conn:
        dry = privacy.retention.run(conn, dry_run=True)
    assert {i: snapshot(db, i) for i in before} == before
    assert [(c["case_id"], c["kind"], c["years"]) for c in dry["cases"]] == [(old, "mediation", 4),
                                                                             (petition, "petition", 5)]
    assert dry["totals"]["cases"] == 2 and dry["periods"] == {"default": 10, "petition": 5, "mediation": 4}
    assert {"parties.*.name", "parties.*.id_number", "parties.*.phone", "summary"} <= set(dry["cases"][0]["fields"])
    with db.begin() as conn:
        done = privacy.retention.run(conn)
    assert [c["case_id"] for c in done["cases"]] == [old, petition]
    assert done["totals"]["party_rows"] == 4 and done["cases"][0]["party_rows"] == 2
    assert done["totals"]["events"] >= 2  # the task_completed events held the parties
    for case_id, name in ((old, "王某"), (petition, "赵某")):
        data, state, summary, evs, parties = snapshot(db, case_id)
        text = f"{data} {state} {summary} {evs}"
        for gone in (name, "440304********1234", "138****0001", "李某"):
            assert gone not in text
        assert parties == [] and summary is None
        assert data["parties"][0]["role"] == "applicant" and data["dispute_type"] == "neighbourhood"
    with db.begin() as conn:
        kept = conn.execute(select(cases.c.status, cases.c.case_number).where(cases.c.id == old)).one()
        recorded = conn.execute(select(case_retention.c.case_id, case_retention.c.kind)
                                .order_by(case_retention.c.case_id)).all()
    assert kept.status == "cancelled" and kept.case_number  # kept for statistics
    assert [tuple(r) for r in recorded] == [(old, "mediation"), (petition, "petition")]
    assert snapshot(db, young) == before[young] and snapshot(db, active) == before[active]
    with db.begin() as conn:
        assert privacy.retention.run(conn)["totals"]["cases"] == 0  # nothing twice


@pytest.mark.parametrize("setting", ["petition=0", "petition", "=5", "petition=five"])
def test_a_bad_retention_setting_is_refused(db, monkeypatch, setting):
    monkeypatch.setenv("TIAOJIE_RETENTION_YEARS", setting)
    get_settings.cache_clear()
    with pytest.raises(InvalidData, match="TIAOJIE_RETENTION_YEARS"), db.begin() as conn:
        privacy.retention.run(conn, dry_run=True)


def test_personal_fields_a_later_form_brought_in_are_anonymised_in_the_stored_workflow_too(db, periods):
    """A form after the intake (a model edited to ask a summary at 登记) keeps its values in the workflow state as
    the task's change from its parent (``delta``), not as a ``data`` block: anonymised there as well."""
    deploy(db, "two_task.bpmn")
    with db.begin() as conn:
        case = service.start_case(conn, "two_task", {}, actor="t")
        case = service.complete_task(conn, case.open_tasks[0].id,
                                     {**TWO_TASK_REGISTER, "summary": "王某与李某的邻里纠纷"}, actor="t")
        case = service.complete_task(conn, case.open_tasks[0].id, dict(TWO_TASK_MEDIATE), actor="t")
        conn.execute(update(cases).where(cases.c.id == case.id)
                     .values(completed_at=clock.now() - timedelta(days=365.25 * 11)))
    assert "王某" in snapshot(db, case.id)[1]  # the state held it before
    with db.begin() as conn:
        done = privacy.retention.run(conn)
    assert [c["case_id"] for c in done["cases"]] == [case.id]
    data, state, summary, evs, _ = snapshot(db, case.id)
    assert "王某" not in f"{data} {state} {summary} {evs}"
    assert "邻里纠纷" not in state and "调解成功" in state  # the summary gone, the outcome (not personal) kept
