"""The worker supervisor of ``tiaojie workers worker``: N child processes (``python -m workers.child``),
each a Dramatiq Worker; a child that dies is started again at once.

The messages a dead child had taken go back to their queue at once: the supervisor marks the child's
Redis heartbeat as expired (``broker.declare_dead``), and the next queue maintenance requeues them.
A child that keeps dying soon after its start (a broken deployment, Redis refusing connections) is
started again after a growing pause (0.5 s doubling up to 30 s), so a crash loop does not spin.
SIGTERM/SIGINT are passed on to the children, which finish their running messages (up to
``STOP_SECONDS``) and exit; what is still running then is killed (its rows come back through their
leases and Redis' heartbeat requeue). Without a supervisor to tell (the whole machine gone), a dead
worker's messages go back once its Redis heartbeat is older than TIAOJIE_WORKER_HEARTBEAT_SECONDS. The
outbox rows a dead child was sending are due again when their send lease (TIAOJIE_SEND_LEASE_SECONDS,
renewed only while a send runs) runs out.
A SIGKILLed supervisor leaves no orphans: each child stops once its parent is gone.
"""

import logging
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass, field

from workers import broker as broker_setup

log = logging.getLogger("tiaojie.supervisor")

STABLE_SECONDS = 10.0  # a child that lived this long died by accident: restart at once
MIN_BACKOFF = 0.5
MAX_BACKOFF = 30.0
STOP_SECONDS = 35.0  # children's graceful stop (workers.child waits 30 s for running messages)


@dataclass
class Slot:
    index: int
    proc: subprocess.Popen | None = None
    started: float = 0.0
    failures: int = 0  # quick deaths in a row
    restart_at: float = 0.0
    restarts: int = 0
    pids: list[int] = field(default_factory=list)
    worker_id: str = ""  # the child's Dramatiq broker id (its heartbeat in Redis)
    delay: float = 0.0  # the pause before the last restart


class Supervisor:
    def __init__(self, processes: int, threads: int, queues: list[str], env: dict[str, str] | None = None):
        self.threads, self.queues = threads, list(queues)
        self.env = {**os.environ, **(env or {})}
        self.slots = [Slot(i) for i in range(processes)]
        self.stopping = threading.Event()

    def command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "workers.child",
            "--threads",
            str(self.threads),
            "--queues",
            *self.queues,
        ]

    def _spawn(self, slot: Slot) -> None:
        cmd = self.command()
        slot.worker_id = f"worker-{os.getpid()}-{slot.index}-{uuid.uuid4().hex[:8]}"
        env = {
            **self.env,
            broker_setup.WORKER_ID_ENV: slot.worker_id,
            "TIAOJIE_SUPERVISOR_PID": str(os.getpid()),
        }
        slot.proc = subprocess.Popen(cmd, env=env)
        slot.started = time.monotonic()
        slot.pids.append(slot.proc.pid)
        log.info("worker child %d started (pid %d)", slot.index, slot.proc.pid)

    def _reap(self, slot: Slot, now: float) -> None:
        """Schedule the restart of a child that exited (at once, or after a backoff if it dies quickly)."""
        code = slot.proc.returncode
        lived = now - slot.started
        slot.failures = slot.failures + 1 if lived < STABLE_SECONDS else 0
        delay = 0.0 if slot.failures <= 1 else min(MIN_BACKOFF * 2 ** (slot.failures - 2), MAX_BACKOFF)
        log.warning(
            "worker child %d (pid %d) exited with %s after %.1f s: restarting in %.1f s",
            slot.index,
            slot.proc.pid,
            code,
            lived,
            delay,
        )
        slot.proc, slot.restart_at, slot.restarts, slot.delay = None, now + delay, slot.restarts + 1, delay
        self._requeue(slot.worker_id)

    def _requeue(self, worker_id: str) -> None:
        """The dead child's unacknowledged messages back to their queues now (not after the heartbeat timeout)."""
        url = self.env.get("TIAOJIE_REDIS_URL")
        if not url:
            return
        try:
            broker_setup.declare_dead(url, worker_id, self.env.get("TIAOJIE_REDIS_NAMESPACE"))
        except Exception as err:  # Redis away: the heartbeat timeout requeues them later
            log.warning("could not mark worker %s dead in Redis: %s", worker_id, err)

    def step(self) -> None:
        """Start missing children, notice dead ones (called about ten times a second)."""
        now = time.monotonic()
        for slot in self.slots:
            if slot.proc is not None and slot.proc.poll() is not None:
                self._reap(slot, now)
            if slot.proc is None and now >= slot.restart_at and not self.stopping.is_set():
                self._spawn(slot)

    def run(self, poll: float = 0.1) -> int:
        for slot in self.slots:
            self._spawn(slot)
        while not self.stopping.wait(poll):
            self.step()
        return self.shutdown()

    def stop(self, *_) -> None:
        self.stopping.set()

    def shutdown(self, timeout: float = STOP_SECONDS) -> int:
        """SIGTERM to every child, wait for them, SIGKILL the ones still running after ``timeout``."""
        running = [s.proc for s in self.slots if s.proc is not None and s.proc.poll() is None]
        for proc in running:
            proc.send_signal(signal.SIGTERM)
        end = time.monotonic() + timeout
        for proc in running:
            try:
                proc.wait(max(end - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                log.warning("worker child pid %d did not stop in time: killed", proc.pid)
                proc.kill()
                proc.wait()
        log.info("worker stopped")
        return 0


def main(processes: int, threads: int, queues: list[str], env: dict[str, str] | None = None) -> int:
    logging.basicConfig(
        level=os.environ.get("TIAOJIE_LOG_LEVEL", "INFO"),
        format="%(asctime)s [supervisor] %(levelname)s %(name)s: %(message)s",
    )
    sup = Supervisor(processes, threads, queues, env)
    signal.signal(signal.SIGTERM, sup.stop)
    signal.signal(signal.SIGINT, sup.stop)
    log.info(
        "worker supervisor %d running %d children (%d threads each, queues %s)",
        os.getpid(),
        processes,
        threads,
        ",".join(queues),
    )
    return sup.run()
