"""The ``tiaojie`` command line. A refused command prints one line and exits non-zero."""

import json
import sys
from dataclasses import asdict
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import typer

from cli.context import database
from engine import people
from engine.core.errors import DefinitionRejected, EngineError, InvalidData

app = typer.Typer(add_completion=False, no_args_is_help=True, help="tiaojie 调解 workflow engine")
db_app = typer.Typer(no_args_is_help=True, help="Database schema")
process_app = typer.Typer(no_args_is_help=True, help="Process definitions")
case_app = typer.Typer(no_args_is_help=True, help="Cases")
task_app = typer.Typer(no_args_is_help=True, help="Task queues")
app.add_typer(db_app, name="db")
app.add_typer(process_app, name="process")
app.add_typer(case_app, name="case")
app.add_typer(task_app, name="task")
user_app = typer.Typer(no_args_is_help=True, help="Users, roles and communities")
app.add_typer(user_app, name="user")


def _register_worker_commands() -> None:
    """`tiaojie workers …` (dispatcher, Dramatiq workers, SLA rules) and `tiaojie mail …`."""
    from cli import workers as workers_cli
    from cli.mail import mail_app
    from cli.workers import app as workers_app

    app.add_typer(workers_app, name="workers")
    app.add_typer(mail_app, name="mail")
    # the short names the operations docs use: `tiaojie scheduler`, `tiaojie worker`
    app.command("scheduler", help="The deadline and email dispatcher (alias of `workers scheduler`).")(
        workers_cli.scheduler)
    app.command("worker", help="Dramatiq worker processes on Redis (alias of `workers worker`).")(workers_cli.worker)


_register_worker_commands()


def _register_documents_commands() -> None:
    """`tiaojie documents …` (a case's papers)."""
    from cli import documents as documents_cli

    documents_cli.register(app)


_register_documents_commands()


def _register_ledger_commands() -> None:
    """`tiaojie ledger …` (台账 import/export) and `tiaojie report …` (annual report)."""
    from cli import ledger as ledger_cli

    ledger_cli.register(app)


_register_ledger_commands()


def _register_calendar_commands() -> None:
    """`tiaojie calendar …` (the holiday calendar)."""
    from cli import calendar as calendar_cli

    calendar_cli.register(app)


_register_calendar_commands()


def _register_document_template_commands() -> None:
    """`tiaojie documents templates …` (document templates)."""
    from cli import document_templates as document_templates_cli

    document_templates_cli.register(app)


_register_document_template_commands()


def _register_privacy_commands() -> None:
    """`tiaojie keys …`, `tiaojie privacy …`, `tiaojie retention …` (personal data at rest)."""
    from cli import privacy as privacy_cli

    privacy_cli.register(app)


_register_privacy_commands()


def _register_files_commands() -> None:
    """`tiaojie files …` (case files, 卷宗)."""
    from cli import files as files_cli

    files_cli.register(app)


_register_files_commands()


class Refused(Exception):
    pass



def _json_arg(text: str) -> dict:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as err:
        raise Refused(f"--data is not valid JSON: {err.msg} at column {err.colno}") from None
    if not isinstance(value, dict):
        raise Refused("--data must be a JSON object")
    return value


SHANGHAI = ZoneInfo("Asia/Shanghai")


def _local(dt: datetime | None, fmt: str | None = None) -> str:
    """Times are stored in UTC and shown in Asia/Shanghai."""
    if dt is None:
        return "-"
    local = dt.astimezone(SHANGHAI)
    return local.strftime(fmt) if fmt else local.isoformat()


def _default(o):
    if isinstance(o, datetime):
        return _local(o)
    if isinstance(o, Decimal):
        return str(o)
    return str(o)


def _print_json(obj) -> None:
    typer.echo(json.dumps(obj, ensure_ascii=False, indent=2, default=_default))


@db_app.command("upgrade")
def db_upgrade():
    """Apply the schema migrations (Alembic) to TIAOJIE_DATABASE_URL."""
    database().upgrade()
    typer.echo("database is at the latest schema")


