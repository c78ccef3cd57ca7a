"""A case's stored state is compressed with lz4 where PostgreSQL has it (migration 0023), and reads back whole."""

import pytest
from sqlalchemy import text

from engine.cases import service
from tests.helpers.engine import deploy, two_task_case


def test_a_cases_state_is_stored_with_lz4_and_reads_back(pg_db):
    with pg_db.engine.connect() as conn:
        if not conn.execute(text("SELECT 'lz4' = ANY(enumvals) FROM pg_settings "
                                 "WHERE name = 'default_toast_compression'")).scalar():
            pytest.skip("this PostgreSQL is built without lz4")
    deploy(pg_db, "two_task.bpmn")
    case = two_task_case(pg_db)
    with pg_db.begin() as conn:
        method, size, length = conn.execute(text(
            "SELECT pg_column_compression(state), pg_column_size(state), octet_length(state) FROM cases WHERE id = :i"),
            {"i": case.id}).one()
        assert method == "lz4" and size < length  # compressed, by lz4
        assert service.get_case(conn, case.id).status == "completed"
