"""Real Redis + PostgreSQL + SMTP, real processes: ``tiaojie workers worker`` survives a SIGKILLed child.

The worker runs as it does in production (``python -m cli.main workers worker``: a supervisor and
two children); a child is killed in the middle of a step, the supervisor replaces it, the other
child keeps serving, and what the dead child held comes back within seconds: its escalation through
Redis' heartbeat requeue or the dispatch lease, its email through the send lease (renewed while a send
runs, so it runs out soon after the worker died). The waits are bounded generously and never asserted;
the times measured are printed (``-s``).
"""

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta

import pytest

from tests.helpers.notifications import add_case, add_user, enqueue, row, warning_context
from tests.helpers.smtp import Collector, SmtpServer
from tests.helpers.workers import (
    assert_each_fired_once,
    children,
    due_deadlines,
    due_deadlines_more,
    fired,
    owner_of_port,
    wait_for,
)
from workers.supervisor import Supervisor

pytestmark = pytest.mark.slow




def _replaced(sup: subprocess.Popen, before: set[int], dead: int) -> bool:
    now = children(sup.pid)
    return sup.poll() is None and dead not in now and len(now) == 2 and len(now - before) == 1


def _in_flight_port(db) -> int | None:
    """The client port of the one actor connection sleeping inside its transaction."""
    from sqlalchemy import text

    with db.begin() as conn:
        return conn.execute(text("SELECT client_port FROM pg_stat_activity WHERE datname = current_database() "
                                 "AND state = 'idle in transaction' "
                                 "AND state_change < clock_timestamp() - interval '200 milliseconds'")).scalar()


def test_a_killed_child_is_replaced_and_deadlines_keep_firing(pg_db, supervised, dispatch):
    ids = due_deadlines(pg_db, 1, 1, datetime.now(UTC) - timedelta(minutes=1), timedelta(0))
    sup = supervised(TIAOJIE_TEST_ACTOR_DELAY="3")
    dispatch(lease_seconds=30)
    wait_for(lambda: _in_flight_port(pg_db) is not None, "the escalation in flight")
    before = children(sup.pid)
    victim = owner_of_port(before, _in_flight_port(pg_db))
    assert victim in before
    os.kill(victim, signal.SIGKILL)  # mid-step: its transaction is rolled back, its message unacked
    t0 = time.monotonic()
    wait_for(lambda: _replaced(sup, before, victim), "a new child in place of the killed one", timeout=30)
    replaced = time.monotonic() - t0
    assert fired(pg_db) == 0  # the killed step left nothing behind
    ids += due_deadlines_more(pg_db, 1, datetime.now(UTC))  # due after the kill
    seen = {}
    wait_for(lambda: _fired_times(pg_db, ids, seen, t0) == 2, "the killed escalation and the new deadline",
             timeout=90)
    time.sleep(1)
    assert_each_fired_once(pg_db, ids)
    assert sup.poll() is None  # the supervisor still serves
    print(f"\nFIGURES: child replaced in {replaced:.1f} s; killed escalation redone {seen[ids[0]]:.1f} s and "
          f"the deadline due after the kill fired {seen[ids[1]]:.1f} s after the kill (each step sleeps 3 s)")


def _fired_times(db, ids: list[int], seen: dict, t0: float) -> int:
    """Note when each of ``ids`` is first seen fired (seconds after ``t0``); returns how many are."""
    from sqlalchemy import select

    from engine.store.tables import deadlines

    with db.begin() as conn:
        done = set(conn.execute(select(deadlines.c.id).where(deadlines.c.id.in_(ids),
                                                              deadlines.c.status == "fired")).scalars())
    for i in done - seen.keys():
        seen[i] = time.monotonic() - t0
    return len(seen)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_sigterm_lets_the_running_step_finish(pg_db, supervised, dispatch):
    """Graceful stop (kept from Dramatiq's own CLI): the step in flight commits, the children exit."""
    due_deadlines(pg_db, 1, 1, datetime.now(UTC) - timedelta(minutes=1), timedelta(0))
    sup = supervised(TIAOJIE_TEST_ACTOR_DELAY="3")
    dispatch(lease_seconds=30)
    wait_for(lambda: _in_flight_port(pg_db) is not None, "the escalation in flight")
    kids = children(sup.pid)
    sup.send_signal(signal.SIGTERM)
    assert sup.wait(60) == 0
    assert fired(pg_db) == 1  # finished, not cut off
    wait_for(lambda: not any(_alive(p) for p in kids), "the children to exit", timeout=10)


