"""文号 counters: the next number of an office's documents of one kind in one year."""

from sqlalchemy import Connection
from sqlalchemy.dialects import postgresql, sqlite

from engine.store.tables import document_numbers


def next_serial(conn: Connection, office: str, year: int, kind: str) -> int:
    """The next N of (office, year, kind): one upsert that locks the counter row until the caller's transaction
    ends, so concurrent makers wait in turn, a rolled-back document gives its number back, and none is shared."""
    ins = (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(document_numbers)
    return conn.execute(
        ins.values(office=office, year=year, kind=kind, last=1)
        .on_conflict_do_update(index_elements=["office", "year", "kind"],
                               set_={"last": document_numbers.c.last + 1})
        .returning(document_numbers.c.last)
    ).scalar_one()
