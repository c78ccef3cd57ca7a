"""Email: outbox rows written with the events that cause them, daily digests, rendering, SMTP delivery.

What code outside ``engine.notifications`` may use; inside the engine, modules import the sibling modules directly.
"""

from engine.notifications.delivery import (
    claim_due,
    compose,
    get,
    mark_failed,
    mark_sent,
    renew_sending,
    start_sending,
)
from engine.notifications.digest import build_digests
from engine.notifications.outbox import enqueue
from engine.notifications.smtp import SendFailed
from engine.notifications.smtp import send as send_message

__all__ = [
    "SendFailed",
    "build_digests",
    "claim_due",
    "compose",
    "enqueue",
    "get",
    "mark_failed",
    "mark_sent",
    "renew_sending",
    "send_message",
    "start_sending",
]
