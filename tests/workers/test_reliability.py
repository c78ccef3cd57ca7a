"""Real Redis + PostgreSQL: many deadlines fire once; a killed worker and a flushed Redis lose nothing.

Each test uses its own Redis key namespace (removed afterwards) on TIAOJIE_TEST_REDIS_URL
(default redis://127.0.0.1:6379/0), its own PostgreSQL database (``pg_db``), worker subprocesses
(``python -m dramatiq workers.actors``) and a dispatcher thread in the test process.
"""

import os
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, text

from engine.store import deadlines as store
from engine.store import users
from engine.store.tables import deadlines, events, outbox, tasks
from tests.helpers.engine import deploy, start
from tests.helpers.paths import ROOT
from tests.helpers.workers import flush, kill
from workers import broker as broker_setup
from workers import dispatcher

pytestmark = pytest.mark.slow


def wait_for(predicate, what: str, timeout: float = 45.0, poll: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(poll)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def due_deadlines(db, n: int, cases: int, due_from: datetime, spread: timedelta) -> list[int]:
    """``n`` statutory deadlines over ``cases`` review cases, due between due_from and due_from + spread."""
    deploy(db, "review_v1.bpmn")
    case_ids = [start(db).id for _ in range(cases)]
    now = datetime.now(UTC)
    rows = [{"case_id": case_ids[i % cases], "task_id": None, "kind": "statutory", "rule_key": None,
             "name": f"法定期限{i}", "clock": "natural", "starts_at": now - timedelta(days=15),
             "due_at": due_from + spread * (i / n), "warn_at": None, "status": "pending", "paused_seconds": 0,
             "escalation_level": 0, "attempts": 0, "created_at": now, "updated_at": now} for i in range(n)]
    with db.begin() as conn:
        store.insert_many(conn, rows)
        return [r.id for r in conn.execute(select(deadlines.c.id).where(deadlines.c.name.like("法定期限%")))]


def fired(db) -> int:
    with db.begin() as conn:
        return conn.execute(select(func.count()).where(deadlines.c.status == "fired")).scalar()


def in_flight(db) -> int:
    """Actors sleeping inside their transaction (TIAOJIE_TEST_ACTOR_DELAY), not a dispatcher between statements."""
    with db.begin() as conn:
        return conn.execute(text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                 "AND state = 'idle in transaction' "
                                 "AND state_change < clock_timestamp() - interval '200 milliseconds'")).scalar()


def assert_each_fired_once(db, ids: list[int]) -> None:
    with db.begin() as conn:
        rows = list(conn.execute(select(deadlines.c.id, deadlines.c.status, deadlines.c.escalation_level)))
        breached = [e.data["deadline"] for e in conn.execute(select(events).where(events.c.kind == "deadline_breached"))]
        task_rows = list(conn.execute(select(tasks.c.deadline_id).where(tasks.c.kind == "escalation")))
    assert {(r.status, r.escalation_level) for r in rows if r.id in set(ids)} == {("fired", 2)}
    assert sorted(breached) == sorted(ids)  # one event per deadline, none twice
    assert sorted(t.deadline_id for t in task_rows) == sorted(ids)  # one 督办 task each


def add_supervisor(db) -> None:
    with db.begin() as conn:
        users.insert(conn, username="super1", password_hash="x", role="supervisor", communities=[],
                     email="super1@example.org", display_name=None, locale="zh-CN", now=datetime.now(UTC))


def test_a_thousand_deadlines_in_one_minute_fire_exactly_once(pg_db, workers, dispatch):
    add_supervisor(pg_db)
    minute = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=1)
    ids = due_deadlines(pg_db, 1000, 20, minute, timedelta(seconds=59))
    workers(threads=8)
    dispatch(lease_seconds=30)
    wait_for(lambda: fired(pg_db) == 1000, "1,000 deadlines to fire", timeout=50)
    time.sleep(1)  # a few more dispatcher ticks: nothing may fire twice
    assert_each_fired_once(pg_db, ids)
    with pg_db.begin() as conn:
        keys = [r.dedupe_key for r in conn.execute(select(outbox.c.dedupe_key)
                                                   .where(outbox.c.template == "escalation_supervisor"))]
    assert len(keys) == len(set(keys)) == 1000  # one email to the one supervisor per deadline


def test_a_worker_killed_mid_escalation_is_replaced_and_the_step_happens_once(pg_db, workers, dispatch):
    ids = due_deadlines(pg_db, 3, 3, datetime.now(UTC) - timedelta(minutes=1), timedelta(seconds=30))
    slow = workers(threads=2, delay=60)
    dispatch(lease_seconds=300)  # longer than the test: recovery must come from Redis' requeue
    wait_for(lambda: in_flight(pg_db) == 2, "two escalations in flight")
    kill(slow)  # SIGKILL: its transactions are rolled back, its messages unacked
    wait_for(lambda: in_flight(pg_db) == 0, "the killed worker's transactions to end", timeout=10)
    assert fired(pg_db) == 0
    workers(threads=2)
    wait_for(lambda: fired(pg_db) == 3, "the requeued escalations", timeout=50)
    time.sleep(1)
    assert_each_fired_once(pg_db, ids)
    with pg_db.begin() as conn:
        assert {r.attempts for r in conn.execute(select(deadlines.c.attempts))} == {1}  # not re-claimed


