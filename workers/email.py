"""Deliver outbox rows over SMTP: the ``send_email`` actor (queue "email") and its logic.

One attempt: take the row (a conditional update: one worker wins), render, send, mark sent.
A failed send puts the row back to pending after a backoff (30 s, 2 min, 10 min, 1 h, …)
or marks it failed after TIAOJIE_MAIL_MAX_ATTEMPTS. A sent row is never sent again.

Delivery is at least once: if the server accepted the message but marking it sent failed
(or the worker died, or a send outlived its lease), the row is due again once its lease
expires and is resent with the SAME Message-ID, so receiving mail systems can drop the copy.

The dispatcher calls ``due_outbox_ids`` in its transaction and sends one ``send_email``
message per id after commit; the lease keeps the next tick from sending them again.
"""

import logging
from datetime import datetime, timedelta

import dramatiq
from sqlalchemy import Connection

from engine import Database
from engine.core import clock
from engine.core.settings import get_settings
from engine.notifications import render, smtp
from engine.store import outbox as store

log = logging.getLogger("tiaojie.email")
SEND_LEASE = timedelta(minutes=10)  # well above the SMTP timeouts of one attempt
DISPATCH_LEASE = timedelta(minutes=5)  # a queued message not taken by then is queued again



def due_outbox_ids(conn: Connection, now: datetime, limit: int = 500) -> list[int]:
    """Claim due outbox rows (leased for DISPATCH_LEASE) for the dispatcher to queue."""
    return store.claim_due(conn, now, now + DISPATCH_LEASE, limit)


def deliver(db: Database, outbox_id: int) -> str:
    """One delivery attempt; returns sent, retry, failed or skipped (not due, taken, or done)."""
    now = clock.now()
    with db.begin() as conn:
        row = store.start_sending(conn, outbox_id, now, now + SEND_LEASE)
    if row is None:
        return "skipped"
    try:
        mail = render.render(row.template, row.context, row.locale)
        msg = smtp.build(to=row.to_address, subject=mail.subject, text=mail.text, html=mail.html,
                         message_id=row.message_id)
    except Exception as err:  # a broken template or context: retrying cannot help
        log.exception("outbox %s: rendering %s failed", outbox_id, row.template)
        return _failed(db, outbox_id, f"render: {type(err).__name__}: {err}", permanent=True)
    try:
        smtp.send(msg)
    except smtp.SendFailed as err:
        log.warning("outbox %s: %s", outbox_id, err)
        return _failed(db, outbox_id, str(err), permanent=err.permanent)
    with db.begin() as conn:
        store.mark_sent(conn, outbox_id, clock.now())
    log.info("outbox %s sent (%s)", outbox_id, row.template)
    return "sent"


def _failed(db: Database, outbox_id: int, error: str, permanent: bool) -> str:
    with db.begin() as conn:
        status = store.mark_failed(conn, outbox_id, error, clock.now(), max_attempts=get_settings().mail_max_attempts,
                                   permanent=permanent)
    return "retry" if status == "pending" else status


def _database() -> Database:
    """The workers' database (workers.actors: TIAOJIE_DATABASE_URL, or the embedded one)."""
    from workers import actors

    return actors.database()


@dramatiq.actor(queue_name="email", max_retries=3)
def send_email(outbox_id: int) -> None:
    """Deliver one outbox row (SMTP failures are retried through the row, not the broker)."""
    deliver(_database(), int(outbox_id))
