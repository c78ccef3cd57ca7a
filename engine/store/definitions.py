"""Process definitions: one row per (key, version); specs stored once, by hash."""

from datetime import datetime

from sqlalchemy import Connection, func, select

from engine.core.types import Definition
from engine.store.tables import definitions as t

_COLS = (t.c.id, t.c.key, t.c.version, t.c.name, t.c.content_hash, t.c.created_at, t.c.created_by)


def _definition(row, is_new=False) -> Definition:
    return Definition(
        id=row.id,
        key=row.key,
        version=row.version,
        name=row.name,
        content_hash=row.content_hash,
        created_at=row.created_at,
        created_by=row.created_by,
        is_new=is_new,
    )


def find_by_hash(conn: Connection, key: str, content_hash: str) -> Definition | None:
    row = conn.execute(select(*_COLS).where(t.c.key == key, t.c.content_hash == content_hash)).first()
    return _definition(row) if row else None


def lock_key(conn: Connection, key: str) -> None:
    """Serialize deploys of one key (PostgreSQL advisory lock; SQLite already serializes writers)."""
    if conn.dialect.name == "postgresql":
        conn.execute(select(func.pg_advisory_xact_lock(func.hashtext("deploy:" + key))))


def insert(conn: Connection, *, key, name, content_hash, spec_json, forms, sources, user_tasks, now: datetime,
           actor: str | None) -> Definition:
    version = conn.execute(select(func.coalesce(func.max(t.c.version), 0)).where(t.c.key == key)).scalar_one() + 1
    row = conn.execute(
        t.insert()
        .values(
            key=key,
            version=version,
            name=name,
            content_hash=content_hash,
            spec_json=spec_json,
            forms=forms,
            sources=sources,
            user_tasks=user_tasks,
            created_at=now,
            created_by=actor,
        )
        .returning(*_COLS)
    ).one()
    forget(conn, key)  # this process reads the new latest version at its next start
    return _definition(row, is_new=True)


def get(conn: Connection, key: str, version: int | None = None) -> Definition | None:
    q = select(*_COLS).where(t.c.key == key)
    q = q.where(t.c.version == version) if version is not None else q.order_by(t.c.version.desc()).limit(1)
    row = conn.execute(q).first()
    return _definition(row) if row else None


# (database URL, key) → the latest definition of the key as last read by this process. Another process may
# deploy a newer version meanwhile: the one-statement start (``engine.store.startwrite``) writes nothing
# when the definition is not the latest any more, and the caller reads it again (``forget``).
_LATEST: dict[tuple[object, str], Definition] = {}


def latest(conn: Connection, key: str) -> Definition | None:
    """The latest version of ``key``; from the process's memory when it was read before (PostgreSQL only:
    there the case's start checks it in its own statement)."""
    if conn.dialect.name != "postgresql":
        return get(conn, key)
    slot = (conn.engine.url, key)
    found = _LATEST.get(slot)
    if found is None:
        found = get(conn, key)
        if found is not None:
            _LATEST[slot] = found
    return found


def forget(conn: Connection, key: str) -> None:
    _LATEST.pop((conn.engine.url, key), None)


def get_by_id(conn: Connection, definition_id: int) -> Definition | None:
    row = conn.execute(select(*_COLS).where(t.c.id == definition_id)).first()
    return _definition(row) if row else None


def spec_json(conn: Connection, definition_id: int) -> str:
    return conn.execute(select(t.c.spec_json).where(t.c.id == definition_id)).scalar_one()


def forms(conn: Connection, definition_id: int) -> dict:
    return conn.execute(select(t.c.forms).where(t.c.id == definition_id)).scalar_one()


def sources(conn: Connection, definition_id: int) -> dict:
    return conn.execute(select(t.c.sources).where(t.c.id == definition_id)).scalar_one()


def list_latest(conn: Connection) -> list[Definition]:
    latest = select(t.c.key, func.max(t.c.version).label("v")).group_by(t.c.key).subquery()
    rows = conn.execute(
        select(*_COLS).join(latest, (t.c.key == latest.c.key) & (t.c.version == latest.c.v)).order_by(t.c.key)
    )
    return [_definition(r) for r in rows]


def list_versions(conn: Connection, key: str) -> list[Definition]:
    rows = conn.execute(select(*_COLS).where(t.c.key == key).order_by(t.c.version))
    return [_definition(r) for r in rows]
