"""Deliver outbox rows over SMTP: the ``send_email`` actor (queue "email") and one delivery attempt.

One attempt: take the row (a conditional update: one worker wins), compose, send, mark sent; each
in its own short transaction, the SMTP conversation outside any (engine.notifications.delivery).

Delivery is at least once: if the server accepted the message but marking it sent failed
(or the worker died, or a send outlived its lease), the row is due again once its lease
expires and is resent with the SAME Message-ID, so receiving mail systems can drop the copy.

The dispatcher claims due rows (``engine.notifications.claim_due``) in its transaction and sends one
``send_email`` message per id after commit; the lease keeps the next tick from sending them again.
"""

import logging
import threading
from contextlib import contextmanager

import dramatiq

from engine import Database, notifications
from engine.core import clock
from engine.core.settings import get_settings
from workers import actors

log = logging.getLogger("tiaojie.email")


def deliver(db: Database, outbox_id: int) -> str:
    """One delivery attempt; returns sent, retry, failed or skipped (not due, taken, or done)."""
    with db.begin() as conn:
        row = notifications.start_sending(conn, outbox_id, clock.now())
    if row is None:
        return "skipped"
    try:
        msg = notifications.compose(row)
    except Exception as err:  # a broken template or context: retrying cannot help
        log.exception("outbox %s: rendering %s failed", outbox_id, row.template)
        return _failed(db, outbox_id, f"render: {type(err).__name__}: {err}", permanent=True)
    try:
        with _renewing(db, outbox_id):
            notifications.send_message(msg)
    except notifications.SendFailed as err:
        log.warning("outbox %s: %s", outbox_id, err)
        return _failed(db, outbox_id, str(err), permanent=err.permanent)
    with db.begin() as conn:
        notifications.mark_sent(conn, outbox_id, clock.now())
    log.info("outbox %s sent (%s)", outbox_id, row.template)
    return "sent"


@contextmanager
def _renewing(db: Database, outbox_id: int):
    """Renew the row's send lease every third of it while the SMTP conversation runs: a live attempt
    keeps its row however slow the server, a dead worker's row is due again one lease later."""
    stop = threading.Event()
    every = max(get_settings().send_lease_seconds / 3, 0.1)

    def renew() -> None:
        while not stop.wait(every):
            try:
                with db.begin() as conn:
                    if not notifications.renew_sending(conn, outbox_id, clock.now()):
                        return
            except Exception as err:  # the database away: the send goes on, the lease may run out
                log.warning("outbox %s: renewing the lease failed: %s", outbox_id, err)

    thread = threading.Thread(target=renew, name=f"lease-outbox-{outbox_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(5)


def _failed(db: Database, outbox_id: int, error: str, permanent: bool) -> str:
    with db.begin() as conn:
        return notifications.mark_failed(conn, outbox_id, error, clock.now(), permanent=permanent)


@dramatiq.actor(queue_name="email", max_retries=3)
def send_email(outbox_id: int) -> None:
    """Deliver one outbox row (SMTP failures are retried through the row, not the broker)."""
    deliver(actors.database(), int(outbox_id))  # TIAOJIE_DATABASE_URL, or the embedded one
