"""The engine's hot statements on PostgreSQL's wire, in fewer round trips than the driver's defaults.

psycopg sends a transaction's BEGIN in a round trip of its own before the first statement, and its COMMIT in
another after the last. On a local server each such round trip costs about what a small statement does, so a
step (lock the case, write it) took four: BEGIN, SELECT … FOR UPDATE, the write, COMMIT. Here it takes two:

* the engine's hot statements are prepared once per connection on the server (``PREPARE tj_N AS …``; their
  parameters are typed in the SQL) and run as ``EXECUTE tj_N(literals)`` in the simple query protocol, which
  carries several statements in one message; the literals are made by psycopg's own adapters, as its
  client-side cursors do;
* the first statement of a transaction goes as ``BEGIN; EXECUTE …`` (``first_row``);
* a step's write is held (``write_later``) until the next statement on the connection, which sends it first as
  it would have been, or until the commit, which sends ``EXECUTE …; COMMIT`` in one message. Such a write
  must fail (raise) rather than report a conflict in its result, since nothing can be undone after its
  COMMIT: on a failure PostgreSQL skips the COMMIT, the transaction is rolled back, and the caller's error
  (``errors``) is raised from the commit;
* these messages go straight on the connection's libpq (``exchange``), their rows loaded by psycopg's own
  loaders: a cursor would build its machinery for every message. Listeners of ``before_cursor_execute`` see
  each statement with no cursor (None).

Measured here (``/tmp``-free: ``make bench``, profile block of docs/performance.md): a BEGIN, SELECT, UPDATE,
COMMIT transaction 0.66 ms in four round trips, 0.45 ms in two; a ``BEGIN; EXECUTE`` read through a cursor 88 µs
of client CPU, straight on libpq 58 µs (engine ratio of ``make bench`` +2–3 %). SQLite and everything else use
SQLAlchemy as usual. ``install`` wires the commit, rollback and pool events; ``Database`` calls it for PostgreSQL.
"""

from collections.abc import Callable

from psycopg import Error as DBAPI_ERROR
from psycopg import pq
from psycopg.errors import InvalidSqlStatementName
from psycopg.rows import namedtuple_row
from sqlalchemy import Connection, event
from sqlalchemy.engine import Engine

from engine.store import prepared
from engine.store.prepared import exchange  # noqa: F401 (the messages' exchange, for tests and the profiler's view)

__all__ = ["first_row", "read_all", "write_later", "install", "pending"]

_IDLE = pq.TransactionStatus.IDLE
FUSE = True  # False: each statement as psycopg sends it (the A/B of ``make bench``, tests of both ways)


def _send(conn: Connection, dbapi, shape: prepared.Shape, values: dict, *, begin: bool = False, commit: bool = False):
    """Send ``[BEGIN;] EXECUTE …[; COMMIT]`` in one message; the statement's first row, or None.

    Statements are prepared on an idle connection, each once, in messages of their own: this one and any
    other this process has sent that the connection has not seen (a step's write is only ever sent in the
    middle of a transaction, where a failed PREPARE would end the transaction; there an unprepared statement
    goes the driver's way instead). ``begin``: the connection is idle and this is its transaction's first.
    """
    w = prepared.wire_of(dbapi)
    cur = None
    conn.dispatch.before_cursor_execute(conn, None, shape.sql, values, None, False)  # statement counts
    try:
        if FUSE and dbapi.pgconn.transaction_status == _IDLE and prepared.missing(w):  # once per connection
            cur = dbapi.cursor(row_factory=namedtuple_row)
            prepared.prepare_missing(dbapi, cur, w)
        if not FUSE or shape.name not in w.prepared:  # the driver's way: BEGIN and COMMIT on their own
            cur = cur or dbapi.cursor(row_factory=namedtuple_row)
            cur.execute(shape.sql, values)
            row = _first(cur)
            if commit:
                dbapi.commit()
            return row
        message = prepared.execute_text(shape, w, values)
        if begin:
            message = dbapi._get_tx_start_command() + b"; " + message  # BEGIN [ISOLATION LEVEL …], as psycopg's
            try:
                return prepared.row(w, shape, prepared.exchange(dbapi, message)[1])
            except InvalidSqlStatementName:  # deallocated behind our back (DISCARD ALL …): nothing was done yet
                dbapi.rollback()
                w.prepared.clear()
                cur = dbapi.cursor(row_factory=namedtuple_row)
                cur.execute(shape.sql, values)
                return _first(cur)
        return prepared.row(w, shape, prepared.exchange(dbapi, message + b"; COMMIT" if commit else message)[0])
    finally:
        if cur is not None:
            cur.close()


