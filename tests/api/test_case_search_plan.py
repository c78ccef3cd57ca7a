"""案件查询 on PostgreSQL: a caseworker's overdue cases at a step are found first, once: the step's case ids (two
ranges of the open-task name and element indexes) intersected with the overdue ones (a range of the open-task due
index), all read from the indexes alone, narrowed to the communities by key; the count and the page look those
ids up by key. Never a scan of the tasks nor of the communities' cases."""

import pytest
from sqlalchemy import text

from engine import cases
from engine.core.types import User
from tests.helpers.bulk import seed_open_cases
from tests.helpers.sql import plan_of, statements_sent
from tests.helpers.tasks import setup

MEDIATOR = User(id=2, username="plan-mediator", role="mediator", communities=["福田社区", "岗厦社区"])


def _statements(db, **params) -> list[tuple[str, dict]]:
    with statements_sent(db) as seen, db.begin() as conn:
        page = cases.search_cases(conn, MEDIATOR, **params)
    assert page["total"] > 0
    return seen


@pytest.mark.postgres
@pytest.mark.parametrize("plan_mode", ["custom", "generic"])
def test_overdue_at_a_step_reads_the_open_task_indexes(pg_db, plan_mode):
    setup(pg_db)
    with pg_db.begin() as conn:
        definition_id = conn.execute(text("SELECT min(id) FROM process_definitions")).scalar_one()
    for community in ("福田社区", "岗厦社区", "莲花社区", "华富社区"):
        seed_open_cases(pg_db, 1500, definition_id, community=community, process_key="dispute_case")
    with pg_db.begin() as conn:  # a third of them at the step 调解会, a quarter of all overdue
        conn.execute(text("UPDATE tasks SET name = '调解会', element_id = 'mediation_session' WHERE case_id % 3 = 0"))
        conn.execute(text("UPDATE tasks SET due_at = now() - interval '1 day' WHERE case_id % 4 = 0"))
    with pg_db.engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE tasks, cases")
    (ids, ids_params), *rest = _statements(pg_db, overdue=True, stage="调解会")
    assert len(rest) == 2  # the bounded count, the page
    with pg_db.begin() as conn:
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        plan = plan_of(conn, ids, ids_params, plan_mode)
        for index in ("ix_tasks_open_name", "ix_tasks_open_element", "ix_tasks_open_due", "ix_cases_id_community"):
            assert f"Index Only Scan using {index} on " in plan, plan
        assert "Intersect" in plan and "Seq Scan" not in plan and "ix_cases_community" not in plan, plan
        for sql, params in rest:
            plan = plan_of(conn, sql, params, plan_mode)
            assert "Index Cond: (id = ANY (" in plan, plan
            assert "tasks" not in plan.split("SubPlan")[0] and "ix_cases_community" not in plan, plan
