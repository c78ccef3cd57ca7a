"""`tiaojie user deactivate|activate|reset-password|set-role|set-communities|audit`: user administration from
the command line, with the same rules and audit as the /users page (the last active admin stays one)."""

import json
from datetime import datetime

import typer

from cli.context import database
from engine import people

BY = typer.Option("cli", "--by", help="who does it (for the audit)")


def _update(name: str, by: str, changes: dict) -> dict:
    with database().begin() as conn:
        return people.update_user(conn, by, people.find_user_id(conn, name), changes)


def deactivate(name: str, by: str = BY):
    """Deactivate a user: their sessions end and they can no longer log in."""
    _update(name, by, {"active": False})
    typer.echo(f"user {name} deactivated")


def activate(name: str, by: str = BY):
    """Activate a deactivated user again."""
    _update(name, by, {"active": True})
    typer.echo(f"user {name} activated")


def reset_password(name: str, by: str = BY):
    """A temporary password, printed once: the user must change it at the next login; their sessions end."""
    with database().begin() as conn:
        temp = people.reset_password(conn, by, people.find_user_id(conn, name))
    typer.echo(f"temporary password of {name} (shown once, to be changed at the next login): {temp}")


def set_role(name: str, role: str = typer.Argument(..., help="intake|mediator|lawyer|supervisor|leader|admin"),
             by: str = BY):
    """Change a user's role (and with it the task groups they work)."""
    user = _update(name, by, {"role": role})
    typer.echo(f"user {name} is now {user['role']}")


def set_communities(name: str, community: list[str] = typer.Argument(None, help="communities (社区); none: all"),
                    by: str = BY):
    """Replace a user's communities."""
    user = _update(name, by, {"communities": community or []})
    typer.echo(f"user {name}: {', '.join(user['communities']) or 'all communities'}")


def audit(name: str):
    """Every change of a user, newest first (JSON lines)."""
    with database().begin() as conn:
        rows = people.user_audit(conn, people.find_user_id(conn, name))
    for r in rows:
        typer.echo(json.dumps({**r, "at": r["at"].isoformat() if isinstance(r["at"], datetime) else r["at"]},
                              ensure_ascii=False))


def register(user_app: typer.Typer) -> None:
    user_app.command("deactivate")(deactivate)
    user_app.command("activate")(activate)
    user_app.command("reset-password")(reset_password)
    user_app.command("set-role")(set_role)
    user_app.command("set-communities")(set_communities)
    user_app.command("audit")(audit)
