"""`tiaojie documents templates list|upload|show`: the document templates (文书模板) per kind and office."""

from pathlib import Path

import typer

from cli.context import database

templates_app = typer.Typer(no_args_is_help=True, help="Document templates (文书模板): list, upload, show")


def register(app: typer.Typer) -> None:
    """Add `documents templates …` (to the `documents` group of cli/documents.py when it is registered)."""
    found = [g.typer_instance for g in app.registered_groups if g.name == "documents"]
    documents_app = found[0] if found else typer.Typer(no_args_is_help=True, help="Legal documents (文书)")
    documents_app.add_typer(templates_app, name="templates")
    if not found:
        app.add_typer(documents_app, name="documents")


def _operator(name: str):
    from engine.core.types import User

    return User(id=0, username=name, role="admin")  # whoever runs the CLI administers the installation


@templates_app.command("list")
def templates_list(office: str = typer.Option("", "--office", help='office code ("" = every office)')):
    """Per kind: the version in use (0 = the packaged template) and the stored versions."""
    from engine import documents

    with database().begin() as conn:
        rows = documents.list_templates(conn, _operator("cli"), office)
    for r in rows:
        used = "packaged" if r["active_version"] == 0 else f"v{r['active_version']}" + (
            f" ({r['active_office'] or 'all offices'})")
        versions = ", ".join(f"{v['office'] or '*'}:v{v['version']}{'' if v['active'] else ' retired'}"
                             for v in r["versions"])
        typer.echo(f"{r['kind']:<20} {r['title']:<14} in use: {used}" + (f"  [{versions}]" if versions else ""))


@templates_app.command("upload")
def templates_upload(kind: str, file: Path,
                     office: str = typer.Option("", "--office", help='office code ("" = every office)'),
                     note: str = typer.Option(None, "--note", help="why this version"),
                     user: str = typer.Option("cli", "--user", help="recorded as the uploader")):
    """Check FILE (UTF-8 HTML + Jinja) against what KIND's papers may name and store it as the next version."""
    from engine import documents
    from engine.core.errors import InvalidData

    if not file.is_file():
        raise InvalidData(f"no such file: {file}")
    with database().begin() as conn:
        try:
            v = documents.upload_template(conn, _operator(user), kind, file.name, file.read_bytes(), office=office,
                                          note=note)
        except InvalidData as e:
            for name, reason in e.errors.items():
                typer.echo(f"error: {name}: {reason}", err=True)
            raise
    typer.echo(f"{kind} v{v['version']} ({v['office'] or 'all offices'}) stored, sha256 {v['sha256'][:12]}")


@templates_app.command("show")
def templates_show(kind: str, version: int = typer.Option(None, "--version", help="0 = the packaged template; "
                                                          "default: the one in use"),
                   office: str = typer.Option("", "--office", help='office code ("" = every office)')):
    """Print the template text."""
    from engine import documents

    with database().begin() as conn:
        t = documents.template_text(conn, _operator("cli"), kind, version, office)
    typer.echo(t["text"], nl=False)
