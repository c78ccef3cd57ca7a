"""Emails as outbox rows, written in the transaction of the event that causes them.

``enqueue`` is idempotent by ``dedupe_key``: the same cause twice is one row, one email.
Personal data is masked before it is stored; the sender (``workers/email.py``) renders and
delivers the row later, with the Message-ID fixed here, so a resend can be recognised.
"""

import hashlib
import json
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Connection

from engine.core.logmask import mask_text
from engine.core.settings import get_settings
from engine.store import outbox as store

TEMPLATES = ("deadline_warning", "deadline_breached", "escalation_supervisor", "escalation_leader",
             "daily_digest", "test_message", "early_warning")


def message_id(dedupe_key: str) -> str:
    """A stable RFC 5322 Message-ID for the row of ``dedupe_key`` (no ':' in it)."""
    digest = hashlib.sha256(dedupe_key.encode()).hexdigest()[:32]
    return f"<tiaojie.{digest}@{get_settings().mail_domain or 'tiaojie.local'}>"


def _plain(value):
    """JSON-ready copy of a context with every string masked (no full ID or phone at rest)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if value is None or isinstance(value, bool | int | float):
        return value
    return mask_text(str(value))


def enqueue(conn: Connection, *, dedupe_key: str, template: str, context: dict, to_user: str | None = None,
            to_address: str | None = None, case_id: int | None = None, at: datetime) -> int | None:
    """Write one pending email; None when the user cannot receive it or the key was used already."""
    if template not in TEMPLATES:
        raise ValueError(f"unknown email template {template!r}")
    if not dedupe_key or len(dedupe_key) > 200:
        raise ValueError("dedupe_key must be 1 to 200 characters")
    locale = "zh-CN"
    if to_user is not None:
        user = store.recipient(conn, to_user)
        if user is None or not user.active or not user.email:
            return None
        to_address, locale = user.email, user.locale or "zh-CN"
    if not to_address:
        raise ValueError("enqueue needs to_user or to_address")
    ctx = _plain(context)
    json.dumps(ctx)  # fail here, in the caller's transaction, not in the sender
    return store.insert(conn, {"dedupe_key": dedupe_key, "case_id": case_id, "to_user": to_user,
                               "to_address": to_address, "locale": locale, "template": template,
                               "context": ctx, "message_id": message_id(dedupe_key), "created_at": at})


def recipients(conn: Connection, role: str | None = None, community: str | None = None,
               usernames: list[str] | None = None) -> list[str]:
    """Usernames of active users with an email (by role, community served, names).

    A user serves a community when it is one of theirs, or when their role sees every
    community (supervisor, leader, admin) and they list none.
    """
    return store.recipients(conn, role, community, usernames)
