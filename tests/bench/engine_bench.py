"""Engine figures (issue 2): raw Spiff step vs engine step, case starts, queue listing at 100k."""

import statistics

from sqlalchemy import text

from engine import processes
from engine.cases import service
from engine.processes.deploy import check
from engine.spiff.runtime import Run
from tests.bench import raw_spiff
from tests.bench.common import percentile, rate, stopwatch
from tests.helpers.bulk import GROUPS, seed_open_cases
from tests.helpers.engine import bundle
from tests.helpers.sql import StatementCounter

REGISTER = {"amount": 500, "channel": "window", "summary": "邻里纠纷"}


def _compiled():
    (cp,) = check(bundle("review_v1.bpmn"))
    return cp


def runtime_steps(n: int) -> float:
    """(1b) The engine's runtime alone, in memory: spec cached, sandboxed, no database."""
    cp = _compiled()
    loader = lambda: cp.spec_json  # noqa: E731
    states = []
    for _ in range(n):
        run = Run.start(cp.content_hash, loader, {})
        states.append((run.dump(), run.ready_user_tasks()[0].id))
    with stopwatch() as sw:
        for state, task_id in states:
            run = Run.load(cp.content_hash, loader, state)
            run.complete(task_id, dict(REGISTER))
            run.next_timer_at()
            run.ready_user_tasks()
            run.dump()
    return rate(n, sw["s"])


def _deploy(db):
    with db.begin() as conn:
        return processes.deploy(conn, bundle("review_v1.bpmn"), actor="bench")[0]


def start_cases(db, n: int) -> tuple[float, list]:
    """(3) Cases started per second through the service, one transaction each."""
    out = []
    with stopwatch() as sw:
        for _ in range(n):
            with db.begin() as conn:
                out.append(service.start_case(conn, "review", {}, actor="bench"))
    return rate(n, sw["s"]), out


def engine_steps(db, started: list) -> tuple[float, float]:
    """(2) The same step through the service: lock, load, complete, persist, commit."""
    counter = StatementCounter(db)
    with stopwatch() as sw:
        for case in started:
            with db.begin() as conn:
                service.complete_task(conn, case.open_tasks[0].id, dict(REGISTER), actor="bench")
    counter.close()
    return rate(len(started), sw["s"]), (counter.count / len(started))


def queue_latency(db, samples: int) -> tuple[float, float, float]:
    """(4) p50/p95/p99 (ms) of listing one group's open tasks (first page of 50)."""
    import time

    lat = []
    for i in range(samples):
        g = GROUPS[i % len(GROUPS)]
        t0 = time.perf_counter()
        with db.begin() as conn:
            rows = service.list_tasks(conn, group=g, limit=50)
        lat.append((time.perf_counter() - t0) * 1000)
        assert len(rows) == 50
    return percentile(lat, 50), percentile(lat, 95), percentile(lat, 99)


def run(db, steps: int, open_cases: int, samples: int, rounds: int = 3) -> dict:
    """Each throughput is the median of `rounds` interleaved rounds (raw, start, engine)."""
    _deploy(db)
    raws, runtimes, starts, engines, statements = [], [], [], [], []
    for _ in range(rounds):
        raws.append(raw_spiff.steps_per_second(steps, REGISTER))
        runtimes.append(runtime_steps(steps))
        starts_per_s, started = start_cases(db, steps)
        starts.append(starts_per_s)
        engine, per_step = engine_steps(db, started)
        engines.append(engine)
        statements.append(per_step)
    raw, runtime, engine = statistics.median(raws), statistics.median(runtimes), statistics.median(engines)
    with db.begin() as conn:
        definition_id = conn.execute(text("SELECT min(id) FROM process_definitions")).scalar_one()
    seed_open_cases(db, open_cases, definition_id)
    p50, p95, p99 = queue_latency(db, samples)
    return {
        "raw_spiff_steps_per_s": round(raw, 1),
        "engine_steps_per_s": round(engine, 1),
        "engine_step_ratio": round(engine / raw, 3),
        "runtime_steps_per_s": round(runtime, 1),
        "engine_vs_runtime_ratio": round(engine / runtime, 3),
        "engine_statements_per_step": round(max(statements), 1),
        "case_starts_per_s": round(statistics.median(starts), 1),
        "rounds": rounds,
        "open_cases": open_cases,
        "task_list_p50_ms": round(p50, 2),
        "task_list_p95_ms": round(p95, 2),
        "task_list_p99_ms": round(p99, 2),
    }