def test_flushed_redis_loses_nothing(pg_db, workers, dispatch, redis_ns):
    client, ns = redis_ns
    now = datetime.now(UTC)
    ids = due_deadlines(pg_db, 15, 5, now - timedelta(seconds=30), timedelta(seconds=20))
    ids += due_deadlines_more(pg_db, 15, now + timedelta(seconds=4))  # still pending at the flush
    workers(threads=3, delay=0.5)
    dispatch(lease_seconds=3)
    wait_for(lambda: in_flight(pg_db) >= 1, "escalations in flight")
    assert flush(client, ns) > 0  # queued messages, acks and heartbeats: gone
    wait_for(lambda: fired(pg_db) == 30, "every deadline after the flush", timeout=50)
    time.sleep(1)
    assert_each_fired_once(pg_db, ids)
    with pg_db.begin() as conn:
        assert max(r.attempts for r in conn.execute(select(deadlines.c.attempts))) > 1  # the reaper re-sent


def due_deadlines_more(db, n: int, due_at: datetime) -> list[int]:
    """``n`` more deadlines due at ``due_at`` on the existing cases."""
    with db.begin() as conn:
        case_ids = [r.case_id for r in conn.execute(select(deadlines.c.case_id).distinct())]
    now = datetime.now(UTC)
    rows = [{"case_id": case_ids[i % len(case_ids)], "task_id": None, "kind": "statutory", "rule_key": None,
             "name": f"后到期限{i}", "clock": "natural", "starts_at": now, "due_at": due_at, "warn_at": None,
             "status": "pending", "paused_seconds": 0, "escalation_level": 0, "attempts": 0, "created_at": now,
             "updated_at": now} for i in range(n)]
    with db.begin() as conn:
        store.insert_many(conn, rows)
        return [r.id for r in conn.execute(select(deadlines.c.id).where(deadlines.c.due_at == due_at))]


def _redis_server(port: int) -> subprocess.Popen:
    proc = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import redis

    client = redis.Redis(port=port)
    wait_for(lambda: _pings(client), f"redis-server on port {port}", timeout=10)
    return proc


def _pings(client) -> bool:
    import redis

    try:
        return bool(client.ping())
    except redis.ConnectionError:
        return False


def test_a_redis_server_restart_loses_nothing(pg_db, tmp_path):
    """A private redis-server (no AOF, no snapshot) is killed and started again mid-run."""
    import shutil
    import socket

    import dramatiq

    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is not installed (the CI machine has it)")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"redis://127.0.0.1:{port}/0"
    server = _redis_server(port)
    now = datetime.now(UTC)
    ids = due_deadlines(pg_db, 20, 5, now - timedelta(seconds=30), timedelta(seconds=20))
    env = {**os.environ, "TIAOJIE_DATABASE_URL": pg_db.url, "TIAOJIE_REDIS_URL": url,
           "TIAOJIE_REDIS_NAMESPACE": "restart", "TIAOJIE_TEST_ACTOR_DELAY": "0.5",
           **broker_setup.worker_environment(2)}
    log = open(tmp_path / "worker.log", "wb")  # noqa: SIM115  (closed with the process)
    worker = subprocess.Popen([sys.executable, "-m", "dramatiq", "workers.actors", "--processes", "1",
                               "--threads", "2", "--queues", "engine"], cwd=ROOT, env=env, stdout=log,
                              stderr=subprocess.STDOUT, start_new_session=True)
    old = dramatiq.broker.global_broker
    broker = broker_setup.install(broker_setup.redis_broker(url, "restart"))
    stop = threading.Event()
    ticker = threading.Thread(target=dispatcher.run, args=(pg_db, 0.2, stop), kwargs={"lease_seconds": 3},
                              daemon=True)
    try:
        ticker.start()
        wait_for(lambda: in_flight(pg_db) >= 1, "escalations in flight")
        server.kill()  # everything Redis held is gone: queues, in-flight acks, heartbeats
        server.wait(10)
        time.sleep(1)  # the dispatcher and the worker meet a dead broker for a while
        server = _redis_server(port)
        wait_for(lambda: fired(pg_db) == 20, "every deadline after the restart", timeout=50)
        time.sleep(1)
        assert_each_fired_once(pg_db, ids)
    finally:
        stop.set()
        ticker.join(10)
        kill(worker)
        server.kill()
        server.wait(10)
        broker.close()
        if old is not None:
            broker_setup.install(old)
