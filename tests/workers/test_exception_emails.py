"""异常 (issue 17) with a real SMTP server: an email that failed for good is sent once after 重新发送, and a dropped
one is never sent."""

from datetime import timedelta

import dramatiq
import time_machine
from dramatiq.brokers.stub import StubBroker

from engine import cases, notifications
from engine.core.types import User
from tests.helpers.notifications import T0, enqueue, row

if dramatiq.broker.global_broker is None:  # the actor needs a broker to be declared on
    dramatiq.set_broker(StubBroker())
from workers import email as sender  # noqa: E402

SUPERVISOR = User(5, "erin", "supervisor")


def failed_for_good(db, server, key: str) -> int:
    oid = enqueue(db, key=key, to_user=None, to_address="x@example.org", template="test_message")
    server.stop()
    with time_machine.travel(T0, tick=False):
        assert sender.deliver(db, oid) == "retry"
    with time_machine.travel(T0 + timedelta(seconds=30), tick=False):
        assert sender.deliver(db, oid) == "failed"
    server.start()
    return oid


def test_a_failed_email_sent_again_is_delivered_once_and_a_dropped_one_never(db, server, mail_settings):
    mail_settings(server.port, MAIL_MAX_ATTEMPTS="2")
    again, dropped = failed_for_good(db, server, "again"), failed_for_good(db, server, "dropped")
    later = T0 + timedelta(minutes=5)
    with time_machine.travel(later, tick=True):
        with db.begin() as conn:
            assert {e["id"] for e in cases.exceptions_overview(conn, SUPERVISOR)["emails"]} == {again, dropped}
            cases.retry_email(conn, SUPERVISOR, again)
            cases.drop_email(conn, SUPERVISOR, dropped, "收件地址已停用")
        with db.begin() as conn:
            assert notifications.claim_due(conn, later + timedelta(seconds=1), 10) == [again]
        assert sender.deliver(db, again) == "sent"
        assert sender.deliver(db, dropped) == "skipped"
    assert len(server.messages) == 1 and server.messages[0]["To"] == "x@example.org"
    assert row(db, again).status == "sent" and row(db, dropped).status == "dropped"
