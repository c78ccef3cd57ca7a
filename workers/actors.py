"""Deadline actors (queue "engine"): thin wrappers over engine.deadlines (SLA escalations) and
engine.cases (BPMN timers), one transaction each.

Messages carry only deadline ids: one (``fire_deadline``, ``warn_deadline``, ``escalate_to_leader``)
or a batch (``fire_deadlines``, ``warn_deadlines``: one transaction for the batch, see
engine/deadlines/escalation.py; ``escalate_to_leaders``: one transaction per id). Each actor reads the
row locked and acts only when it is in the state its step expects, so duplicates (a re-sent message after a lease ran out, a message
Redis requeued from a dead worker) change nothing.
Run: ``python -m dramatiq workers.actors --queues engine`` (or ``tiaojie workers worker``).
"""

import logging
import os
import threading
import time

import dramatiq

from engine import Database, cases, deadlines
from engine.core.clock import now
from engine.core.settings import get_settings
from workers import broker as broker_setup

log = logging.getLogger(__name__)
broker = broker_setup.ensure()

_db: Database | None = None
_db_lock = threading.Lock()


def use_database(db: Database | None) -> None:
    """The database the actors work on (embedded mode, tests); None: from TIAOJIE_DATABASE_URL."""
    global _db
    _db = db


def database() -> Database:
    global _db
    with _db_lock:
        if _db is None:
            _db = Database(get_settings().database_url)
        return _db


def _test_delay() -> None:
    """Tests only: TIAOJIE_TEST_ACTOR_DELAY seconds inside the transaction (to kill a worker mid-step)."""
    delay = os.environ.get("TIAOJIE_TEST_ACTOR_DELAY")
    if delay:
        time.sleep(float(delay))


def _run(step, deadline_id: int) -> bool:
    with database().begin() as conn:
        done = step(conn, int(deadline_id), now())
        _test_delay()  # after the step, before the commit: a kill here loses the uncommitted step
    log.debug("%s(%s) → %s", step.__name__, deadline_id, "done" if done else "nothing to do")
    return done


@dramatiq.actor(queue_name="engine")
def fire_deadline(deadline_id: int) -> None:
    """A due deadline: a timer fires through the engine, an SLA/statutory deadline is breached."""
    _run(_fire, deadline_id)


def _fire(conn, deadline_id: int, now) -> bool:
    """Each step checks the row's kind and state: exactly one of them can act."""
    return cases.fire_timer(conn, deadline_id, now) or deadlines.breach(conn, deadline_id, now)


@dramatiq.actor(queue_name="engine")
def warn_deadline(deadline_id: int) -> None:
    _run(deadlines.warn, deadline_id)


@dramatiq.actor(queue_name="engine")
def escalate_to_leader(deadline_id: int) -> None:
    _run(deadlines.escalate_leader, deadline_id)


def _run_batch(step, deadline_ids: list[int]) -> list[int]:
    ids = sorted({int(i) for i in deadline_ids})
    with database().begin() as conn:
        done = step(conn, ids, now())
        _test_delay()
    log.debug("%s(%d ids) → %d done", step.__name__, len(ids), len(done))
    return done


@dramatiq.actor(queue_name="engine")
def fire_deadlines(deadline_ids: list[int]) -> None:
    """A batch of due SLA/statutory deadlines, breached in one transaction (timers: ``fire_deadline``)."""
    _run_batch(deadlines.breach_many, deadline_ids)


@dramatiq.actor(queue_name="engine")
def warn_deadlines(deadline_ids: list[int]) -> None:
    _run_batch(deadlines.warn_many, deadline_ids)


@dramatiq.actor(queue_name="engine")
def escalate_to_leaders(deadline_ids: list[int]) -> None:
    """Leader steps are rare (a day after a breach): one message, one transaction per id."""
    for deadline_id in deadline_ids:
        _run(deadlines.escalate_leader, deadline_id)


ACTORS = (
    fire_deadline,
    warn_deadline,
    escalate_to_leader,
    fire_deadlines,
    warn_deadlines,
    escalate_to_leaders,
)
