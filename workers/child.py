"""One worker child: a Dramatiq Worker with the project's broker and actors, run by the supervisor.

``python -m workers.child --threads 4 --queues engine email``. Stops on SIGTERM/SIGINT (the running
messages finish, the others go back to Redis), and on its own when its supervisor is gone (its parent
process changed), so a SIGKILLed supervisor leaves no orphan consuming messages.
"""

import argparse
import logging
import os
import signal
import threading

import dramatiq

from workers import actors, email  # noqa: F401  (declares the actors on the broker)
from workers import broker as broker_setup

log = logging.getLogger("tiaojie.worker")

STOP_TIMEOUT_MS = 30_000  # graceful stop: running messages get this long to finish
PARENT_CHECK_SECONDS = 1.0
SUPERVISOR_ENV = "TIAOJIE_SUPERVISOR_PID"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m workers.child")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--queues", nargs="+", default=list(broker_setup.QUEUES))
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=os.environ.get("TIAOJIE_LOG_LEVEL", "INFO"),
        format=f"%(asctime)s [child {os.getpid()}] %(levelname)s %(name)s: %(message)s",
    )
    broker = broker_setup.ensure()
    if type(broker).__name__ == "StubBroker":
        log.error("TIAOJIE_REDIS_URL is not set")
        return 2
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    parent = int(os.environ.get(SUPERVISOR_ENV) or os.getppid())  # the env: even if it died while we booted
    broker.emit_after("process_boot")
    worker = dramatiq.Worker(
        broker, queues=set(args.queues), worker_threads=args.threads, worker_timeout=1000
    )
    worker.start()
    log.info("worker child ready (queues %s, %d threads)", ",".join(args.queues), args.threads)
    while not stop.wait(PARENT_CHECK_SECONDS):
        if os.getppid() != parent:
            log.warning("supervisor %s is gone: stopping", parent)
            break
    worker.stop(timeout=STOP_TIMEOUT_MS)
    broker.close()
    log.info("worker child stopped")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
