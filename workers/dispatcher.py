"""The dispatcher: claims due deadline and outbox rows with a lease and sends one message per row.

Deadlines wait as rows in the database, never as delayed messages in Redis. Each tick claims the
rows that are due now (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so several dispatchers can run),
sets a lease, commits, then enqueues ids only: warnings, breaches and leader steps in batches of up
to ``MESSAGE_IDS`` ids per message (a claim is spread over at least ``SPREAD`` messages so several
worker threads share it; a batch of one goes to the single-id actor), timers one message per row. When a message is lost (Redis flushed or restarted,
a worker killed before acking) its row is claimed again once the lease has run out: the lease is
the reaper. Actors are idempotent, so a message sent twice is harmless.
"""

import hashlib
import logging
import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from engine import Database, deadlines, notifications, privacy
from engine.core import clock
from engine.core.settings import get_settings
from workers import actors, email
from workers import broker as broker_setup

log = logging.getLogger(__name__)

LEASE_SECONDS = 30.0  # a claimed row is sent again after this long (TIAOJIE_DISPATCH_LEASE_SECONDS)
BATCH = 500
MESSAGE_IDS = 100  # most deadline ids in one message (one transaction of the worker)
SPREAD = 8  # a claim of at least this many rows of a stage goes out as at least this many messages


def _stamp(at: datetime) -> str:
    return at.strftime("%Y%m%dT%H%M%SZ")


def message_id(kind: str, row_id: int, stage: str, at: datetime) -> str:
    """A readable, deterministic Message-ID (no ':', which Redis key patterns and mail ids dislike)."""
    return f"{kind}-{row_id}-{stage}-{_stamp(at)}"


def batch_message_id(stage: str, ids: list[int], at: datetime) -> str:
    """Deterministic for the same rows and stage (no ':'): first id, count, a digest of all ids."""
    digest = hashlib.sha1(",".join(map(str, ids)).encode()).hexdigest()[:12]
    return f"deadlines-{ids[0]}-{len(ids)}-{digest}-{stage}-{_stamp(at)}"


def _message(actor, row_id, mid: str):
    return actor.message(row_id).copy(message_id=mid)


