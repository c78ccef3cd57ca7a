"""Step bounds (issue 14): what a script leaves behind is measured as stored, and refused above a limit."""

import pytest
from sqlalchemy import select

from engine.core.errors import StepFailed
from engine.store.tables import cases, incidents
from tests.helpers.engine import complete, open_task, start
from tests.helpers.scripts import deploy_script


def case_row(db, case_id: int):
    with db.begin() as conn:
        return conn.execute(select(cases.c.revision, cases.c.state, cases.c.data).where(cases.c.id == case_id)).one()


def incident_messages(db, case_id: int) -> list[str]:
    with db.begin() as conn:
        return list(conn.execute(select(incidents.c.message).where(incidents.c.case_id == case_id)).scalars())


@pytest.mark.parametrize("script", [
    # a large text copied into a list: small in memory, 3 MB once stored (the 54 MB row of the attack run)
    's = "x" * 100000\ncopies = [s] * 30',
    # shared structure: 30 doublings are 2**30 items once expanded
    "x = []\n" + "x = [x, x]\n" * 30,
    # nesting deeper than the serialisers follow
    "x = []\nfor i in range(5000):\n    x = [x]",
])
def test_a_script_leaving_too_much_fails_its_step_and_the_case_is_unchanged(db, script):
    deploy_script(db, script)
    case = start(db, "scripted")
    before = case_row(db, case.id)
    with pytest.raises(StepFailed) as err:
        complete(db, case.open_tasks[0].id, {})
    assert "脚本结果" in str(err.value) and ("too large" in str(err.value) or "too deeply" in str(err.value))
    assert case_row(db, case.id) == before
    assert len(incident_messages(db, case.id)) == 1
    assert open_task(db, case.id, "first").status == "ready"


def test_a_script_leaving_data_under_the_limit_runs(db):
    deploy_script(db, 's = "x" * 1000\ncopies = [s] * 30')
    case = start(db, "scripted")
    case = complete(db, case.open_tasks[0].id, {})
    assert [t.element_id for t in case.open_tasks] == ["second"]
    assert len(case_row(db, case.id).data["copies"]) == 30




def test_a_step_whose_state_passes_the_cap_fails_and_the_case_is_unchanged(db, state_cap):
    # 60 kB of data, under the script limit (1 MB), over this cap
    deploy_script(db, 'notes = ["记录" * 100] * 100')
    case = start(db, "scripted")
    before = case_row(db, case.id)
    with pytest.raises(StepFailed) as err:
        complete(db, case.open_tasks[0].id, {})
    assert "workflow state" in str(err.value) and "案件流程状态超过上限" in str(err.value)
    assert case_row(db, case.id) == before
    assert incident_messages(db, case.id) == [str(err.value)]
    assert open_task(db, case.id, "first").status == "ready"


def test_a_step_under_the_state_cap_is_saved(db, state_cap):
    deploy_script(db, 'notes = ["记录" * 100] * 10')
    case = start(db, "scripted")
    case = complete(db, case.open_tasks[0].id, {})
    assert [t.element_id for t in case.open_tasks] == ["second"]
    assert len(case_row(db, case.id).state.encode()) <= state_cap
