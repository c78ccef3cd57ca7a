"""`tiaojie documents make|list|pdf`: a case's papers (文书) from the command line.

The operator acts as a supervisor of every community (``--user`` is recorded as the maker and in the log of
who saw full ID numbers).
"""

import json
from pathlib import Path

import typer

from cli.context import database

documents_app = typer.Typer(no_args_is_help=True, help="Documents (文书): make, list, print copies")


def register(app: typer.Typer) -> None:
    app.add_typer(documents_app, name="documents")


def _refuse(message: str):
    from engine.core.errors import InvalidData  # cli.main may run as __main__: its Refused is another class

    return InvalidData(message)


def _operator(username: str):
    from engine.core.types import User

    return User(id=0, username=username, role="supervisor", communities=[])


@documents_app.command("make")
def make(case_number: str, kind: str,
         task: str | None = typer.Option(None, "--task", help="the task whose form it is made from (default: the "
                                                               "case's newest task offering KIND)"),
         data: str | None = typer.Option(None, "--data", help="form data as a JSON object (an open task's draft)"),
         note: str | None = typer.Option(None, "--note", help="why it is made again"),
         user: str = typer.Option("cli", help="recorded as the maker")):
    """Make a paper of CASE_NUMBER (takes its 文号; made again: a new version with the same number)."""
    from engine import documents

    form = None
    if data is not None:
        try:
            form = json.loads(data)
        except json.JSONDecodeError as err:
            raise _refuse(f"--data is not valid JSON: {err.msg} at column {err.colno}") from None
    with database().begin() as conn:
        case_id = documents.case_id_of(conn, case_number)
        doc = documents.generate(conn, _operator(user), case_id, kind, task, form, note)
    typer.echo(f"{doc['id']}\t{doc['title']}\t{doc['number'] or '-'}\tv{doc['version']}")


@documents_app.command("list")
def list_documents(case_number: str):
    """Every version of every paper of CASE_NUMBER, newest first."""
    from engine import documents

    with database().begin() as conn:
        docs = documents.documents_of_case(conn, _operator("cli"), documents.case_id_of(conn, case_number))
    for d in docs:
        state = "current" if d["current"] else "superseded"
        typer.echo(f"{d['id']}\t{d['kind']}\t{d['title']}\t{d['number'] or '-'}\tv{d['version']}\t{state}\t"
                   f"{d['issued_on'].isoformat()}\tsigned {len(d['signed'])}")
    if not docs:
        typer.echo("no documents", err=True)


@documents_app.command("pdf")
def pdf(doc_id: str, out: Path = typer.Option(..., "-o", "--out", help="write the copy to this file"),
        copy: str = typer.Option("file", "--copy", help="file (存档) | masked | all | a party's ref"),
        format: str = typer.Option("pdf", "--format", help="pdf | docx | html"),
        user: str = typer.Option("cli", help="recorded in the log of who saw full ID numbers")):
    """Write a copy of a paper (the kept one by default) as PDF, DOCX or HTML."""
    from engine import documents

    with database().begin() as conn:
        content, _, name = documents.render_copy(conn, _operator(user), doc_id, copy, format)
    out.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    typer.echo(f"{name} written to {out}")
