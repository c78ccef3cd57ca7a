"""``tiaojie workers …``: the dispatcher loop, Dramatiq worker processes, and the SLA rules.

``workers.dispatcher`` is imported by the command that runs it, not here: importing it sets up the
Dramatiq broker, which the other commands do not need.
"""

import logging
import os
import signal
import threading
from decimal import Decimal

import typer

from cli.context import database
from engine import deadlines
from engine.core.errors import InvalidData
from workers import broker as broker_setup

app = typer.Typer(no_args_is_help=True, help="Deadline dispatcher, Dramatiq workers, SLA rules")
sla_app = typer.Typer(no_args_is_help=True, help="SLA and statutory rules")
app.add_typer(sla_app, name="sla")


@app.command("scheduler")
def scheduler(
    interval: float = typer.Option(1.0, help="seconds between ticks"),
    lease: float = typer.Option(
        None, help="seconds before an unfinished row is sent again (default TIAOJIE_DISPATCH_LEASE_SECONDS)"
    ),
):
    """Run the dispatcher: send due deadlines and emails to Redis (several may run at once)."""
    from workers import dispatcher

    logging.basicConfig(level=logging.INFO)
    broker = broker_setup.ensure()
    if type(broker).__name__ == "StubBroker":
        raise InvalidData(
            "TIAOJIE_REDIS_URL is not set (without Redis, `tiaojie serve` runs the workers embedded)"
        )
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    lease = lease or dispatcher.lease()
    typer.echo(f"dispatcher running (interval {interval}s, lease {lease}s)")
    try:
        dispatcher.run(database(), interval, stop, lease_seconds=lease)
    except KeyboardInterrupt:
        stop.set()


@app.command("worker")
def worker(
    processes: int = typer.Option(2, min=1, max=64),
    threads: int = typer.Option(4, min=1, max=64),
    queues: list[str] = typer.Option(["engine", "email"], help="queues to consume"),
):
    """Run worker child processes on Redis under a supervisor that replaces a child that dies."""
    from workers import supervisor

    if not os.environ.get("TIAOJIE_REDIS_URL"):
        raise InvalidData("TIAOJIE_REDIS_URL is not set")
    code = supervisor.main(processes, threads, queues, broker_setup.worker_environment(threads))
    raise typer.Exit(code)


@sla_app.command("list")
def sla_list():
    """Every rule: key, limit, clock, warning, escalation, active."""
    with database().begin() as conn:
        for r in deadlines.list_rules(conn):
            warn = (
                f"{r.warn_before_hours}h before"
                if r.warn_before_hours is not None
                else (f"at {r.warn_fraction or Decimal('0.8')}")
            )
            typer.echo(
                f"{r.key}\t{r.process_key}/{r.element_id}\t{deadlines.limit_text(r)}\twarn {warn}\t"
                f"escalate +{r.escalate_after_hours or 24}h\t{'active' if r.active else 'inactive'}\t{r.name}"
            )


@sla_app.command("set")
def sla_set(
    key: str,
    duration: str | None = typer.Option(
        None, help='number of clock units, or the office\'s way: "20 个工作日", "30 日", "48 小时", P30D'
    ),
    clock: str | None = typer.Option(None, help="natural | workdays | hours"),
    warn_fraction: float | None = typer.Option(None, min=0.01, max=0.99),
    warn_before_hours: int | None = typer.Option(None, min=0, max=8784),
    escalate_after_hours: int | None = typer.Option(None, min=1, max=720),
    active: bool | None = typer.Option(None, "--active/--inactive"),
    actor: str = typer.Option("cli", help="recorded as updated_by"),
    reason: str | None = typer.Option(None, help="why (kept in the rule's history)"),
):
    """Change a rule; options not given stay as they are (--duration "20 个工作日" sets the clock too). The rule's
    open deadlines move as the /sla-rules page previews; the change is kept in the rule's history."""
    values = {
        k: v
        for k, v in {
            "duration": duration,
            "clock": clock,
            "warn_before_hours": warn_before_hours,
            "escalate_after_hours": escalate_after_hours,
            "active": active,
        }.items()
        if v is not None
    }
    if warn_fraction is not None:
        values["warn_fraction"] = Decimal(str(round(warn_fraction, 3)))
    if not values:
        raise InvalidData("nothing to change (give --duration, --clock, …)")
    with database().begin() as conn:
        _, moved = deadlines.save_rule(conn, key, values, actor, reason)
    typer.echo(f"rule {key} updated; {len(moved)} open deadline(s) moved")


@sla_app.command("seed")
def sla_seed_cmd():
    """Add the built-in statutory and office rules that are missing (edits are kept)."""
    with database().begin() as conn:
        added = deadlines.seed_rules(conn)
        days = deadlines.seed_calendar(conn)
    typer.echo(f"{added} rules added")
    if days:
        typer.echo(f"{days} calendar days added")
