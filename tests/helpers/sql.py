"""Count the SQL statements a piece of code sends (tests and the bench)."""

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