@process_app.command("deploy")
def process_deploy(files: list[Path], actor: str = typer.Option("cli", help="recorded as the deployer")):
    """Deploy BPMN/DMN/form files (or folders) as new versions; identical content keeps its version."""
    from engine.processes import deploy, load_dir

    bundle: dict[str, bytes] = {}
    for f in files:
        if f.is_dir():
            bundle.update(load_dir(f))
        elif f.is_file():
            bundle[f.name] = f.read_bytes()
        else:
            raise Refused(f"no such file: {f}")
    with database().begin() as conn:
        for d in deploy(conn, bundle, actor=actor):
            state = "new version" if d.is_new else "unchanged"
            typer.echo(f"{d.key}\tv{d.version}\t{state}\t{d.name}")


@process_app.command("list")
def process_list():
    """Latest version of every deployed process."""
    from engine.processes import list_processes

    with database().begin() as conn:
        for d in list_processes(conn):
            typer.echo(f"{d['key']}\tv{d['version']}\t{_local(d['created_at'], '%Y-%m-%d %H:%M')}\t{d['name']}")


@case_app.command("start")
def case_start(process: str, data: str = typer.Option("{}", help="case data as a JSON object"),
               user: str = typer.Option("cli", help="acting user"), version: int = typer.Option(None)):
    """Start a case of PROCESS (registered as at the window: a visit about an identical open matter is
    recorded on it as a repeat visit, no new case)."""
    from engine.cases import register_case

    with database().begin() as conn:  # an operator: any community; the intake task stays open for its group
        done = register_case(conn, process, _json_arg(data), user=None, actor=user, version=version)
    case = done.case
    typer.echo(f"{case.id}\t{case.case_number}\t{case.status}")
    if done.repeat_visit:
        typer.echo(f"  repeat visit recorded on the open matter (visit {done.visit_count})")
    for t in case.open_tasks:
        typer.echo(f"  task {t.id}\t{t.element_id}\t{t.name}\t{t.group or '-'}")


@case_app.command("show")
def case_show(case_id: int):
    """A case: business fields, open tasks and event log."""
    from engine import cases

    with database().begin() as conn:
        case = cases.get_case(conn, case_id)
        events = cases.case_events(conn, case_id)
    out = asdict(case)
    out["events"] = [{"at": e.at, "actor": e.actor, "kind": e.kind, "task": e.task_id} for e in events]
    _print_json(out)


@case_app.command("migrate")
def case_migrate(case_id: int, version: int = typer.Option(None, help="target version (default latest)"),
                 user: str = typer.Option("cli")):
    """Move a running case to another version of its process, if that is safe."""
    from engine.cases import migrate_case

    with database().begin() as conn:
        case = migrate_case(conn, case_id, version, actor=user)
    typer.echo(f"{case.case_number}\tnow on v{case.definition_version}")


@task_app.command("list")
def task_list(group: str = typer.Option(None), assignee: str = typer.Option(None),
              case: int = typer.Option(None), limit: int = typer.Option(50)):
    """Open tasks, earliest due first."""
    from engine.cases import list_tasks

    with database().begin() as conn:
        tasks = list_tasks(conn, group=group, assignee=assignee, case_id=case, limit=limit)
    for t in tasks:
        due = _local(t.due_at, "%Y-%m-%d %H:%M")
        typer.echo(f"{t.id}\t{t.case_number}\t{t.element_id}\t{t.name}\t{t.group or '-'}\t"
                   f"{t.assignee or '-'}\t{due}")


@task_app.command("claim")
def task_claim(task_id: str, user: str = typer.Option(..., help="who claims it")):
    from engine.tasks import claim_task

    with database().begin() as conn:  # an operator: no community or group rule
        t = claim_task(conn, None, task_id, actor=user)
    typer.echo(f"{t.id}\tclaimed by {t.assignee}")


@task_app.command("complete")
def task_complete(task_id: str, data: str = typer.Option("{}", help="form data as a JSON object"),
                  user: str = typer.Option("cli", help="acting user")):
    """Complete a task with form data (validated against its form)."""
    from engine.cases import complete_task

    with database().begin() as conn:
        case = complete_task(conn, task_id, _json_arg(data), actor=user)
    typer.echo(f"{case.case_number}\t{case.status}" + (f"\toutcome={case.outcome}" if case.outcome else ""))
    for t in case.open_tasks:
        typer.echo(f"  task {t.id}\t{t.element_id}\t{t.name}\t{t.group or '-'}")


