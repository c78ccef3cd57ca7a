"""Reading, checking and deploying BPMN/DMN/form bundles."""

from pathlib import Path

from sqlalchemy import Connection

from engine.core import clock
from engine.core.errors import DefinitionRejected, Problem
from engine.core.settings import get_settings
from engine.core.types import Definition
from engine.store import definitions as store

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


def deploy(conn: Connection, files: dict[str, bytes], actor: str | None = None,
           callers: bool = True, only: set[str] | None = None) -> list[Definition]:
    """Store a new version of every executable process whose content changed.

    Identical content deploys as the existing version. With ``callers``, a process that calls
    a newly stored one (and was not itself in ``files``) gets a new version built with the new
    file, so its new cases run what was just published (running cases keep their version).
    All or nothing: the caller's transaction holds every insert. With ``only``, just those process
    keys are stored (the rest of ``files`` still serves them as called processes and decisions).
    """
    compiled = [cp for cp in check(files) if only is None or cp.key in only]
    now = clock.now()
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
    if callers:
        out += _callers(conn, files, {cp.key for cp in compiled}, {d.key for d in out if d.is_new}, actor)
    return out


def _as_bytes(text) -> bytes:
    return text.encode("utf-8") if isinstance(text, str) else bytes(text)


def _callers(conn: Connection, files: dict[str, bytes], deployed: set[str], new_keys: set[str],
             actor: str | None) -> list[Definition]:
    """New versions of the latest processes (not deployed just now) that call a process in ``new_keys``."""
    import json

    from engine.processes.diff import Bundle

    if not new_keys:
        return []
    uploaded = Bundle({n: d for n, d in files.items() if not n.endswith(".json")})
    out = []
    for latest in store.list_latest(conn):
        if latest.key in deployed:
            continue
        sources = store.sources(conn, latest.id)
        bundle = Bundle(sources)
        hit = {proc.get("id") for _, proc in bundle.scope(latest.key)} & new_keys
        if not hit:
            continue
        merged = {name: _as_bytes(text) for name, text in sources.items()}
        merged |= {name: json.dumps(schema, ensure_ascii=False).encode("utf-8")
                   for name, schema in store.forms(conn, latest.id).items()}
        merged |= {name: data for name, data in files.items() if name.endswith(".json")}
        for key in hit:
            merged[bundle.process_file(key)] = files[uploaded.process_file(key)]
        out += [d for d in deploy(conn, merged, actor, callers=False) if d.key == latest.key and d.is_new]
    return out
