"""Real concurrency on PostgreSQL: racing completions and case starts."""

from sqlalchemy import func, select

from engine import processes
from engine.cases import service
from engine.core.errors import Conflict
from engine.store.tables import events
from tests.helpers.engine import deploy, start
from tests.helpers.race import race

REGISTER = {"amount": 500, "channel": "window"}




def test_exactly_one_of_many_concurrent_completions_wins(pg_db):
    deploy(pg_db, "review_v1.bpmn")
    case = start(pg_db)
    task_id = case.open_tasks[0].id

    def complete(i):
        with pg_db.begin() as conn:
            return service.complete_task(conn, task_id, {**REGISTER, "amount": i}, actor=f"user{i}").id

    results = race(8, complete)
    winners = [r for r in results if r[0] == "ok"]
    losers = [r for r in results if r[0] != "ok"]
    assert len(winners) == 1
    assert len(losers) == 7 and all(r[0] == Conflict.__name__ for r in losers), losers
    with pg_db.begin() as conn:
        completions = conn.execute(
            select(func.count()).select_from(events).where(events.c.kind == "task_completed")
        ).scalar_one()
        case_now = service.get_case(conn, case.id)
    assert completions == 1
    assert [t.element_id for t in case_now.open_tasks] == ["examine"]  # advanced once, not twice


def test_concurrent_starts_get_distinct_sequential_numbers(pg_db):
    deploy(pg_db, "review_v1.bpmn")

    def start_one(i):
        with pg_db.begin() as conn:
            return service.start_case(conn, "review", {}, actor=f"u{i}").case_number

    results = race(10, start_one)
    assert all(r[0] == "ok" for r in results), results
    numbers = sorted(r[1] for r in results)
    assert [n[-5:-1] for n in numbers] == [f"{i:04d}" for i in range(1, 11)]


def test_concurrent_deploys_of_same_content_make_one_version(pg_db):
    from tests.helpers.engine import bundle

    files = bundle("review_v2.bpmn")

    def dep(i):
        with pg_db.begin() as conn:
            return processes.deploy(conn, files)[0].version

    results = race(4, dep)
    assert [r for r in results if r[0] != "ok"] == []
    assert {r[1] for r in results} == {1}
