"""The engine service on both backends: versions, steps, forms, timers, incidents."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from engine import processes
from engine.cases import service
from engine.core.errors import Conflict, DefinitionRejected, InvalidData, NotFound, StepFailed
from engine.store.tables import cases, definitions, events, incidents, tasks
from engine.tasks import claim_task
from tests.helpers.engine import bundle, complete, deploy, open_task, start
from tests.helpers.engine import events as case_events

REGISTER = {"amount": 500, "channel": "window", "summary": "邻里噪音纠纷"}


def count(db, table) -> int:
    with db.begin() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_deploy_versions_by_content_hash(db):
    (v1,) = deploy(db, "review_v1.bpmn")
    assert (v1.key, v1.version, v1.is_new) == ("review", 1, True)
    (again,) = deploy(db, "review_v1.bpmn")
    assert (again.version, again.is_new, again.id) == (1, False, v1.id)
    (v2,) = deploy(db, "review_v2.bpmn")
    assert (v2.version, v2.is_new) == (2, True)
    assert count(db, definitions) == 2


def test_running_case_stays_on_its_version(db):
    deploy(db, "review_v1.bpmn")
    case = start(db)
    deploy(db, "review_v2.bpmn")
    complete(db, open_task(db, case.id, "register").id, REGISTER)
    after = complete(db, open_task(db, case.id, "examine").id, {})
    assert after.definition_version == 1
    assert after.status == "completed"  # v1 has no "notify" step
    new_case = start(db)
    assert new_case.definition_version == 2


def test_case_runs_to_end_with_business_fields_and_events(db):
    deploy(db, "review_v1.bpmn")
    case = start(db, actor="alice")
    year = datetime.now(UTC).year
    assert case.case_number == f"福田调〔{year}〕0001号"
    assert [t.element_id for t in case.open_tasks] == ["register"]
    assert case.open_tasks[0].group == "intake"
    case = complete(db, case.open_tasks[0].id, REGISTER, actor="alice")
    assert (case.channel, case.amount, case.summary) == ("window", 500.0, "邻里噪音纠纷")
    review = open_task(db, case.id, "examine")
    assert review.group == "mediator"
    assert review.due_at is not None and timedelta(days=29) < review.due_at - datetime.now(UTC) <= timedelta(days=30)
    case = complete(db, review.id, {"opinion": "同意"}, actor="bob")
    assert (case.status, case.outcome) == ("completed", "small")
    assert case.completed_at is not None and case.open_tasks == []
    kinds = [(e.kind, e.actor) for e in case_events(db, case.id)]
    assert kinds == [
        ("case_started", "alice"), ("task_created", "alice"), ("task_completed", "alice"),
        ("task_created", "alice"), ("task_completed", "bob"), ("case_completed", "bob"),
    ]


def test_gateway_takes_the_conditional_branch(db):
    deploy(db, "review_v1.bpmn")
    case = start(db)
    complete(db, case.open_tasks[0].id, {**REGISTER, "amount": 20000})
    case = complete(db, open_task(db, case.id, "examine").id, {})
    assert case.outcome == "big"


def test_case_numbers_are_sequential(db):
    deploy(db, "review_v1.bpmn")
    numbers = [start(db).case_number for _ in range(3)]
    assert [n[-5:] for n in numbers] == ["0001号", "0002号", "0003号"]


@pytest.mark.parametrize(
    "data, field, fragment",
    [
        ({"amount": -1, "channel": "window"}, "amount", "minimum"),
        ({"amount": "五百", "channel": "window"}, "amount", "is not of type 'number'"),
        ({"channel": "window"}, "amount", "required"),
        ({"amount": 1, "channel": "fax"}, "channel", "is not one of"),
        ({"amount": 1, "channel": "window", "received_on": "2026-13-45"}, "received_on", "date"),
        ({"amount": 1, "channel": "window", "outcome": "mediated"}, "outcome", "unknown field"),
    ],
)
def test_invalid_form_data_is_refused_per_field_and_nothing_written(db, data, field, fragment):
    deploy(db, "review_v1.bpmn")
    case = start(db)
    before = count(db, events)
    with pytest.raises(InvalidData) as err:
        complete(db, case.open_tasks[0].id, data)
    assert fragment in err.value.errors[field]
    assert count(db, events) == before
    assert open_task(db, case.id, "register").status == "ready"


def test_completing_twice_or_someone_elses_task_conflicts(db):
    deploy(db, "review_v1.bpmn")
    case = start(db)
    task = case.open_tasks[0]
    with db.begin() as conn:
        claim_task(conn, None, task.id, actor="alice")
    with pytest.raises(Conflict, match="claimed by alice"):
        complete(db, task.id, REGISTER, actor="bob")
    complete(db, task.id, REGISTER, actor="alice")
    with pytest.raises(Conflict, match="already completed"):
        complete(db, task.id, REGISTER, actor="alice")
    with pytest.raises(NotFound):
        complete(db, "00000000-0000-0000-0000-000000000000", REGISTER)


def test_list_tasks_by_group(db):
    deploy(db, "review_v1.bpmn")
    task = start(db).open_tasks[0]
    with db.begin() as conn:
        assert [t.id for t in service.list_tasks(conn, group="intake")] == [task.id]
        assert service.list_tasks(conn, group="mediator") == []


def test_boundary_timer_fires_after_the_deadline(db):
    deploy(db, "review_v1.bpmn")
    case = start(db)
    case = complete(db, case.open_tasks[0].id, REGISTER)
    review = open_task(db, case.id, "examine")
    assert case.next_timer_at == review.due_at
    with db.begin() as conn:
        case = service.fire_due_timers(conn, case.id)  # not due yet: nothing changes
    assert [t.element_id for t in case.open_tasks] == ["examine"]
    with time_machine.travel(datetime.now(UTC) + timedelta(days=31), tick=False):
        with db.begin() as conn:
            case = service.fire_due_timers(conn, case.id)
    assert [t.element_id for t in case.open_tasks] == ["overdue"]
    assert open_task(db, case.id, "overdue").group == "supervisor"
    with db.begin() as conn:
        status = conn.execute(select(tasks.c.status).where(tasks.c.id == review.id)).scalar_one()
    assert status == "cancelled"
    assert "timer_fired" in [e.kind for e in case_events(db, case.id)]
    with pytest.raises(Conflict):
        complete(db, review.id, {})


def test_failing_script_records_an_incident_and_changes_nothing_else(db):
    files = {"failing.bpmn": bundle("failing.bpmn")["failing.bpmn"]}
    with db.begin() as conn:
        processes.deploy(conn, files)
    case = start(db, "failing", {"amount": 10, "divisor": 0})
    task = case.open_tasks[0]
    with db.begin() as conn:
        revision = conn.execute(select(cases.c.revision).where(cases.c.id == case.id)).scalar_one()
    with pytest.raises(StepFailed, match="boom") as err:
        complete(db, task.id, {})
    assert "division by zero" in str(err.value)
    with db.begin() as conn:
        rows = conn.execute(select(incidents.c.element_id, incidents.c.message)).all()
        assert conn.execute(select(cases.c.revision).where(cases.c.id == case.id)).scalar_one() == revision
    assert [r.element_id for r in rows] == ["boom"]
    assert open_task(db, case.id, "first").status == "ready"
    assert [e.kind for e in case_events(db, case.id)][-1] == "incident"


def test_rejected_deploy_stores_nothing(db):
    files = bundle("review_v1.bpmn")
    files["broken.bpmn"] = b"<bpmn:definitions xmlns:bpmn='http://www.omg.org/spec/BPMN/20100524/MODEL'><oops"
    with pytest.raises(DefinitionRejected) as err, db.begin() as conn:
        processes.deploy(conn, files)
    assert err.value.problems[0].file == "broken.bpmn"
    assert count(db, definitions) == 0


def test_unknown_process_and_case(db):
    with db.begin() as conn, pytest.raises(NotFound, match="not deployed"):
        service.start_case(conn, "nope", {})
    with db.begin() as conn, pytest.raises(NotFound):
        service.get_case(conn, 4242)


def test_endless_script_fails_its_step_not_the_service(db):
    """Also shows the sandbox is re-attached on load: plain exec would never return."""
    with db.begin() as conn:
        processes.deploy(conn, {"hostile_loop.bpmn": bundle("hostile_loop.bpmn")["hostile_loop.bpmn"]})
    case = start(db, "hostile", {})
    with pytest.raises(StepFailed, match="boom") as err:
        complete(db, case.open_tasks[0].id, {})
    assert "limit" in str(err.value).lower()
    with db.begin() as conn:
        assert conn.execute(select(func.count()).select_from(incidents)).scalar_one() == 1
    assert open_task(db, case.id, "first").status == "ready"  # the case is where it was


@pytest.mark.parametrize("script, reason", [
    ("import os", "import"),
    ("x = ().__class__.__bases__", "_"),
    ("open('/etc/passwd')", "open"),
])
def test_hostile_scripts_are_refused_at_deploy(db, script, reason):
    xml = bundle("failing.bpmn")["failing.bpmn"].decode().replace("ratio = amount / divisor", script)
    with pytest.raises(DefinitionRejected) as err, db.begin() as conn:
        processes.deploy(conn, {"failing.bpmn": xml.encode()})
    assert err.value.problems[0].element == "boom"
    assert reason in str(err.value)
    assert count(db, definitions) == 0


def test_cancel_case_cancels_its_tasks_and_needs_a_reason(db):
    deploy(db, "review_v1.bpmn")
    case = start(db)
    with db.begin() as conn, pytest.raises(InvalidData):
        service.cancel_case(conn, case.id, "super1", " ")
    with db.begin() as conn:
        cancelled = service.cancel_case(conn, case.id, "super1", "当事人撤回申请")
    assert (cancelled.status, cancelled.open_tasks) == ("cancelled", [])
    with db.begin() as conn:
        assert conn.execute(select(tasks.c.status)).scalars().all() == ["cancelled"]
    assert [e.kind for e in case_events(db, case.id)][-2:] == ["case_cancelled", "task_cancelled"]
    with pytest.raises(Conflict, match="already cancelled"):
        complete(db, case.open_tasks[0].id, REGISTER)


def test_parties_are_kept_as_hashes_and_masked_forms(db):
    from engine.store.tables import case_parties

    deploy(db, "review_v1.bpmn")
    parties = [{"role": "applicant", "name": "张某", "id_number": "440304199001031234", "phone": "13800138000"}]
    case = start(db, data={"parties": parties})
    with db.begin() as conn:
        rows = conn.execute(select(case_parties)).all()
    assert [(r.name, r.id_masked, r.phone_masked) for r in rows] == [("张某", "440304********1234", "138****8000")]
    assert "440304199001031234" not in str(rows[0]) and len(rows[0].id_hash) == 64
    assert rows[0].case_id == case.id


@pytest.mark.parametrize("value, kind", [
    (float("nan"), "not_finite"), (float("inf"), "not_finite"), (1e15, "too_large"),
    ("abc\x00def", "nul"), ("x" * 100_001, "string_too_long"),
])
def test_values_no_database_or_mail_should_meet_are_refused(db, value, kind):
    deploy(db, "review_v1.bpmn")
    case = start(db)
    field = "summary" if isinstance(value, str) else "amount"
    data = {"amount": 1, "channel": "window", field: value}
    with pytest.raises(InvalidData) as err:
        complete(db, case.open_tasks[0].id, data)
    assert err.value.kinds[field] == kind
    assert open_task(db, case.id, "register").status == "ready"


def test_deeply_nested_form_data_is_refused(db):
    deploy(db, "review_v1.bpmn")
    case = start(db)
    nested: dict = {}
    for _ in range(30):
        nested = {"x": nested}
    with pytest.raises(InvalidData) as err:
        complete(db, case.open_tasks[0].id, {"amount": 1, "channel": "window", "summary": nested})
    assert "too_deep" in err.value.kinds.values()
