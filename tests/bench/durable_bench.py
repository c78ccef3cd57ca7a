"""tiaojie in-process against raw SpiffWorkflow done durably, one interleaved run (issue 18).

The model is ``tests/fixtures/two_task.bpmn``: start → 登记 → gateway → 调解 or 转劳动仲裁 → end. One
case = start it, complete 登记 (the gateway routes to 调解), complete 调解.

The baseline is SpiffWorkflow 3.2 as a careful user would run it on the same PostgreSQL with psycopg 3
and no ORM, one transaction per step:

* start: build the workflow, run engine steps, serialize (Spiff's JSON, which embeds the spec),
  ``INSERT … RETURNING id``, COMMIT;
* each step: ``SELECT state … FOR UPDATE``, deserialize, ``refresh_timers()``, complete the ready user
  task with its data, ``do_engine_steps()``, serialize, ``UPDATE``, COMMIT.

tiaojie does the same case through ``engine.cases.service`` (form check, sandbox, tasks table, events,
deadlines). Rounds alternate A and B on fresh rows; each figure is the median of the rounds, and the
ratio is the median of each round's ratio, so drift of a shared machine falls on both sides.
"""

import statistics
import time

import psycopg
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.task import TaskState
from sqlalchemy import event

from engine import Database, processes
from tests.helpers.engine import FIXTURES, TWO_TASK_MEDIATE, TWO_TASK_REGISTER, bundle, two_task_case

MODEL = "two_task.bpmn"
REGISTER, MEDIATE = TWO_TASK_REGISTER, TWO_TASK_MEDIATE

RAW_TABLE = """CREATE TABLE IF NOT EXISTS raw_cases (id bigserial PRIMARY KEY, state text NOT NULL,
               updated_at timestamptz NOT NULL DEFAULT now())"""


class RawDurable:
    """Raw SpiffWorkflow with its state in one PostgreSQL row per case."""

    def __init__(self, dsn: str):
        parser = SpiffBpmnParser()
        parser.add_bpmn_files([str(FIXTURES / MODEL)])
        self.spec, self.subs = parser.get_spec("two_task"), parser.get_subprocess_specs("two_task")
        self.serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))
        self.conn = psycopg.connect(dsn)
        with self.conn.transaction():
            self.conn.execute(RAW_TABLE)

    def start(self) -> int:
        wf = BpmnWorkflow(self.spec, self.subs)
        wf.do_engine_steps()
        with self.conn.transaction():
            return self.conn.execute("INSERT INTO raw_cases (state) VALUES (%s) RETURNING id",
                                     (self.serializer.serialize_json(wf),)).fetchone()[0]

    def step(self, case_id: int, data: dict) -> None:
        with self.conn.transaction():
            (state,) = self.conn.execute("SELECT state FROM raw_cases WHERE id = %s FOR UPDATE", (case_id,)).fetchone()
            wf = self.serializer.deserialize_json(state)
            wf.refresh_timers()
            task = wf.get_tasks(state=TaskState.READY, manual=True)[0]
            task.data.update(data)
            task.run()
            wf.do_engine_steps()
            self.conn.execute("UPDATE raw_cases SET state = %s, updated_at = now() WHERE id = %s",
                              (self.serializer.serialize_json(wf), case_id))

    def case(self) -> None:
        case_id = self.start()
        self.step(case_id, REGISTER)
        self.step(case_id, MEDIATE)

    def close(self) -> None:
        self.conn.close()


class Tally:
    """Statements and commits sent on the engine while it is attached."""

    def __init__(self, db: Database):
        self.db, self.statements, self.commits = db, 0, 0
        event.listen(db.engine, "before_cursor_execute", self._statement)
        event.listen(db.engine, "commit", self._commit)

    def _statement(self, *args, **kwargs):
        self.statements += 1

    def _commit(self, *args, **kwargs):
        self.commits += 1

    def close(self):
        event.remove(self.db.engine, "before_cursor_execute", self._statement)
        event.remove(self.db.engine, "commit", self._commit)


def tiaojie_case(db: Database) -> None:
    two_task_case(db)


def _timed(n: int, fn) -> float:
    t0 = time.perf_counter()
    for _ in range(n):
        fn()
    return n / (time.perf_counter() - t0)


def run(db: Database, cases: int = 300, rounds: int = 5) -> dict:
    with db.begin() as conn:
        processes.deploy(conn, bundle(MODEL), actor="bench")
    dsn = db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    raw = RawDurable(dsn)
    try:
        for _ in range(max(10, cases // 10)):  # warm both: imports, caches, connections
            raw.case()
            tiaojie_case(db)
        raws, ours, ratios = [], [], []
        for r in range(rounds):
            order = (("raw", raw.case), ("ours", lambda: tiaojie_case(db)))
            results = {}
            for name, fn in (order if r % 2 == 0 else order[::-1]):
                results[name] = _timed(cases, fn)
            raws.append(results["raw"])
            ours.append(results["ours"])
            ratios.append(results["ours"] / results["raw"])
        tally = Tally(db)
        sample = 50
        for _ in range(sample):
            tiaojie_case(db)
        tally.close()
    finally:
        raw.close()
    return {
        "raw_durable_cases_per_s": round(statistics.median(raws), 1),
        "engine_cases_per_s": round(statistics.median(ours), 1),
        "engine_vs_raw_durable_ratio": round(statistics.median(ratios), 3),
        "engine_vs_raw_durable_ratios": [round(x, 3) for x in ratios],
        "durable_rounds": rounds,
        "durable_cases_per_round": cases,
        "statements_per_case": round(tally.statements / sample, 2),
        "commits_per_case": round(tally.commits / sample, 2),
    }


def main() -> None:
    """``python -m tests.bench.durable_bench [--cases N] [--rounds N] [--db NAME]``: this comparison alone, on a
    database of its own name (so parallel runs do not drop each other's)."""
    import argparse
    import json

    from tests.bench.common import fresh_pg

    ap = argparse.ArgumentParser(description=main.__doc__)
    ap.add_argument("--cases", type=int, default=300)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--db", default="tiaojie_bench_durable")
    args = ap.parse_args()
    db = fresh_pg(args.db)
    try:
        print(json.dumps(run(db, args.cases, args.rounds), indent=1))
    finally:
        db.dispose()


if __name__ == "__main__":
    main()
