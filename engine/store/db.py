"""Database connection and transactions. One transaction per service call."""

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, create_engine, event, exc
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError as DatabaseError  # noqa: F401 (what the database layer raises)
from sqlalchemy.pool import NullPool

from engine.core.settings import get_settings
from engine.store import wire
from engine.store.tables import metadata
from engine.store.wire import first_row  # noqa: F401 (the hot path's reader, engine.store.wire)

READ_ONLY = "read_only"
UNAVAILABLE = "unavailable"
_SQLITE_UNAVAILABLE = ("SQLITE_CANTOPEN", "SQLITE_BUSY", "SQLITE_LOCKED", "SQLITE_IOERR", "SQLITE_FULL",
                       "SQLITE_PROTOCOL", "SQLITE_NOTADB")


def outage(err: BaseException | None) -> str | None:
    """``read_only``, ``unavailable`` (unreachable, cut, overloaded) or None (not an outage), for an error
    or anything in its chain of causes. A retry later may succeed for the first two; None is a bug or bad data.

    PostgreSQL: SQLSTATE 25006 (a write in a read-only transaction: a standby, default_transaction_read_only)
    is read-only; any OperationalError/InterfaceError (connection refused or cut, shutdown, too many
    connections, deadlock, cancelled) is unavailable. SQLite: by the error's name, since its
    OperationalError also covers bugs such as a missing table.
    """
    seen = set()
    while err is not None and id(err) not in seen:
        seen.add(id(err))
        if isinstance(err, exc.DBAPIError):
            orig = err.orig
            state = getattr(orig, "sqlstate", None) or ""
            name = getattr(orig, "sqlite_errorname", None) or ""
            if state == "25006" or name.startswith("SQLITE_READONLY"):
                return READ_ONLY
            if name:
                return UNAVAILABLE if name.startswith(_SQLITE_UNAVAILABLE) else None
            if err.connection_invalidated or isinstance(err, exc.OperationalError | exc.InterfaceError):
                return UNAVAILABLE
            if state[:2] in ("08", "53", "57"):
                return UNAVAILABLE
        elif isinstance(err, exc.TimeoutError | exc.DisconnectionError):  # pool exhausted, reconnect failed
            return UNAVAILABLE
        err = err.__cause__ or err.__context__
    return None


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


def _read_only_aware(engine: Engine) -> None:
    """PostgreSQL read-only (a standby, ``default_transaction_read_only``) is a state to leave, not keep:
    a connection opened read-only serves one checkout and is then replaced, and a connection that met a
    read-only error is dropped, so writes work again as soon as the database does (no restart)."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn, record):
        with dbapi_conn.cursor() as cur:
            cur.execute("SHOW transaction_read_only")
            record.info["read_only"] = cur.fetchone()[0] == "on"
        dbapi_conn.rollback()

    @event.listens_for(engine, "checkout")
    def _checkout(dbapi_conn, record, proxy):
        if record.info.get("read_only") and record.info.get("used"):
            raise exc.DisconnectionError("opened on a read-only database: reconnect")
        record.info["used"] = True

    @event.listens_for(engine, "handle_error")
    def _handle_error(context):
        if outage(context.sqlalchemy_exception) == READ_ONLY:
            context.is_disconnect = True
            context.invalidate_pool_on_disconnect = False


class Database:
    """Owns the SQLAlchemy engine; ``begin()`` yields a connection in one transaction."""

    def __init__(self, url: str, **engine_kwargs):
        if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
            Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
        self.url = url
        if url.startswith("postgresql"):  # an unreachable server answers 503 after this, not after minutes
            engine_kwargs.setdefault("connect_args", {}).setdefault(
                "connect_timeout", get_settings().db_connect_timeout
            )
        self._engine_kwargs = engine_kwargs
        self._probe_engine: Engine | None = None
        self.engine = create_engine(url, **engine_kwargs)
        if self.engine.dialect.name == "sqlite":
            _sqlite_setup(self.engine)
        else:
            _ping_when_idle(self.engine)
            _read_only_aware(self.engine)
            wire.install(self.engine)
            wire.FUSE = get_settings().db_server_prepared

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

    def writable(self) -> bool:
        """Whether the database takes writes now (False: read-only); raises when it is unreachable.

        PostgreSQL: asked on a new connection (``SHOW transaction_read_only``), since a pooled one keeps
        the defaults of its start. SQLite: a table created in a transaction that is rolled back.
        """
        try:
            if self.dialect == "postgresql":
                if self._probe_engine is None:
                    kwargs = {k: v for k, v in self._engine_kwargs.items() if k in ("connect_args",)}
                    self._probe_engine = create_engine(self.url, poolclass=NullPool, **kwargs)
                with self._probe_engine.connect() as conn:
                    return conn.exec_driver_sql("SHOW transaction_read_only").scalar() == "off"
            with self.engine.connect() as conn:
                trans = conn.begin()
                try:
                    conn.exec_driver_sql("CREATE TABLE tiaojie_write_probe (x INTEGER)")
                finally:
                    trans.rollback()
            return True
        except exc.SQLAlchemyError as err:
            if outage(err) == READ_ONLY:
                return False
            raise

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
        if self._probe_engine is not None:
            self._probe_engine.dispose()