def _first(cur):
    return cur.fetchone() if cur.pgresult is not None and cur.pgresult.ntuples else None


def _dbapi(conn: Connection):
    return conn.connection.dbapi_connection


def first_row(conn: Connection, statement, params: dict):
    """The first row of ``statement`` (a read, or a write with RETURNING), or None: the engine's hot path.

    On PostgreSQL the statement is sent as ``EXECUTE`` of its server-side prepared form, after any held write
    (``write_later``) and, when it is the transaction's first, in one message with the BEGIN; listeners of
    ``before_cursor_execute`` still see it (statement counts). Elsewhere it is an ordinary execute.
    ``statement``: one built once (at module level or cached), since its compiled form is kept by identity.
    """
    if conn.dialect.name != "postgresql":
        return conn.execute(statement, params).first()
    dbapi = _dbapi(conn)
    _flush(conn, dbapi)
    shape = prepared.shape_of(conn, statement)
    values = shape.compiled.construct_params(params)
    begin = FUSE and not dbapi.autocommit and dbapi.pgconn.transaction_status == _IDLE
    try:
        return _send(conn, dbapi, shape, values, begin=begin)
    except DBAPI_ERROR as err:
        conn._handle_dbapi_exception(err, shape.sql, values, None, None)


def read_all(conn: Connection, reads: list[tuple]) -> list[list]:
    """The rows of each of ``reads`` (``(statement, params)`` pairs, each a read built once): a page's reads.

    On PostgreSQL they go as ``EXECUTE a; EXECUTE b; …`` in one message (one round trip; with the BEGIN when
    the transaction starts with them), after any held write; listeners of ``before_cursor_execute`` see each.
    Where one of them is not prepared on the connection yet (mid-transaction), each goes the driver's way.
    Elsewhere they are ordinary executes. A read that fails raises as the driver's error does.
    """
    if conn.dialect.name != "postgresql":
        return [conn.execute(statement, params).all() for statement, params in reads]
    dbapi = _dbapi(conn)
    _flush(conn, dbapi)
    items = []
    for statement, params in reads:
        shape = prepared.shape_of(conn, statement)
        items.append((shape, shape.compiled.construct_params(params)))
    w = prepared.wire_of(dbapi)
    cur = None
    for shape, values in items:
        conn.dispatch.before_cursor_execute(conn, None, shape.sql, values, None, False)  # statement counts
    try:
        idle = dbapi.pgconn.transaction_status == _IDLE
        if FUSE and idle and prepared.missing(w):  # once per connection
            cur = dbapi.cursor(row_factory=namedtuple_row)
            prepared.prepare_missing(dbapi, cur, w)
        if FUSE and all(shape.name in w.prepared for shape, _ in items):
            message = b"; ".join(prepared.execute_text(shape, w, values) for shape, values in items)
            begin = idle and not dbapi.autocommit
            try:
                sent = dbapi._get_tx_start_command() + b"; " + message if begin else message
                results = prepared.exchange(dbapi, sent)
                return [prepared.rows(w, shape, res) for (shape, _), res in zip(items, results[1 if begin else 0:],
                                                                         strict=True)]
            except InvalidSqlStatementName:  # deallocated behind our back (DISCARD ALL …): nothing was done yet
                if not begin:
                    raise
                dbapi.rollback()
                w.prepared.clear()
        cur = cur or dbapi.cursor(row_factory=namedtuple_row)
        out = []
        for shape, values in items:  # the driver's way
            cur.execute(shape.sql, values)
            out.append(cur.fetchall() if cur.pgresult is not None and cur.pgresult.ntuples else [])
        return out
    except DBAPI_ERROR as err:
        conn._handle_dbapi_exception(err, items[0][0].sql, items[0][1], None, None)
    finally:
        if cur is not None:
            cur.close()


