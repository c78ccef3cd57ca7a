"""Count the SQL statements and the transactions a piece of code sends (tests and the bench)."""

from contextlib import contextmanager

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