def test_a_killed_supervisor_leaves_no_children_behind(supervised):
    sup = supervised()
    kids = children(sup.pid)
    os.kill(sup.pid, signal.SIGKILL)  # the supervisor alone
    sup.wait(10)
    wait_for(lambda: not any(_alive(p) for p in kids), "the orphaned children to stop", timeout=30)


class StallFirst(Collector):
    """Holds the first SMTP conversation at RCPT until released (the client is killed meanwhile)."""

    def __init__(self):
        super().__init__()
        self.stalled, self.release, self.peer = threading.Event(), threading.Event(), None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.peer is None:
            self.peer = session.peer
            self.stalled.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"


def test_an_email_whose_child_was_killed_mid_send_is_sent_once(pg_db, supervised, dispatch):
    add_user(pg_db, "mediator1")
    case_id = add_case(pg_db)
    oid = enqueue(pg_db, context=warning_context(case_id), case_id=case_id)
    smtp = SmtpServer()
    smtp.handler = StallFirst()
    smtp.start()
    try:
        sup = supervised(TIAOJIE_SMTP_HOST="127.0.0.1", TIAOJIE_SMTP_PORT=str(smtp.port),
                         TIAOJIE_SMTP_SECURITY="none", TIAOJIE_SMTP_TIMEOUT="60", TIAOJIE_SMTP_CA_FILE="",
                         TIAOJIE_BASE_URL="http://127.0.0.1:8000")
        dispatch(lease_seconds=30)
        assert smtp.handler.stalled.wait(60), "the first SMTP conversation never started"
        before = children(sup.pid)
        victim = owner_of_port(before, smtp.handler.peer[1])
        assert victim in before and row(pg_db, oid).status == "sending"
        os.kill(victim, signal.SIGKILL)  # mid-send: the server has the envelope, not the message
        t0 = time.monotonic()
        smtp.handler.release.set()
        wait_for(lambda: _replaced(sup, before, victim), "a new child in place of the killed one", timeout=30)
        replaced = time.monotonic() - t0
        wait_for(lambda: row(pg_db, oid).status == "sent", "the email after the kill", timeout=120)
        sent = time.monotonic() - t0
        time.sleep(2)  # a few more dispatcher ticks: nothing may be sent twice
        r = row(pg_db, oid)
        assert [m["Message-ID"] for m in smtp.messages] == [r.message_id]
        assert r.status == "sent" and r.attempts == 2  # the lost attempt counts
        assert sup.poll() is None
        print(f"\nFIGURES: child replaced in {replaced:.1f} s; email sent {sent:.1f} s after the kill")
    finally:
        smtp.stop()


class Crashing(Supervisor):
    """Children that exit at once, as a broken deployment's would."""

    def command(self) -> list[str]:
        return [sys.executable, "-c", "raise SystemExit(3)"]


def test_a_child_that_keeps_dying_is_restarted_after_a_growing_pause():
    sup = Crashing(1, 1, ["engine"], env={"TIAOJIE_REDIS_URL": ""})
    slot = sup.slots[0]
    delays = []
    for _ in range(7):
        sup.step()  # starts the child (the pause is skipped: restart_at is reset below)
        assert slot.proc.wait(30) == 3
        sup.step()  # notices the death, schedules the restart
        delays.append(slot.delay)
        slot.restart_at = 0.0
    assert delays == [0.0, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0]
    sup.step()
    slot.started -= 60  # this one lived a minute: an accident, restarted at once
    slot.proc.wait(30)
    sup.step()
    assert slot.delay == 0.0 and slot.restarts == 8 and len(slot.pids) == 9
    sup.shutdown(timeout=5)
