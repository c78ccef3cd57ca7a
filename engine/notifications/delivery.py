"""Delivery of outbox rows, step by step: claim the due rows, take one for an attempt, compose the message,
record the outcome. The caller sends it over SMTP between two transactions (``workers/email.py``).

A failed attempt puts the row back to pending after a backoff (30 s, 2 min, 10 min, 1 h, …) or marks
it failed after TIAOJIE_MAIL_MAX_ATTEMPTS (at once when retrying cannot help). A sent row is never
taken again; a row whose attempt outlived its lease is due again, with the same Message-ID.
"""

from datetime import datetime, timedelta
from email.message import EmailMessage

from sqlalchemy import Connection

from engine.core.settings import get_settings
from engine.notifications import render, smtp
from engine.store import outbox as store


def send_lease() -> timedelta:
    """How long one attempt holds its row (TIAOJIE_SEND_LEASE_SECONDS); the worker renews it while the
    attempt runs (``renew_sending``), so it runs out this long after the worker died."""
    return timedelta(seconds=get_settings().send_lease_seconds)


def dispatch_lease() -> timedelta:
    """A queued message not taken by then is queued again (TIAOJIE_DISPATCH_LEASE_SECONDS)."""
    return timedelta(seconds=get_settings().dispatch_lease_seconds)


def claim_due(conn: Connection, now: datetime, limit: int = 500) -> list[int]:
    """Ids of due outbox rows, leased for the dispatch lease (concurrent dispatchers skip each other's)."""
    return store.claim_due(conn, now, now + dispatch_lease(), limit)


def get(conn: Connection, outbox_id: int):
    """The outbox row (status, attempts, last_error, message_id, …), or None."""
    return store.get(conn, outbox_id)


def start_sending(conn: Connection, outbox_id: int, now: datetime):
    """Take the row for one attempt (leased for the send lease); None when it is not due, taken or done."""
    return store.start_sending(conn, outbox_id, now, now + send_lease())


def renew_sending(conn: Connection, outbox_id: int, now: datetime) -> bool:
    """Extend the lease of an attempt still running; False when the row is no longer being sent."""
    return store.renew_sending(conn, outbox_id, now + send_lease())


def compose(row) -> EmailMessage:
    """The message of a taken row: its template rendered in the recipient's language, its fixed Message-ID."""
    mail = render.render(row.template, row.context, row.locale)
    return smtp.build(
        to=row.to_address, subject=mail.subject, text=mail.text, html=mail.html, message_id=row.message_id
    )


def mark_sent(conn: Connection, outbox_id: int, at: datetime) -> None:
    store.mark_sent(conn, outbox_id, at)


def mark_failed(conn: Connection, outbox_id: int, error: str, at: datetime, *, permanent: bool) -> str:
    """Count a failed attempt; returns retry (pending again after its backoff) or failed."""
    status = store.mark_failed(
        conn, outbox_id, error, at, max_attempts=get_settings().mail_max_attempts, permanent=permanent
    )
    return "retry" if status == "pending" else status
