"""``tiaojie mail …``: send a test email, build today's digests, deliver what is due now.

Registered in cli/main.py with ``app.add_typer(mail_app, name="mail")``. ``workers.email`` is imported by
the commands that deliver, not here: importing it sets up the Dramatiq broker, which other commands do not need.
"""

import uuid

import typer

from cli.context import database
from engine import notifications
from engine.core import clock
from engine.core.errors import InvalidData

mail_app = typer.Typer(no_args_is_help=True, help="Email: test the SMTP settings, daily digests, the outbox")


@mail_app.command("test")
def test(to: str = typer.Argument(..., help="address to send to")) -> None:
    """Send a test email through the outbox and SMTP now; prints the outcome."""
    from workers import email

    if "@" not in to:
        raise InvalidData(f"not an email address: {to}", {"to": "invalid"})
    db = database()
    with db.begin() as conn:
        oid = notifications.enqueue(
            conn,
            dedupe_key=f"test-{uuid.uuid4().hex}",
            template="test_message",
            context={},
            to_address=to,
            at=clock.now(),
        )
    outcome = email.deliver(db, oid)
    with db.begin() as conn:
        row = notifications.get(conn, oid)
    if outcome != "sent":
        raise InvalidData(f"test email not sent ({outcome}): {row.last_error}", {"smtp": "failed"})
    typer.echo(f"sent to {to} (outbox {oid}, Message-ID {row.message_id})")


@mail_app.command("digest")
def digest() -> None:
    """Write today's daily digests (once per user per day; the workers send them)."""
    with database().begin() as conn:
        n = notifications.build_digests(conn, clock.now())
    typer.echo(f"{n} digest(s) queued")


@mail_app.command("flush")
def flush(limit: int = typer.Option(500, help="most rows to try")) -> None:
    """Deliver due outbox rows now, in this process (no workers needed)."""
    from workers import email

    db = database()
    with db.begin() as conn:
        ids = notifications.claim_due(conn, clock.now(), limit)
    outcomes: dict[str, int] = {}
    for oid in ids:
        outcome = email.deliver(db, oid)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    typer.echo(", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())) or "nothing due")
