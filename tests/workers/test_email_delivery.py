"""Outbox → SMTP against a real SMTP server (aiosmtpd on 127.0.0.1): once, masked, retried, TLS."""

from datetime import timedelta

import dramatiq
import pytest
import time_machine
from dramatiq.brokers.stub import StubBroker

from engine import notifications
from engine.core.settings import get_settings
from engine.notifications import digest, smtp
from tests.helpers.notifications import (
    ID_NUMBER,
    PHONE,
    T0,
    add_case,
    add_task,
    add_user,
    enqueue,
    row,
    warning_context,
)
from tests.helpers.smtp import Collector, SmtpServer

if dramatiq.broker.global_broker is None:  # the actor needs a broker to be declared on
    dramatiq.set_broker(StubBroker())
from workers import email as sender  # noqa: E402


def _plain(msg) -> str:
    return msg.get_body(preferencelist=("plain",)).get_content()


def _html(msg) -> str:
    return msg.get_body(preferencelist=("html",)).get_content()


def test_enqueue_then_deliver_sends_exactly_one_chinese_email_with_masked_data(db, server):
    add_user(db, "mediator1")
    case_id = add_case(db)
    ctx = warning_context(case_id, task_name=f"调解（申请人身份证 {ID_NUMBER}，电话 {PHONE}）")
    oid = enqueue(db, context=ctx, case_id=case_id)
    assert enqueue(db, context=ctx, case_id=case_id) is None  # the same cause again: no second row
    with time_machine.travel(T0, tick=True):
        assert sender.deliver(db, oid) == "sent"
        assert sender.deliver(db, oid) == "skipped"  # a sent row is never sent again
    assert len(server.messages) == 1
    msg = server.messages[0]
    r = row(db, oid)
    assert (r.status, r.attempts) == ("sent", 1) and r.sent_at is not None
    assert msg["Message-ID"] == r.message_id and msg["To"] == "mediator1@example.org"
    assert msg["Subject"] == "【临期提醒】福田调〔2026〕0007号「人民调解期限」剩余 2天3小时"
    for body in (_plain(msg), _html(msg)):
        assert f"/cases/{case_id}" in body and "剩余 2天3小时" in body
        assert ID_NUMBER not in body and PHONE not in body and "440304********1234" in body
    assert ID_NUMBER not in msg.as_string()


def test_english_for_a_user_who_prefers_it(db, server):
    add_user(db, "mediator1", locale="en")
    case_id = add_case(db)
    oid = enqueue(
        db,
        template="deadline_breached",
        case_id=case_id,
        context=warning_context(case_id, seconds_left=None, seconds_late=5 * 3600),
    )
    with time_machine.travel(T0, tick=True):
        assert sender.deliver(db, oid) == "sent"
    (msg,) = server.messages
    assert msg["Subject"] == '[Overdue] 福田调〔2026〕0007号 "人民调解期限": 5 hours late'
    assert "Open the case" in _plain(msg)


def test_server_down_waits_with_backoff_then_sends_exactly_once(db, server):
    add_user(db, "mediator1")
    case_id = add_case(db)
    oid = enqueue(db, context=warning_context(case_id), case_id=case_id)
    server.stop()
    with time_machine.travel(T0, tick=False):
        assert sender.deliver(db, oid) == "retry"
    r = row(db, oid)
    assert (r.status, r.attempts) == ("pending", 1) and r.next_attempt_at == T0 + timedelta(seconds=30)
    assert "SMTP 127.0.0.1" in r.last_error
    server.start()
    with time_machine.travel(T0 + timedelta(seconds=10), tick=False):
        assert sender.deliver(db, oid) == "skipped"  # its backoff has not run out
        with db.begin() as conn:
            assert notifications.claim_due(conn, T0 + timedelta(seconds=10), 10) == []
    assert server.messages == []
    later = T0 + timedelta(seconds=31)
    with time_machine.travel(later, tick=True):
        with db.begin() as conn:
            assert notifications.claim_due(conn, later, 10) == [oid]
        assert sender.deliver(db, oid) == "sent"
        assert sender.deliver(db, oid) == "skipped"
    assert len(server.messages) == 1 and row(db, oid).status == "sent"


def test_gives_up_after_the_configured_attempts(db, server, mail_settings):
    mail_settings(server.port, MAIL_MAX_ATTEMPTS="2")
    server.stop()
    oid = enqueue(db, to_user=None, to_address="x@example.org", template="test_message")
    with time_machine.travel(T0, tick=False):
        assert sender.deliver(db, oid) == "retry"
    with time_machine.travel(T0 + timedelta(seconds=30), tick=False):
        assert sender.deliver(db, oid) == "failed"
    assert row(db, oid).status == "failed"


