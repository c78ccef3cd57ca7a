"""`tiaojie ledger import|export|backfill` and `tiaojie report annual|period`."""

import sys
from pathlib import Path

import typer

from cli.context import database

ledger_app = typer.Typer(no_args_is_help=True, help="Case ledgers (台账): import and export")
report_app = typer.Typer(no_args_is_help=True, help="Reports")


def register(app: typer.Typer) -> None:
    app.add_typer(ledger_app, name="ledger")
    app.add_typer(report_app, name="report")



def _refuse(message: str):
    from engine.core.errors import InvalidData  # cli.main may run as __main__: its Refused is another class

    return InvalidData(message)


@ledger_app.command("import")
def ledger_import(file: Path, dry_run: bool = typer.Option(False, "--dry-run", help="validate and report only"),
                  user: str = typer.Option("cli", help="recorded on the imported events")):
    """Import a ledger (.xlsx or .csv, UTF-8 or GBK). Nothing is imported unless the whole file is clean."""
    from engine.ledger import import_file

    if not file.is_file():
        raise _refuse(f"no such file: {file}")

    def progress(done: int, total: int) -> None:
        width = 30
        filled = width * done // total if total else width
        sys.stderr.write(f"\r导入 [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    with database().begin() as conn:
        result = import_file(conn, file, dry_run=dry_run, actor=user, progress=progress)
    for w in result.warnings:
        typer.echo(f"warning: {w}", err=True)
    for u in result.unknown_terms:  # each distinct unknown wording once
        near = "、".join(u.nearest) or "-"
        typer.echo(f"{'error' if u.blocking else 'warning'}: unknown {u.column} {u.term!r} in {len(u.rows)} row(s) "
                   f"({', '.join(map(str, u.rows[:10]))}{' …' if len(u.rows) > 10 else ''}); nearest: {near}", err=True)
    if not result.ok:
        for p in result.problems:
            typer.echo(f"error: {p}", err=True)
        raise _refuse(f"{len(result.problems)} problem(s) in {file.name}; nothing imported")
    verb = "would import" if dry_run else "imported"
    typer.echo(f"{result.rows} rows: {verb} {result.imported}, already present {result.unchanged}")


@ledger_app.command("export")
def ledger_export(out: Path, year: int | None = typer.Option(None, help="cases accepted (受理) in this year"),
                  period: str | None = typer.Option(None, "--period", help="2026 | 2026Q4 | ytd"),
                  start: str | None = typer.Option(None, "--from", help="first day of 受理日期, YYYY-MM-DD (with --to)"),
                  end: str | None = typer.Option(None, "--to", help="last day of 受理日期, YYYY-MM-DD (with --from)")):
    """Write the cases accepted in a period (--year, --period, or --from … --to …) as a ledger with the import
    columns (round-trip safe): .xlsx, or .csv when OUT ends in .csv. Text is never written as a formula."""
    from engine.ledger import export_period
    from engine.reports import choose_period

    chosen = choose_period(period, start, end, year=year)  # exactly one way; a bad one is refused with the reason
    with database().begin() as conn:
        n = export_period(conn, chosen.start, chosen.end, out)
    typer.echo(f"{n} rows written to {out}")


@ledger_app.command("backfill")
def ledger_backfill(dry_run: bool = typer.Option(False, "--dry-run", help="print what would change, write nothing"),
                    batch: int = typer.Option(500, "--batch", min=1, help="cases per transaction")):
    """Fill the ledger columns of engine cases written before steps computed them (a second run fills 0)."""
    from engine.ledger import backfill

    def progress(checked: int, filled: int) -> None:
        typer.echo(f"回填 checked {checked}, {'would fill' if dry_run else 'filled'} {filled}", err=True)

    def show(case_number: str, changed: dict) -> None:
        typer.echo(f"{case_number}: " + ", ".join(f"{k}={v}" for k, v in changed.items()))

    result = backfill(database(), batch=batch, dry_run=dry_run, progress=progress,
                      on_change=show if dry_run else None)
    typer.echo(f"checked {result.checked}, {'would fill' if dry_run else 'filled'} {result.filled}")


def _write_report(report: dict, format: str, out: Path | None, what: str) -> None:
    from engine.reports import render_report

    body = render_report(report, format)
    if out is None:
        typer.echo(body.decode())
    else:
        out.write_bytes(body)
        typer.echo(f"{format} report of {what} written to {out}")
    if format != "json":  # the self-checks are beside the document, not in it
        failed = [ch for ch in report["checks"] if not ch["ok"]]
        typer.echo(f"self-checks: {len(report['checks']) - len(failed)} of {len(report['checks'])} passed", err=True)
        for ch in failed:
            typer.echo(f"  failed: {ch['name']}: {ch['detail']}", err=True)


def _check_format(format: str, out: Path | None) -> None:
    from engine.reports import FORMATS

    if format not in FORMATS:
        raise _refuse(f"unsupported format {format} ({', '.join(FORMATS)})")
    if format in ("xlsx", "pdf", "docx") and out is None:
        raise _refuse(f"--out FILE is needed for {format}")


@report_app.command("annual")
def report_annual(year: int = typer.Option(...), format: str = typer.Option("json", help="json | md | xlsx | pdf | docx"),
                  out: Path | None = typer.Option(None, "--out", help="write to this file (needed for xlsx and pdf)")):
    """The annual statistics report (年度报告) of YEAR."""
    from engine.reports import annual_report

    _check_format(format, out)
    with database().begin() as conn:
        report = annual_report(conn, year)
    _write_report(report, format, out, str(year))


@report_app.command("period")
def report_period(period: str | None = typer.Option(None, "--period", help="2026 | 2026Q4 | ytd (1 January to today)"),
                  start: str | None = typer.Option(None, "--from", help="first day counted, YYYY-MM-DD (with --to)"),
                  end: str | None = typer.Option(None, "--to", help="last day counted, YYYY-MM-DD (with --from)"),
                  format: str = typer.Option("json", help="json | md | xlsx | pdf | docx"),
                  out: Path | None = typer.Option(None, "--out", help="write to this file (needed for xlsx and pdf)")):
    """The statistics report of a period: a year, a quarter, the year to date, or --from … --to …."""
    from engine.reports import choose_period, report

    _check_format(format, out)
    chosen = choose_period(period, start, end)  # a bad period is refused with the reason
    with database().begin() as conn:
        result = report(conn, chosen.start, chosen.end)
    _write_report(result, format, out, chosen.label)
