"""Embedded workers for ``make run`` without Redis: a StubBroker, an in-process Dramatiq worker and
a dispatcher thread, all in the serving process. ``stop = start(db)``; ``stop()`` ends them.
"""

import threading

import dramatiq

from engine import Database
from workers import actors, dispatcher
from workers import broker as broker_setup


def start(
    db: Database, *, interval: float = 1.0, threads: int = 2, lease_seconds: float | None = None
):
    """Start the worker and the dispatcher on ``db``; returns a function that stops both."""
    stub = broker_setup.install(broker_setup.stub_broker())
    actors.use_database(db)
    worker = dramatiq.Worker(stub, worker_threads=threads, worker_timeout=100)
    worker.start()
    stop_event = threading.Event()
    thread = threading.Thread(
        target=dispatcher.run,
        args=(db, interval, stop_event),
        kwargs={"lease_seconds": lease_seconds},
        name="tiaojie-dispatcher",
        daemon=True,
    )
    thread.start()

    def stop() -> None:
        stop_event.set()
        thread.join(10)
        worker.stop()
        stub.close()

    return stop