def write_later(conn: Connection, statement, params: dict, errors: Callable[[DBAPI_ERROR], Exception | None]) -> None:
    """Hold ``statement`` (a write whose result is not needed) until the next statement on ``conn`` or the
    commit, which then sends it with its COMMIT in one message.

    The statement must raise on a conflict (not return a count): ``errors(err)`` turns its error into the
    exception to raise (None: the database error as usual), wherever it is sent. Held writes of one
    transaction are sent in order. PostgreSQL only (elsewhere a caller writes plainly); with ``FUSE`` off or
    on an autocommit connection it is sent now.
    """
    dbapi = _dbapi(conn)
    _flush(conn, dbapi)
    if not FUSE or dbapi.autocommit:
        _send_now(conn, (statement, params, errors))
    else:
        prepared.wire_of(dbapi).held = (statement, params, errors)


def pending(conn: Connection) -> bool:
    """Whether a write is held on ``conn`` (tests)."""
    return conn.dialect.name == "postgresql" and prepared.wire_of(_dbapi(conn)).held is not None


def _send_now(conn: Connection, held: tuple, commit: bool = False) -> None:
    statement, params, errors = held
    dbapi = _dbapi(conn)
    shape = prepared.shape_of(conn, statement)
    values = shape.compiled.construct_params(params)
    try:
        _send(conn, dbapi, shape, values, commit=commit)
    except DBAPI_ERROR as err:
        mapped = errors(err)
        if mapped is not None:
            raise mapped from None
        conn._handle_dbapi_exception(err, shape.sql, values, None, None)


def _flush(conn: Connection, dbapi) -> None:
    w = getattr(dbapi, "_tiaojie_wire", None)
    if w is not None and w.held is not None:
        held, w.held = w.held, None
        _send_now(conn, held)


def _end_failed(dbapi) -> None:
    """Roll back what a failed ``EXECUTE …; COMMIT`` left open (PostgreSQL skipped the COMMIT)."""
    try:
        if not dbapi.closed and dbapi.pgconn.transaction_status != _IDLE:
            dbapi.rollback()
    except DBAPI_ERROR:  # a broken connection: the pool replaces it
        pass


def install(engine: Engine) -> None:
    """Send a held write before any other statement, with the COMMIT at a commit; drop it at a rollback and
    whenever the connection goes back to the pool (nothing held outlives its transaction)."""

    @event.listens_for(engine, "before_cursor_execute")
    def _before(conn, cursor, statement, parameters, context, executemany):
        _flush(conn, conn.connection.dbapi_connection)

    @event.listens_for(engine, "commit")
    def _commit(conn):
        dbapi = conn.connection.dbapi_connection
        w = getattr(dbapi, "_tiaojie_wire", None)
        if w is not None and w.held is not None:
            held, w.held = w.held, None
            try:
                _send_now(conn, held, commit=True)
            except BaseException:
                _end_failed(dbapi)  # SQLAlchemy counts the commit as the transaction's end: no rollback follows
                raise

    @event.listens_for(engine, "rollback")
    def _rollback(conn):
        w = getattr(conn.connection.dbapi_connection, "_tiaojie_wire", None)
        if w is not None:
            w.held = None

    @event.listens_for(engine, "checkin")
    def _checkin(dbapi_conn, record):
        w = getattr(dbapi_conn, "_tiaojie_wire", None)
        if w is not None:
            w.held = None
