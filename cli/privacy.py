"""`tiaojie keys status|rotate|retire KEY`, `tiaojie privacy access-log`, `tiaojie retention run [--dry-run]`:
the data keys of personal data at rest, the log of who saw full ID numbers, the retention of closed cases."""

import json
from datetime import datetime
from pathlib import Path

import typer

from cli.context import database
from engine import privacy

keys_app = typer.Typer(no_args_is_help=True, help="Data keys of the encrypted ID numbers and phones")
privacy_app = typer.Typer(no_args_is_help=True, help="Personal data: who viewed or searched full ID numbers")
retention_app = typer.Typer(no_args_is_help=True, help="Retention: anonymise closed cases past their period")


def register(app: typer.Typer) -> None:
    app.add_typer(keys_app, name="keys")
    app.add_typer(privacy_app, name="privacy")
    app.add_typer(retention_app, name="retention")


def _json(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2, default=lambda o: o.isoformat() if isinstance(o, datetime)
                      else str(o))


@keys_app.command("status")
def keys_status():
    """The configured keys (current first) and how many party rows each encrypts."""
    with database().begin() as conn:
        s = privacy.keys.status(conn)
    typer.echo(f"keys from {s['source']}")
    for k in s["keys"]:
        typer.echo(f"  {k['id']}{' (current)' if k['current'] else ''}: {k['rows']} party rows")
    for k, n in s["unknown"].items():
        typer.echo(f"  {k} MISSING: {n} party rows cannot be decrypted", err=True)
    if s["unknown"]:
        raise typer.Exit(1)


@keys_app.command("rotate")
def keys_rotate():
    """A new current key (key file) and every stored value re-encrypted under the current key."""
    with database().begin() as conn:
        out = privacy.keys.rotate(conn)
    typer.echo(f"current key {out['current']}" + (" (new)" if out["added"] else "")
               + f"; {out['reencrypted']} party rows re-encrypted")


@keys_app.command("retire")
def keys_retire(key_id: str):
    """Drop an old key; refused while it is current or still encrypts any value."""
    with database().begin() as conn:
        out = privacy.keys.retire(conn, key_id)
    typer.echo(f"retired {out['retired']}" + (f": {out['note']}" if out.get("note") else ""))


@privacy_app.command("access-log")
def access_log(case: int = typer.Option(None, help="only this case id"),
               actor: str = typer.Option(None, help="only this user"),
               limit: int = typer.Option(100, min=1, max=10000), as_json: bool = typer.Option(False, "--json")):
    """Who viewed or searched full ID numbers and phones, newest first."""
    with database().begin() as conn:
        rows = privacy.access_log(conn, limit=limit, case_id=case, actor=actor)
    if as_json:
        typer.echo(_json(rows))
        return
    for r in rows:
        typer.echo(f"{r['at'].isoformat()}  {r['actor']}  {r['action']}  case {r['case_id'] or '-'}  "
                   f"{r['what']}  ({r['reason']})")


@retention_app.command("run")
def retention_run(dry_run: bool = typer.Option(False, "--dry-run", help="report only, change nothing"),
                  as_json: bool = typer.Option(False, "--json"),
                  out: Path = typer.Option(None, "--out", help="also write the JSON report to this file")):
    """Anonymise closed cases past their retention period (TIAOJIE_RETENTION_YEARS) and report what was removed."""
    with database().begin() as conn:
        report = privacy.retention.run(conn, dry_run=dry_run)
    if out is not None:
        out.write_text(_json(report))
    if as_json:
        typer.echo(_json(report))
        return
    t = report["totals"]
    verb = "would anonymise" if dry_run else "anonymised"
    typer.echo(f"{verb} {t['cases']} closed cases (periods {report['periods']})")
    for c in report["cases"]:
        typer.echo(f"  {c['case_number']}  {c['kind']} ({c['years']} y)  closed {c['closed_at'].date()}  "
                   f"parties {c['parties']}  events {c['events']}  fields {', '.join(c['fields']) or '-'}"
                   + ("" if dry_run else f"  party rows {c['party_rows']}  attachments {c['attachments']}"))
    if not dry_run:
        typer.echo(f"removed: {t['party_rows']} party rows, {t['events']} events scrubbed, "
                   f"{t['attachments']} attachments")
