"""Deadline figures (issue 4): breaches fired per second with 1 and 2 worker processes, lateness.

100k pending deadlines sit in PostgreSQL (one per open task). For each run a fresh slice of
them is made due within a few seconds; the dispatcher (1 s tick, in this process) claims
them and enqueues ids on Redis; ``python -m dramatiq workers.actors`` worker processes
fire them (status fired, escalation task, events). Fired/s = slice / (last fired - first due);
lateness = time of firing - due time, per deadline.
"""

import os
import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from engine import processes
from tests.bench.common import percentile
from tests.helpers.bulk import seed_open_cases
from tests.helpers.engine import bundle

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TIAOJIE_BENCH_REDIS_URL", "redis://127.0.0.1:6379/0")
THREADS = 4


def _seed_deadlines(db, pending: int) -> None:
    with db.begin() as conn:
        definition_id = processes.deploy(conn, bundle("review_v1.bpmn"), actor="bench")[0].id
    seed_open_cases(db, pending, definition_id, community="福田社区")
    far = datetime.now(UTC) + timedelta(days=30)
    with db.begin() as conn:
        conn.execute(text(
            "INSERT INTO deadlines (case_id, task_id, kind, name, clock, starts_at, due_at, warn_at, status, "
            "paused_seconds, escalation_level, attempts, created_at, updated_at) "
            "SELECT case_id, id, 'sla', '审查（基准）', 'natural', now(), :far, NULL, 'pending', 0, 0, 0, now(), now() "
            "FROM tasks"), {"far": far})
    with db.engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))


def _make_due(db, n: int, window_s: float) -> tuple[list[int], datetime]:
    start = datetime.now(UTC) + timedelta(seconds=2)
    with db.begin() as conn:
        ids = [r[0] for r in conn.execute(text(
            "SELECT id FROM deadlines WHERE status = 'pending' AND due_at > now() + interval '1 day' "
            "ORDER BY id LIMIT :n"), {"n": n})]
        conn.execute(text("UPDATE deadlines SET due_at = :start + (id % 1000) * (:w / 1000.0) * interval '1 second' "
                          "WHERE id = ANY(:ids)"), {"start": start, "w": window_s, "ids": ids})
    return ids, start


def _workers(db, processes: int, ns: str) -> subprocess.Popen:
    env = {**os.environ, "TIAOJIE_DATABASE_URL": db.url.replace("+psycopg", ""), "TIAOJIE_REDIS_URL": REDIS_URL,
           "TIAOJIE_REDIS_NAMESPACE": ns, "dramatiq_queue_prefetch": str(THREADS),
           "dramatiq_delay_queue_prefetch": str(THREADS)}
    return subprocess.Popen([sys.executable, "-m", "dramatiq", "workers.actors", "--processes", str(processes),
                             "--threads", str(THREADS), "--queues", "engine"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def _one_run(db, processes: int, n: int, window_s: float) -> dict:
    from workers import broker as broker_setup
    from workers import dispatcher

    ns = f"tiaojie-bench-{uuid.uuid4().hex[:8]}"
    broker_setup.install(broker_setup.redis_broker(REDIS_URL, ns))
    proc = _workers(db, processes, ns)
    time.sleep(3)  # worker processes start
    ids, _ = _make_due(db, n, window_s)
    stop = threading.Event()
    t = threading.Thread(target=dispatcher.run, args=(db, 1.0, stop), daemon=True)
    t.start()
    deadline = time.monotonic() + 300
    try:
        while time.monotonic() < deadline:
            with db.begin() as conn:
                left = conn.execute(text("SELECT count(*) FROM deadlines WHERE id = ANY(:ids) AND status <> 'fired'"),
                                    {"ids": ids}).scalar_one()
            if left == 0:
                break
            time.sleep(0.5)
        with db.begin() as conn:
            rows = conn.execute(text("SELECT due_at, updated_at FROM deadlines WHERE id = ANY(:ids) AND "
                                     "status = 'fired'"), {"ids": ids}).all()
    finally:
        stop.set()
        t.join(10)
        os.killpg(proc.pid, 15)
        proc.wait(30)
    late = [(fired - due).total_seconds() for due, fired in rows]
    span = (max(f for _, f in rows) - min(d for d, _ in rows)).total_seconds()
    return {"fired": len(rows), "per_s": len(rows) / span if span > 0 else float("inf"),
            "p50": percentile(late, 50), "p99": percentile(late, 99)}


def run(db, pending: int, due: int, window_s: float = 5.0) -> dict:
    _seed_deadlines(db, pending)
    one = _one_run(db, 1, due, window_s)
    two = _one_run(db, 2, due, window_s)
    return {
        "deadlines_pending": pending,
        "deadlines_due_per_run": due,
        "deadlines_fired_per_s_1_worker": round(one["per_s"], 1),
        "deadlines_fired_per_s_2_workers": round(two["per_s"], 1),
        "deadline_lateness_p50_s_1_worker": round(one["p50"], 2),
        "deadline_lateness_p99_s_1_worker": round(one["p99"], 2),
        "deadline_lateness_p50_s_2_workers": round(two["p50"], 2),
        "deadline_lateness_p99_s_2_workers": round(two["p99"], 2),
        "deadlines_fired_all": one["fired"] == due and two["fired"] == due,
    }
