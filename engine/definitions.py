"""Reading, checking and deploying BPMN/DMN/form bundles."""

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection

from engine.errors import DefinitionRejected, Problem
from engine.settings import get_settings
from engine.store import definitions as store
from engine.types import Definition

SUFFIXES = (".bpmn", ".dmn", ".json", ".xml")


def load_dir(path: str | Path) -> dict[str, bytes]:
    """Every model, decision table and form under ``path`` (forms by their bare file name)."""
    root = Path(path)
    files = {}
    for p in sorted(root.rglob("*")):
        if p.is_file() and p.suffix in SUFFIXES:
            if p.name in files:
                raise DefinitionRejected([Problem(f"two files named {p.name}", file=str(p))])
            files[p.name] = p.read_bytes()
    return files


def check(files: dict[str, bytes], max_bytes: int | None = None):
    """Validate and compile without storing; returns the compiled processes.

    Raises DefinitionRejected listing every problem found.
    """
    from engine.spiff.compiler import compile_documents
    from engine.validation import parse_documents

    if not files:
        raise DefinitionRejected([Problem("no files given")])
    documents = parse_documents(files, max_bytes or get_settings().max_definition_bytes)
    return compile_documents(documents)


def deploy(conn: Connection, files: dict[str, bytes], actor: str | None = None) -> list[Definition]:
    """Store a new version of every executable process whose content changed.

    Identical content deploys as the existing version. All or nothing: the caller's
    transaction holds every insert.
    """
    compiled = check(files)
    now = datetime.now(UTC)
    out = []
    for cp in compiled:
        store.lock_key(conn, cp.key)
        existing = store.find_by_hash(conn, cp.key, cp.content_hash)
        if existing is not None:
            existing.is_new = False
            out.append(existing)
            continue
        out.append(
            store.insert(
                conn,
                key=cp.key,
                name=cp.name,
                content_hash=cp.content_hash,
                spec_json=cp.spec_json,
                forms=cp.forms,
                sources=cp.sources,
                user_tasks=cp.user_tasks,
                now=now,
                actor=actor,
            )
        )
    return out
