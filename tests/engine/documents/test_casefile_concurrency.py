"""Filing on PostgreSQL under real concurrency: every file its own number, a case filed once."""

from engine import processes
from engine.core.errors import Conflict
from engine.core.types import User
from engine.documents import file_case
from engine.documents.casefile import AlreadyFiled
from tests.helpers.case_file_data import closed_case
from tests.helpers.process_driver import bundle
from tests.helpers.race import race

SUPER = User(6, "super1", "supervisor", [])




def test_concurrent_filings_take_consecutive_numbers_and_a_case_is_filed_once(pg_db):
    with pg_db.begin() as conn:
        processes.deploy(conn, bundle(), actor="test")
    ids = [closed_case(pg_db) for _ in range(4)]

    def file_one(i):
        with pg_db.begin() as conn:
            return file_case(conn, SUPER, ids[i])["serial"]

    results = race(4, file_one)
    assert sorted(r[1] for r in results) == [1, 2, 3, 4], results

    again = closed_case(pg_db)

    def file_same(_):
        with pg_db.begin() as conn:
            return file_case(conn, SUPER, again)["serial"]

    results = race(3, file_same)
    assert [r for r in results if r[0] == "ok"] == [("ok", 5)], results
    assert sorted(r for r in results if r[0] != "ok") == [("AlreadyFiled", "case_already_filed")] * 2
    assert issubclass(AlreadyFiled, Conflict)  # 409 over HTTP