def chunks(items: list, size: int = MESSAGE_IDS, spread: int = SPREAD) -> list[list]:
    """``items`` in order, in even parts of at most ``size``, at least ``min(len, spread)`` parts."""
    n = len(items)
    k = max(-(-n // size), min(n, spread))
    return [items[i * n // k : (i + 1) * n // k] for i in range(k)]


# stage → (single-id actor name, batch actor name)
_ACTORS = {
    "warn": ("warn_deadline", "warn_deadlines"),
    "breach": ("fire_deadline", "fire_deadlines"),
    "leader": ("escalate_to_leader", "escalate_to_leaders"),
}


def _stage_messages(stage: str, rows: list[tuple[int, datetime]]) -> list:
    single, batch = (getattr(actors, name) for name in _ACTORS[stage])
    out = []
    for part in chunks(rows):
        if len(part) == 1:
            ((row_id, at),) = part
            out.append(_message(single, row_id, message_id("deadline", row_id, stage, at)))
        else:
            ids = [row_id for row_id, _ in part]
            out.append(_message(batch, ids, batch_message_id(stage, ids, max(at for _, at in part))))
    return out


def _deadline_messages(conn, now: datetime, lease_until: datetime, limit: int) -> tuple[list, int]:
    """The messages for what is due, and how many rows were claimed."""
    due = deadlines.claim_due(conn, now, lease_until, limit)
    out = [
        _message(actors.fire_deadline, row_id, message_id("deadline", row_id, "timer", at))
        for row_id, at in due.timers
    ]  # an engine step of its case: one message each
    for stage in ("warn", "breach", "leader"):
        out += _stage_messages(stage, getattr(due, stage))
    return out, due.claimed


def _outbox_messages(conn, now: datetime, limit: int) -> list:
    """Due outbox rows (the email side claims them with its own lease)."""
    return [
        _message(email.send_email, i, message_id("outbox", i, "send", now))
        for i in notifications.claim_due(conn, now, limit)
    ]


DIGEST_HOUR = 8  # Asia/Shanghai: the daily digest goes out from 08:00
_digest_done: set[str] = set()


def _maybe_digest(db: Database, now: datetime) -> int:
    """Once a day from 08:00 Shanghai, queue each user's digest (one per user per day, even when
    several dispatchers or restarts try: the outbox de-duplicates by user and date)."""
    local = now.astimezone(ZoneInfo("Asia/Shanghai"))
    day = local.date().isoformat()
    if local.hour < DIGEST_HOUR or day in _digest_done:
        return 0
    with db.begin() as conn:
        made = notifications.build_digests(conn, now)
    _digest_done.add(day)
    return made


def lease() -> float:
    """The dispatch lease of the settings (TIAOJIE_DISPATCH_LEASE_SECONDS, default LEASE_SECONDS)."""
    return get_settings().dispatch_lease_seconds


RETENTION_HOUR = 2  # Asia/Shanghai: closed cases past their retention period are anonymised from 02:00
_retention_done: set[str] = set()


def _maybe_retention(db: Database, now: datetime) -> dict | None:
    """Once a night from 02:00 Shanghai, anonymise the closed cases past their retention period (a second
    dispatcher finds nothing left to do: an anonymised case is recorded in ``case_retention``)."""
    local = now.astimezone(ZoneInfo("Asia/Shanghai"))
    day = local.date().isoformat()
    if local.hour < RETENTION_HOUR or day in _retention_done:
        return None
    with db.begin() as conn:
        report = privacy.retention.run(conn, now=now)
    _retention_done.add(day)
    if report["totals"]["cases"]:
        log.info("retention: anonymised %s closed cases (%s party rows, %s events, %s attachments)",
                 report["totals"]["cases"], report["totals"]["party_rows"], report["totals"]["events"],
                 report["totals"]["attachments"])
    return report


def tick(
    db: Database, now: datetime | None = None, *, lease_seconds: float | None = None, limit: int = BATCH
) -> int:
    """One pass: claim what is due at ``now``, commit, enqueue; returns the messages sent."""
    return _tick(db, now, lease_seconds or lease(), limit)[0]


def _tick(db: Database, now: datetime | None, lease_seconds: float, limit: int) -> tuple[int, int]:
    """(messages sent, deadline rows claimed)."""
    now = now or clock.now()
    try:
        _maybe_digest(db, now)
    except Exception:  # the digest must never stop deadlines
        log.exception("daily digest failed")
    try:
        _maybe_retention(db, now)
    except Exception:  # nor the retention run
        log.exception("retention run failed")
    with db.begin() as conn:
        messages, claimed = _deadline_messages(conn, now, now + timedelta(seconds=lease_seconds), limit)
        outbox = _outbox_messages(conn, now, limit)
    broker = broker_setup.ensure()
    sent = 0
    for m in messages + outbox:
        try:
            broker.enqueue(m)
            sent += 1
        except Exception as err:  # broker down: the lease runs out and the row is claimed again
            log.warning("could not enqueue %s: %s", m.message_id, err)
    return sent, max(claimed, len(outbox))


def run(
    db: Database,
    interval: float = 1.0,
    stop_event: threading.Event | None = None,
    *,
    lease_seconds: float | None = None,
    limit: int = BATCH,
) -> None:
    """Tick until ``stop_event`` is set; a full claim is followed at once by the next one."""
    stop_event = stop_event or threading.Event()
    lease_seconds = lease_seconds or lease()
    while not stop_event.is_set():
        try:
            claimed = _tick(db, None, lease_seconds, limit)[1]
        except Exception:
            log.exception("dispatcher tick failed")
            claimed = 0
        if claimed < limit:
            stop_event.wait(interval)