@user_app.command("add")
def user_add(name: str, role: str = typer.Option(..., help="intake|mediator|lawyer|supervisor|leader|admin"),
             community: list[str] = typer.Option([], help="community (社区); repeat for several"),
             password: str = typer.Option(..., prompt=True, hide_input=True, confirmation_prompt=True),
             email: str = typer.Option(None), display_name: str = typer.Option(None),
             must_change: bool = typer.Option(False, "--must-change", help="must change the password at first login"),
             by: str = typer.Option("cli", help="who does it (for the audit)")):
    """Add a user (audited)."""
    with database().begin() as conn:
        people.create_user(conn, by, username=name, role=role, communities=community, email=email,
                           display_name=display_name, password=password, must_change=must_change)
    typer.echo(f"user {name} added ({role}; {', '.join(community) or 'all communities'})")


@user_app.command("passwd")
def user_passwd(name: str, password: str = typer.Option(..., prompt=True, hide_input=True,
                                                        confirmation_prompt=True)):
    """Set a user's password (ends their sessions)."""
    with database().begin() as conn:
        people.set_password(conn, name, password)
        people.audit_password_set(conn, "cli", name)
    typer.echo(f"password of {name} changed")


@user_app.command("unlock")
def user_unlock(name: str = typer.Argument(None, help="the account (user name as typed at login)"),
                address: str = typer.Option(None, "--address", help="an address (IP) instead of an account")):
    """Clear the failed logins of an account (or --address): it may log in again at once."""
    with database().begin() as conn:
        cleared = people.unlock_login(conn, username=name if address is None else None, address=address)
    typer.echo(f"{address or name}: {cleared} failed login(s) cleared")


@user_app.command("list")
def user_list():
    with database().begin() as conn:
        for u in people.list_people(conn):
            typer.echo(f"{u.username}\t{u.role}\t{', '.join(u.communities) or '*'}\t"
                       f"{'active' if u.active else 'inactive'}")


def _register_user_admin_commands() -> None:
    """`tiaojie user deactivate|activate|reset-password|set-role|set-communities|audit` (issue 17)."""
    from cli import users as users_cli

    users_cli.register(user_app)


_register_user_admin_commands()


@app.command("serve")
def serve(host: str = typer.Option("127.0.0.1"), port: int = typer.Option(8000, envvar="PORT"),
          workers: int = typer.Option(1, help="uvicorn worker processes (production: several)"),
          worker_timeout: float = typer.Option(30.0, help="with --workers: seconds a worker's event loop may stay "
                                                          "silent before it is killed and replaced")):
    """Run the HTTP service."""
    from engine.core.settings import get_settings

    stop = None
    if not get_settings().redis_url:
        if workers > 1:
            raise Refused("several workers need TIAOJIE_REDIS_URL (and `tiaojie workers scheduler` / `worker`)")
        from workers.embedded import start

        stop = start(database())  # embedded: dispatcher and an in-process Dramatiq worker
        typer.echo("embedded mode: deadlines and emails handled in this process")
    typer.echo(f"tiaojie serving on http://{host}:{port}/")
    try:
        from api.serve import run

        code = run(host, port, workers, worker_timeout=worker_timeout)
    finally:
        if stop is not None:
            stop()
    if code:
        raise typer.Exit(code)


@app.command("demo")
def demo(bpmn_dir: Path = typer.Option(Path("bpmn"))):
    """Migrate, deploy the process set and load demo cases (idempotent)."""
    from cli.demo import load_demo

    db = database()
    db.upgrade()
    for line in load_demo(db, bpmn_dir):
        typer.echo(line)
    typer.echo(f"demo ready (database {db.url})")


def main() -> None:
    try:
        app(standalone_mode=False)
    except typer.Exit as e:
        sys.exit(e.exit_code)
    except (typer.Abort, KeyboardInterrupt):
        sys.exit(130)
    except DefinitionRejected as err:
        typer.echo(f"refused: {err}", err=True)
        for p in err.problems[1:]:
            typer.echo(f"  also: {p}", err=True)
        sys.exit(1)
    except InvalidData as err:
        typer.echo(f"refused: {err}", err=True)
        sys.exit(1)
    except (EngineError, Refused) as err:
        typer.echo(f"refused: {err}", err=True)
        sys.exit(1)
    except Exception as err:  # click usage errors and the unexpected: one line, not a traceback
        import click

        if isinstance(err, click.ClickException):
            typer.echo(f"error: {err.format_message()}", err=True)
            sys.exit(err.exit_code)
        typer.echo(f"error: {type(err).__name__}: {err}", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
