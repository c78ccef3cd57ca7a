"""The dispatcher: claims due deadline and outbox rows with a lease and sends one message per row.

Deadlines wait as rows in the database, never as delayed messages in Redis. Each tick claims the
rows that are due now (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so several dispatchers can run),
sets a lease, commits, then enqueues ids only. When a message is lost (Redis flushed or restarted,
a worker killed before acking) its row is claimed again once the lease has run out: the lease is
the reaper. Actors are idempotent, so a message sent twice is harmless.
"""

import logging
import threading
from datetime import datetime, timedelta

from engine.steps import now as utcnow
from engine.store import Database
from engine.store import deadlines as deadline_store
from engine.store import escalations as escalation_store
from workers import actors
from workers import broker as broker_setup

log = logging.getLogger(__name__)

LEASE_SECONDS = 60.0  # a claimed row is sent again after this long without progress
BATCH = 500


def _stamp(at: datetime) -> str:
    return at.strftime("%Y%m%dT%H%M%SZ")


def message_id(kind: str, row_id: int, stage: str, at: datetime) -> str:
    """A readable, deterministic Message-ID (no ':', which Redis key patterns and mail ids dislike)."""
    return f"{kind}-{row_id}-{stage}-{_stamp(at)}"


def _message(actor, row_id: int, mid: str):
    return actor.message(row_id).copy(message_id=mid)


def _deadline_messages(conn, now: datetime, lease_until: datetime, limit: int) -> list:
    out = []
    for r in deadline_store.claim_due(conn, now, lease_until, limit):
        if r.kind == "timer":
            stage, actor, at = "timer", actors.fire_deadline, r.due_at
        elif r.due_at <= now:
            stage, actor, at = "breach", actors.fire_deadline, r.due_at
        else:
            stage, actor, at = "warn", actors.warn_deadline, r.warn_at
        out.append(_message(actor, r.id, message_id("deadline", r.id, stage, at)))
    for r in escalation_store.claim_leader_due(conn, now, lease_until, limit):
        out.append(_message(actors.escalate_to_leader, r.id,
                            message_id("deadline", r.id, "leader", r.next_escalation_at)))
    return out


def _outbox_messages(conn, now: datetime, limit: int) -> list:
    """Due outbox rows (the email side claims them with its own lease), when that side is installed."""
    try:
        from workers import email
    except ImportError:
        return []
    return [_message(email.send_email, i, message_id("outbox", i, "send", now))
            for i in email.due_outbox_ids(conn, now, limit)]


DIGEST_HOUR = 8  # Asia/Shanghai: the daily digest goes out from 08:00
_digest_done: set[str] = set()


def _maybe_digest(db: Database, now: datetime) -> int:
    """Once a day from 08:00 Shanghai, queue each user's digest (one per user per day, even when
    several dispatchers or restarts try: the outbox de-duplicates by user and date)."""
    from zoneinfo import ZoneInfo

    local = now.astimezone(ZoneInfo("Asia/Shanghai"))
    day = local.date().isoformat()
    if local.hour < DIGEST_HOUR or day in _digest_done:
        return 0
    from engine import digest

    with db.begin() as conn:
        made = digest.build_digests(conn, now)
    _digest_done.add(day)
    return made


def tick(db: Database, now: datetime | None = None, *, lease_seconds: float = LEASE_SECONDS,
         limit: int = BATCH) -> int:
    """One pass: claim what is due at ``now``, commit, enqueue; returns the messages sent."""
    now = now or utcnow()
    try:
        _maybe_digest(db, now)
    except Exception:  # the digest must never stop deadlines
        log.exception("daily digest failed")
    with db.begin() as conn:
        messages = _deadline_messages(conn, now, now + timedelta(seconds=lease_seconds), limit)
        messages += _outbox_messages(conn, now, limit)
    broker = broker_setup.ensure()
    sent = 0
    for m in messages:
        try:
            broker.enqueue(m)
            sent += 1
        except Exception as err:  # broker down: the lease runs out and the row is claimed again
            log.warning("could not enqueue %s: %s", m.message_id, err)
    return sent


def run(db: Database, interval: float = 1.0, stop_event: threading.Event | None = None, *,
        lease_seconds: float = LEASE_SECONDS, limit: int = BATCH) -> None:
    """Tick until ``stop_event`` is set; a full batch is followed at once by the next one."""
    stop_event = stop_event or threading.Event()
    while not stop_event.is_set():
        try:
            sent = tick(db, lease_seconds=lease_seconds, limit=limit)
        except Exception:
            log.exception("dispatcher tick failed")
            sent = 0
        if sent < limit:
            stop_event.wait(interval)