def test_starttls_refused_by_a_plain_server_is_a_clear_retry(db, server, mail_settings):
    mail_settings(server.port, security="starttls")
    oid = enqueue(db, to_user=None, to_address="x@example.org", template="test_message")
    with time_machine.travel(T0, tick=False):
        assert sender.deliver(db, oid) == "retry"
    r = row(db, oid)
    assert r.status == "pending" and "STARTTLS" in r.last_error and "does not offer it" in r.last_error
    assert server.messages == []


@pytest.mark.parametrize("security", ["ssl", "starttls"])
def test_tls_modes_deliver_and_check_the_certificate(db, mail_settings, certificate, security):
    cert, ctx = certificate
    tls_server = SmtpServer(
        **({"ssl_context": ctx} if security == "ssl" else {"tls_context": ctx, "require_starttls": True})
    )
    tls_server.start()
    try:
        mail_settings(tls_server.port, security=security)  # the certificate is not trusted yet
        first = enqueue(db, "a", to_user=None, to_address="x@example.org", template="test_message")
        with time_machine.travel(T0, tick=True):
            assert sender.deliver(db, first) == "retry"
        assert "TLS" in row(db, first).last_error and "CERTIFICATE_VERIFY_FAILED" in row(db, first).last_error
        mail_settings(tls_server.port, security=security, SMTP_CA_FILE=str(cert))
        second = enqueue(db, "b", to_user=None, to_address="x@example.org", template="test_message")
        with time_machine.travel(T0, tick=True):
            assert sender.deliver(db, second) == "sent"
        assert [m["Message-ID"] for m in tls_server.messages] == [row(db, second).message_id]
    finally:
        tls_server.stop()


def test_refused_recipient_is_a_permanent_failure(db, mail_settings):
    class Refuser(Collector):
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            return "550 no such user"

    s = SmtpServer()
    s.handler = Refuser()
    s.start()
    try:
        mail_settings(s.port)
        oid = enqueue(db, to_user=None, to_address="nobody@example.org", template="test_message")
        with time_machine.travel(T0, tick=True):
            assert sender.deliver(db, oid) == "failed"
        assert "550" in row(db, oid).last_error
    finally:
        s.stop()


def test_digest_is_delivered_once_with_links(db, server):
    add_user(db, "m1", "mediator", ["福田社区"])
    case_id = add_case(db, "福田社区")
    add_task(db, case_id, "调解", "mediator", due_at=T0 - timedelta(hours=5))
    with db.begin() as conn:
        assert digest.build_digests(conn, T0) == 1
        assert digest.build_digests(conn, T0 + timedelta(hours=1)) == 0
        ids = notifications.claim_due(conn, T0 + timedelta(hours=1), 10)
    with time_machine.travel(T0 + timedelta(hours=1), tick=True):
        assert [sender.deliver(db, i) for i in ids] == ["sent"]
    (msg,) = server.messages
    assert msg["Subject"].startswith("【每日待办】2026-03-02：1 件已超期")
    assert f"/cases/{case_id}" in _plain(msg) and "已超期 5小时" in _plain(msg)


def test_the_actor_is_on_the_email_queue_and_delivers(db, server):
    from workers import actors

    assert sender.send_email.queue_name == "email"
    oid = enqueue(db, to_user=None, to_address="x@example.org", template="test_message")
    actors.use_database(db)
    try:
        with time_machine.travel(T0, tick=True):
            sender.send_email(oid)
            sender.send_email(oid)
    finally:
        actors.use_database(None)
    assert len(server.messages) == 1


def test_message_ids_are_valid_and_colon_free():
    msg = smtp.build(
        to="a@example.org", subject="测试", text="t", html="<p>t</p>", message_id="<tiaojie.ab@x.y>"
    )
    assert msg["Message-ID"] == "<tiaojie.ab@x.y>" and ":" not in msg["Message-ID"]


def test_cli_sends_a_test_email_and_flushes_due_rows(db, server, monkeypatch):
    from typer.testing import CliRunner

    from cli.mail import mail_app

    monkeypatch.setenv("TIAOJIE_DATABASE_URL", db.url)
    get_settings.cache_clear()
    runner = CliRunner()
    result = runner.invoke(mail_app, ["test", "ops@example.org"])
    assert result.exit_code == 0, result.output
    assert "sent to ops@example.org" in result.output
    enqueue(db, "due", to_user=None, to_address="x@example.org", template="test_message")
    result = runner.invoke(mail_app, ["flush"])
    assert result.exit_code == 0 and result.output.strip() == "sent 1"
    assert [m["To"] for m in server.messages] == ["ops@example.org", "x@example.org"]
    assert server.messages[0]["Subject"] == "【测试邮件】调解平台邮件发送正常"
