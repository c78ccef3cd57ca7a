"""SQL of the ledger (台账) code tables: the newest stored version of each entry, an entry's versions, a new one."""

from datetime import datetime

from sqlalchemy import Connection, func, select
from sqlalchemy.dialects import postgresql, sqlite

from engine.store.tables import ledger_codes

_COLUMNS = (ledger_codes.c.kind, ledger_codes.c.term, ledger_codes.c.code, ledger_codes.c.synonyms,
            ledger_codes.c.retired, ledger_codes.c.version, ledger_codes.c.changed_at, ledger_codes.c.changed_by,
            ledger_codes.c.note)


def newest(conn: Connection) -> list:
    """The newest stored version of every edited entry, by kind and term."""
    top = (select(ledger_codes.c.kind, ledger_codes.c.term, func.max(ledger_codes.c.version).label("version"))
           .group_by(ledger_codes.c.kind, ledger_codes.c.term).subquery())
    return list(conn.execute(
        select(*_COLUMNS).join(top, (top.c.kind == ledger_codes.c.kind) & (top.c.term == ledger_codes.c.term)
                               & (top.c.version == ledger_codes.c.version))
        .order_by(ledger_codes.c.kind, ledger_codes.c.id)))


def versions(conn: Connection, kind: str, term: str) -> list:
    """The stored versions of one entry, newest first."""
    return list(conn.execute(select(*_COLUMNS).where(ledger_codes.c.kind == kind, ledger_codes.c.term == term)
                             .order_by(ledger_codes.c.version.desc())))


def insert(conn: Connection, *, kind: str, term: str, code: str | None, synonyms: list[str], retired: bool,
           version: int, at: datetime, actor: str, note: str | None):
    """Store a version; None when another writer stored that version first (unique kind, term, version)."""
    ins = (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(ledger_codes)
    return conn.execute(ins.values(
        kind=kind, term=term, code=code, synonyms=synonyms, retired=retired, version=version, changed_at=at,
        changed_by=actor, note=note).on_conflict_do_nothing(index_elements=["kind", "term", "version"])
        .returning(*_COLUMNS)).first()
