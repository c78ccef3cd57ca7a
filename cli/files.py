"""`tiaojie files file|show|reopen|pdf|archive`: the case file (卷宗) of a closed case, as a supervisor does it.

Every command acts as a user (``--as``, whose role and communities apply as in the web UI) on a case named by its
number (案号).
"""

from pathlib import Path

import typer

from cli.context import database
from engine import documents, people
from engine.core.errors import NotFound
from engine.core.types import User

files_app = typer.Typer(no_args_is_help=True, help="Case files (卷宗): file, reopen, the whole-file PDF, the archive")


def register(app: typer.Typer) -> None:
    app.add_typer(files_app, name="files")


def _user(conn, username: str) -> User:
    person = people.find_person(conn, username)
    if person is None or not person.active:
        raise NotFound(f"no active user {username}")
    return User(person.id, person.username, person.role, list(person.communities or []), person.display_name)


def _show(view: dict) -> None:
    typer.echo(f"{view['file_number']}\t{view['case_number']}\t{view['status']}\t保管期限 {view['retention_label']}"
               + (f" ({view['retention_years']} 年)" if view["retention_years"] else "")
               + (f"\t{view['pages']} 页" if view.get("pages") else ""))
    for c in view["contents"]:
        pages = (f"{c['first_page']}-{c['last_page']}" if c.get("first_page") else "-")
        typer.echo(f"  {c['seq']:>3}  {c['title']}  {c.get('number') or ''}  {pages}")
    for h in view["history"]:
        typer.echo(f"  {h['at'].isoformat()}  {h['kind']}  {h['by']}" + (f"  ({h['reason']})" if h["reason"] else ""))


AS = typer.Option(..., "--as", help="the user acting (a supervisor to file or reopen)")


@files_app.command("file")
def file_case(case_number: str, as_user: str = AS):
    """File (立卷归档) a closed case: its number, retention and 卷内目录; the case becomes read-only."""
    with database().begin() as conn:
        view = documents.file_case(conn, _user(conn, as_user), documents.case_id_of(conn, case_number))
    _show(view)


@files_app.command("show")
def show(case_number: str, as_user: str = AS):
    """The case's file: number, retention, 卷内目录 and history."""
    with database().begin() as conn:
        view = documents.case_file(conn, _user(conn, as_user), documents.case_id_of(conn, case_number))
    _show(view)


@files_app.command("reopen")
def reopen(case_number: str, reason: str = typer.Option(..., "--reason", help="why (recorded)"), as_user: str = AS):
    """Reopen (重新开卷) a filed case with a reason; filing it again keeps its number."""
    with database().begin() as conn:
        view = documents.reopen_case(conn, _user(conn, as_user), documents.case_id_of(conn, case_number), reason)
    _show(view)


@files_app.command("pdf")
def pdf(case_number: str, out: Path = typer.Option(..., "-o", "--out", help="the PDF file to write"),
        as_user: str = AS):
    """The whole file as one PDF: cover, 卷内目录, papers, back page, numbered pages."""
    with database().begin() as conn:
        data, _ = documents.file_pdf(conn, _user(conn, as_user), documents.case_id_of(conn, case_number))
    out.write_bytes(data)
    typer.echo(f"{out}: {len(data)} bytes")


@files_app.command("archive")
def archive(year: int = typer.Option(..., "--year", help="the files' year"),
            office: str = typer.Option(None, "--office", help="office code (default: every office)"),
            out: Path = typer.Option(..., "-o", "--out", help="the zip file to write"), as_user: str = AS):
    """The year's archive: one PDF per file named by its number, and 索引.xlsx."""
    partial = out.with_name(out.name + ".partial")
    with database().begin() as conn, partial.open("wb") as f:
        count = documents.write_archive(conn, _user(conn, as_user), year, office, f)
    partial.replace(out)
    typer.echo(f"{out}: {count} files")
