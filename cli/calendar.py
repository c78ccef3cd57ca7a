"""`tiaojie calendar import FILE | set DATE rest|work|normal [--name] | show YEAR | status | seed`: the official
holiday calendar (国务院办公厅's notice of each year) kept by an admin.

FILE is CSV (``date,kind,name`` a line, e.g. ``2027-01-01,rest,元旦``; ``work`` is a 调休 Saturday/Sunday
worked) or JSON (``{"year": 2027, "source": "国办发明电〔2026〕X号", "days": [{"date": …, "kind": …,
"name": …}]}``). Importing replaces that year and marks it confirmed; the open deadlines counted over it
are recomputed (each on its case's timeline).
"""

from datetime import date
from pathlib import Path

import typer

from cli.context import database
from engine import deadlines
from engine.core.errors import InvalidData

calendar_app = typer.Typer(no_args_is_help=True, help="The holiday calendar (节假日安排)")
KIND_NAMES = {"rest": "休", "work": "班"}
WEEKDAYS = "一二三四五六日"


def register(app: typer.Typer) -> None:
    app.add_typer(calendar_app, name="calendar")


@calendar_app.command("import")
def calendar_import(file: Path, source: str = typer.Option(None, help="the notice, e.g. 国办发明电〔2026〕X号"),
                    user: str = typer.Option("cli", help="recorded as who entered it")):
    """Enter a year's calendar from FILE (CSV or JSON); the year becomes confirmed."""
    if not file.is_file():
        raise InvalidData(f"no such file: {file}")
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidData(f"{file}: not UTF-8 text") from None
    with database().begin() as conn:
        out = deadlines.import_calendar(conn, text, actor=user, source=source)
    typer.echo(f"{out['year']} 年节假日安排已录入：休息日 {out['rest_days']} 天，调休上班 {out['work_days']} 天；"
               f"重算期限 {out['recomputed']} 条")


@calendar_app.command("set")
def calendar_set(day: str = typer.Argument(..., metavar="DATE", help="YYYY-MM-DD"),
                 kind: str = typer.Argument(..., metavar="rest|work|normal"),
                 name: str = typer.Option(None, "--name", help="e.g. 元旦"),
                 user: str = typer.Option("cli", help="recorded as who changed it")):
    """Set one day: rest (休), work (班, a 调休 Saturday/Sunday) or normal (Monday–Friday again)."""
    try:
        d = date.fromisoformat(day)
    except ValueError:
        raise InvalidData(f"DATE {day!r} is not YYYY-MM-DD") from None
    with database().begin() as conn:
        out = deadlines.set_calendar_day(conn, d, kind, actor=user, name=name)
    note = "" if out["year_confirmed"] else f"（{d.year} 年仍未确认：请导入全年安排）"
    typer.echo(f"{d} 设为 {kind}；重算期限 {out['recomputed']} 条{note}")


@calendar_app.command("show")
def calendar_show(year: int):
    """A year's rest days and 调休 working days, and whether the year is confirmed."""
    with database().begin() as conn:
        out = deadlines.show_calendar_year(conn, year)
    state = "已确认" if out["confirmed"] else "未确认（按周一至周五暂算）"
    typer.echo(f"{year} 年：{state}" + (f"；来源：{out['source']}" if out["source"] else ""))
    for d in out["days"]:
        typer.echo(f"{d['date']}\t周{WEEKDAYS[d['date'].weekday()]}\t{d['kind']}\t{KIND_NAMES[d['kind']]}"
                   f"\t{d['name'] or ''}")


@calendar_app.command("status")
def calendar_status():
    """Which years are confirmed; the banner supervisors see, if any."""
    with database().begin() as conn:
        out = deadlines.calendar_status(conn)
    years = out["confirmed_years"]
    typer.echo(f"已确认年份：{years[0]}–{years[-1]}" if years else "已确认年份：无")
    typer.echo(f"日历未确认的进行中期限：{out['unconfirmed_deadlines']} 条")
    if out["banner"]:
        typer.echo(out["banner"])


@calendar_app.command("seed")
def calendar_seed():
    """Add the packaged calendar's years the database does not have (entered years are kept)."""
    with database().begin() as conn:
        added = deadlines.seed_calendar(conn)
    typer.echo(f"{added} calendar days added")
