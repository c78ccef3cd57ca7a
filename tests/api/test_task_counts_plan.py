"""The header's capped counts (GET /tasks/summary) on PostgreSQL: each count is a range of one partial open-task
index in due order, stopped at the cap, whatever the number of open tasks; never a scan or a sort of the tasks."""

import re
from datetime import UTC, datetime

import pytest
from psycopg import sql as pgsql
from sqlalchemy import event, text

from engine.store import task_queries
from tests.helpers.bulk import seed_open_cases
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
    seen = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        seen.append((statement, parameters))

    event.listen(pg_db.engine, "before_cursor_execute", listener)
    try:
        with pg_db.begin() as conn:
            counts = task_queries.summary(conn, username="window1", group="intake", communities=["福田社区"],
                                          now=datetime.now(UTC))
    finally:
        event.remove(pg_db.engine, "before_cursor_execute", listener)
    assert counts["group_ready"] == task_queries.COUNT_CAP and "group_ready" in counts["capped"]
    (sql, params), = seen  # one statement for the four counts
    with pg_db.begin() as conn:
        conn.exec_driver_sql("ANALYZE tasks")
        conn.exec_driver_sql("ANALYZE cases")
        names = list(dict.fromkeys(re.findall(r"%\((\w+)\)s", sql)))
        prepared = re.sub(r"%\((\w+)\)s", lambda m: f"${names.index(m.group(1)) + 1}", sql)
        conn.exec_driver_sql("PREPARE header_counts AS " + prepared)
        conn.exec_driver_sql(f"SET LOCAL plan_cache_mode = force_{plan_mode}_plan")
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        raw = conn.connection.driver_connection
        values = ", ".join(pgsql.Literal(params[n]).as_string(raw) for n in names)
        plan = "\n".join(r[0] for r in conn.exec_driver_sql(f"EXPLAIN EXECUTE header_counts({values})"))
        conn.exec_driver_sql("DEALLOCATE header_counts")
    assert "ix_tasks_open_group" in plan and "ix_tasks_open_assignee" in plan, plan
    assert plan.count("->  Limit") == 2, plan
    assert "Seq Scan on tasks" not in plan and "Sort" not in plan, plan
