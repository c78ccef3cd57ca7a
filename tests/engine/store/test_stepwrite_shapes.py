"""The step's write on PostgreSQL sends only the branches its shape needs, one statement text per shape (so
psycopg prepares it), and a step that needs them still has them."""

from sqlalchemy import event

from tests.helpers.engine import deploy
from tests.helpers.engine import two_task_case as _case


def _step_writes(db, run) -> list[str]:
    seen: list[str] = []

    def on(conn, cursor, statement, *args):
        if "WITH done AS" in statement:  # the step write (the start has its own statement)
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", on)
    try:
        run()
    finally:
        event.remove(db.engine, "before_cursor_execute", on)
    return seen


def test_two_task_steps_send_no_timer_or_cancel_branch(pg_db):
    deploy(pg_db, "two_task.bpmn")
    first = _step_writes(pg_db, lambda: _case(pg_db))
    assert len(first) == 2
    for sql in first:
        assert "done AS" in sql and "logged AS" in sql
        assert "timer_on AS" not in sql and "timer_off AS" not in sql and "cancelled AS" not in sql
    assert "created AS" in first[0] and "created AS" not in first[1]  # the last step opens no task
    second = _step_writes(pg_db, lambda: _case(pg_db))
    assert second == first  # the same texts again: few shapes, each prepared once per connection
