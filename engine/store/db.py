"""Database connection and transactions. One transaction per service call."""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, create_engine, event, exc
from sqlalchemy.engine import Engine

from engine.store.tables import metadata


def _sqlite_setup(engine: Engine) -> None:
    """WAL, busy timeout, FKs; BEGIN IMMEDIATE so writers serialize instead of deadlocking."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn, _record):
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (needed for SAVEPOINT too)
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE")


IDLE_PING_SECONDS = 10.0


def _ping_when_idle(engine: Engine) -> None:
    """Check a pooled connection before use only if it sat idle (a restart may have cut it).

    A busy connection was just used successfully; pinging it every checkout would add a
    round trip to every transaction. Disconnects seen mid-use still invalidate the pool.
    """

    @event.listens_for(engine, "checkin")
    def _checkin(dbapi_conn, record):
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checkout(dbapi_conn, record, proxy):
        since = record.info.get("idle_since")
        if since is None or time.monotonic() - since < IDLE_PING_SECONDS:
            return
        try:
            with dbapi_conn.cursor() as cur:
                cur.execute("SELECT 1")
            dbapi_conn.rollback()
        except Exception as err:
            raise exc.DisconnectionError(f"stale pooled connection: {err}") from err


class Database:
    """Owns the SQLAlchemy engine; ``begin()`` yields a connection in one transaction."""

    def __init__(self, url: str, **engine_kwargs):
        if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
        self.url = url
        self.engine = create_engine(url, **engine_kwargs)
        if self.engine.dialect.name == "sqlite":
            _sqlite_setup(self.engine)
        else:
            _ping_when_idle(self.engine)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """One transaction: commit on success, roll back on error.

        Errors flagged ``keeps_transaction`` (a failed step whose incident was recorded
        after rolling back to a savepoint) still commit what was written before raising.
        """
        with self.engine.connect() as conn:
            trans = conn.begin()
            try:
                yield conn
            except BaseException as err:
                if getattr(err, "keeps_transaction", False) and trans.is_active:
                    trans.commit()
                else:
                    trans.rollback()
                raise
            else:
                trans.commit()

    def create_all(self) -> None:
        """Create the schema directly (tests); production uses ``upgrade()``."""
        metadata.create_all(self.engine)

    def drop_all(self) -> None:
        metadata.drop_all(self.engine)

    def upgrade(self, revision: str = "head") -> None:
        from engine.store.migrate import upgrade

        upgrade(self, revision)

    def dispose(self) -> None:
        self.engine.dispose()
