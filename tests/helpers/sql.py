"""Count the SQL statements and the transactions a piece of code sends (tests and the bench); their plans."""

import re
from contextlib import contextmanager

from psycopg import sql as pgsql
from sqlalchemy import event

from engine import Database


class StatementCounter:
    """Counts SQL statements sent on an engine (executemany counts once)."""

    def __init__(self, db: Database):
        self.count = 0
        event.listen(db.engine, "before_cursor_execute", self._on)
        self._db = db

    def _on(self, *args, **kwargs):
        self.count += 1

    def close(self):
        event.remove(self._db.engine, "before_cursor_execute", self._on)


@contextmanager
def count_begins(db: Database):
    """Yields a list whose length is the number of transactions begun on ``db`` inside the block."""
    seen: list[int] = []

    def on_begin(conn):
        seen.append(1)

    event.listen(db.engine, "begin", on_begin)
    try:
        yield seen
    finally:
        event.remove(db.engine, "begin", on_begin)


@contextmanager
def statements_sent(db: Database):
    """Yields a list of the (statement, parameters) sent on ``db`` inside the block."""
    seen: list[tuple[str, dict]] = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)


def plan_of(conn, sql: str, params: dict, mode: str) -> str:
    """PostgreSQL's plan of ``sql`` (pyformat parameters) as a prepared statement with ``params``, under
    ``plan_cache_mode = force_{mode}_plan`` ("custom" or "generic") for the rest of the transaction."""
    names = list(dict.fromkeys(re.findall(r"%\((\w+)\)s", sql)))
    conn.exec_driver_sql("PREPARE planned AS " + re.sub(r"%\((\w+)\)s", lambda m: f"${names.index(m.group(1)) + 1}", sql))
    conn.exec_driver_sql(f"SET LOCAL plan_cache_mode = force_{mode}_plan")
    values = ", ".join(pgsql.Literal(params[n]).as_string(conn.connection.driver_connection) for n in names)
    plan = "\n".join(r[0] for r in conn.exec_driver_sql(f"EXPLAIN EXECUTE planned({values})"))
    conn.exec_driver_sql("DEALLOCATE planned")
    return plan
