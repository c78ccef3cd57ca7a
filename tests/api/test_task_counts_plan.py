"""The header's capped counts (GET /tasks/summary) on PostgreSQL: each count is a range of one partial open-task
index in due order, stopped at the cap, whatever the number of open tasks; never a scan or a sort of the tasks."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from engine.store import task_queries
from tests.helpers.bulk import seed_open_cases
from tests.helpers.sql import plan_of, statements_sent
from tests.helpers.tasks import setup


@pytest.mark.postgres
@pytest.mark.parametrize("plan_mode", ["custom", "generic"])
def test_header_counts_read_the_first_rows_of_the_queue_indexes(pg_db, plan_mode):
    setup(pg_db)
    with pg_db.begin() as conn:
        definition_id = conn.execute(text("SELECT min(id) FROM process_definitions")).scalar_one()
    seed_open_cases(pg_db, 3000, definition_id, community="福田社区", process_key="dispute_case",
                    groups=["intake", "mediator"])
    seed_open_cases(pg_db, 3000, definition_id, community="其他社区", process_key="dispute_case", groups=["intake"])
    with statements_sent(pg_db) as seen, pg_db.begin() as conn:
        counts = task_queries.summary(conn, username="window1", group="intake", communities=["福田社区"],
                                      now=datetime.now(UTC))
    assert counts["group_ready"] == task_queries.COUNT_CAP and "group_ready" in counts["capped"]
    (sql, params), = seen  # one statement for the four counts
    with pg_db.begin() as conn:
        conn.exec_driver_sql("ANALYZE tasks")
        conn.exec_driver_sql("ANALYZE cases")
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        plan = plan_of(conn, sql, params, plan_mode)
    assert "ix_tasks_open_group" in plan and "ix_tasks_open_assignee" in plan, plan
    assert plan.count("->  Limit") == 2, plan
    assert "Seq Scan on tasks" not in plan and "Sort" not in plan, plan
