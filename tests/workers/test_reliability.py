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
from sqlalchemy import select

from engine.store.tables import deadlines, outbox
from tests.helpers.paths import ROOT
from tests.helpers.workers import (
    add_supervisor,
    assert_each_fired_once,
    due_deadlines,
    due_deadlines_more,
    fired,
    flush,
    in_flight,
    kill,
    wait_for,
)
from workers import broker as broker_setup
from workers import dispatcher

pytestmark = pytest.mark.slow














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
