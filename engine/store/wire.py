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

import itertools
import re
from collections.abc import Callable
from datetime import date, datetime

from psycopg import Error as DBAPI_ERROR
from psycopg import pq
from psycopg.adapt import Transformer
from psycopg.errors import DuplicatePreparedStatement, InvalidSqlStatementName, error_from_result
from psycopg.generators import execute as execute_gen
from psycopg.rows import _make_nt, namedtuple_row
from sqlalchemy import Connection, event
from sqlalchemy.engine import Engine

__all__ = ["first_row", "write_later", "install", "pending"]

_IDLE = pq.TransactionStatus.IDLE
_FATAL = pq.ExecStatus.FATAL_ERROR
FUSE = True  # False: each statement as psycopg sends it (the A/B of ``make bench``, tests of both ways)
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


class _Shape:
    """A statement compiled once: its SQL for listeners, its server-side name and parameter order."""

    __slots__ = ("statement", "compiled", "sql", "name", "order", "prepare", "row_type")

    def __init__(self, statement, compiled, number: int):
        self.statement, self.compiled, self.sql = statement, compiled, _literal_execute(compiled)
        order: list[str] = []

        def positional(m: re.Match) -> str:
            if m.group(1) not in order:
                order.append(m.group(1))
            return f"${order.index(m.group(1)) + 1}"

        body = _PLACEHOLDER.sub(positional, self.sql).replace("%%", "%")
        self.name, self.order = f"tj_{number}".encode(), tuple(order)
        self.row_type = None  # its rows' named tuple (``_row``), made at its first row
        self.prepare = b"PREPARE " + self.name + b" AS " + body.encode()


def _literal_execute(compiled) -> str:
    """The compiled SQL with its "literal execute" parameters of fixed value written in (SQLAlchemy renders them
    at each execution; ``aggregate_strings``' separator is one); other post-compiled ones are refused."""
    sql = compiled.string
    for bind in getattr(compiled, "literal_execute_params", ()):
        if bind.callable is None and not bind.expanding and bind.value is not None:
            name = compiled.bind_names.get(bind, bind.key)
            sql = sql.replace(f"__[POSTCOMPILE_{name}]", compiled.render_literal_value(bind.value, bind.type))
    if "__[POSTCOMPILE_" in sql:
        raise ValueError("the hot path takes no expanding (IN) parameters; build the statement with ANY(:array)")
    return sql


_SHAPES: dict[int, _Shape] = {}
_NUMBERS = itertools.count()  # server-side names are never reused in a process


def _shape(conn: Connection, statement) -> _Shape:
    shape = _SHAPES.get(id(statement))
    if shape is None or shape.statement is not statement:
        shape = _SHAPES[id(statement)] = _Shape(statement, statement.compile(dialect=conn.dialect), next(_NUMBERS))
    return shape


class _Wire:
    """What this module keeps on one psycopg connection: the statements prepared on it, its literal maker,
    the write held for the commit."""

    __slots__ = ("prepared", "literals", "loader", "encoding", "plain", "held")

    def __init__(self, dbapi):
        self.prepared: set[bytes] = set()
        self.literals = Transformer.from_context(dbapi)
        self.loader = Transformer.from_context(dbapi)  # rows of ``exchange``'s results
        # Strings, numbers and dates are written here as PostgreSQL reads them when strings are standard
        # (backslash is not special) and the text goes as UTF-8; psycopg's adapters write anything else.
        info = dbapi.info
        self.encoding = dbapi.pgconn._encoding
        self.plain = info.parameter_status("standard_conforming_strings") == "on" and info.encoding == "utf-8"
        self.held: tuple | None = None
        # psycopg sends DEALLOCATE ALL after a ROLLBACK (or a DROP, ALTER …) when it has prepared statements
        # of its own: ours go with them, so they are prepared again.
        manager = dbapi._prepared
        psycopg_clear = manager.clear

        def clear() -> bool:
            deallocates = psycopg_clear()
            if deallocates:
                self.prepared.clear()
            return deallocates

        manager.clear = clear


def _wire(dbapi) -> _Wire:
    w = getattr(dbapi, "_tiaojie_wire", None)
    if w is None:
        w = dbapi._tiaojie_wire = _Wire(dbapi)
    return w


def _execute_text(shape: _Shape, w: _Wire, values: dict) -> bytes:
    if not w.plain:
        as_literal = w.literals.as_literal
        return b"EXECUTE " + shape.name + b"(" + b", ".join(as_literal(values[n]) for n in shape.order) + b")"
    parts = []
    for n in shape.order:
        v = values[n]
        kind = type(v)
        if kind is str and "\0" not in v:
            parts.append("'" + v.replace("'", "''") + "'")  # standard_conforming_strings: only ' is special
        elif v is None:
            parts.append("NULL")
        elif kind is bool:
            parts.append("true" if v else "false")
        elif kind is int:
            parts.append(str(v))
        elif kind is datetime or kind is date:
            parts.append("'" + v.isoformat() + "'")
        else:
            parts.append(w.literals.as_literal(v).decode())
    return b"EXECUTE " + shape.name + ("(" + ", ".join(parts) + ")").encode()


def _send(conn: Connection, dbapi, shape: _Shape, values: dict, *, begin: bool = False, commit: bool = False):
    """Send ``[BEGIN;] EXECUTE …[; COMMIT]`` in one message; the statement's first row, or None.

    Statements are prepared on an idle connection, each once, in messages of their own: this one and any
    other this process has sent that the connection has not seen (a step's write is only ever sent in the
    middle of a transaction, where a failed PREPARE would end the transaction; there an unprepared statement
    goes the driver's way instead). ``begin``: the connection is idle and this is its transaction's first.
    """
    w = _wire(dbapi)
    cur = None
    conn.dispatch.before_cursor_execute(conn, None, shape.sql, values, None, False)  # statement counts
    try:
        if FUSE and len(w.prepared) < len(_SHAPES) and dbapi.pgconn.transaction_status == _IDLE:
            cur = dbapi.cursor(row_factory=namedtuple_row)
            for missing in [s for s in _SHAPES.values() if s.name not in w.prepared]:  # once per connection
                _prepare(dbapi, cur, w, missing)
        if not FUSE or shape.name not in w.prepared:  # the driver's way: BEGIN and COMMIT on their own
            cur = cur or dbapi.cursor(row_factory=namedtuple_row)
            cur.execute(shape.sql, values)
            row = _first(cur)
            if commit:
                dbapi.commit()
            return row
        message = _execute_text(shape, w, values)
        if begin:
            message = dbapi._get_tx_start_command() + b"; " + message  # BEGIN [ISOLATION LEVEL …], as psycopg's
            try:
                return _row(w, shape, exchange(dbapi, message)[1])
            except InvalidSqlStatementName:  # deallocated behind our back (DISCARD ALL …): nothing was done yet
                dbapi.rollback()
                w.prepared.clear()
                cur = dbapi.cursor(row_factory=namedtuple_row)
                cur.execute(shape.sql, values)
                return _first(cur)
        return _row(w, shape, exchange(dbapi, message + b"; COMMIT" if commit else message)[0])
    finally:
        if cur is not None:
            cur.close()


def exchange(dbapi, message: bytes) -> list:
    """Send ``message`` (one or more statements, simple query protocol) and read its results (libpq's, one per
    statement run); a statement's error is raised as psycopg raises it (PostgreSQL ran none after it).

    Straight on the connection's libpq (``pgconn``), as psycopg's own commands go: a cursor's execute would also
    build a description, row loaders and a prepared-statement key for every result of a message whose literals
    make it different each time (about 30 µs of CPU per message here). psycopg reads the transaction's state from
    libpq, so a BEGIN or COMMIT in the message is its own as well."""
    pgconn = dbapi.pgconn
    with dbapi.lock:
        pgconn.send_query(message)
        results = dbapi.wait(execute_gen(pgconn))
    for res in results:
        if res.status == _FATAL:
            raise error_from_result(res, encoding=pgconn._encoding)
    return results


def _row(w: "_Wire", shape: _Shape, res):
    """The first row of a result as a named tuple (the columns' names: psycopg's ``namedtuple_row``), or None."""
    if not res.ntuples:
        return None
    if shape.row_type is None:
        shape.row_type = _make_nt(w.encoding, *(res.fname(i) for i in range(res.nfields)))._make
    loader = w.loader
    loader.set_pgresult(res)
    return loader.load_row(0, shape.row_type)


def _first(cur):
    return cur.fetchone() if cur.pgresult is not None and cur.pgresult.ntuples else None


def _prepare(dbapi, cur, w: _Wire, shape: _Shape) -> None:
    try:
        _without_psycopg_begin(dbapi, cur, shape.prepare)
    except DuplicatePreparedStatement:  # prepared before we lost count (autocommit: nothing else is affected)
        pass
    w.prepared.add(shape.name)


def _without_psycopg_begin(dbapi, cur, message: bytes) -> None:
    """Execute ``message`` on an idle connection without psycopg's BEGIN first: the message begins the
    transaction itself (or, a PREPARE, needs none). psycopg reads the transaction's state from libpq, so it
    commits and rolls back what the message began as its own."""
    autocommit, dbapi._autocommit = dbapi._autocommit, True  # psycopg would otherwise send BEGIN first
    try:
        cur.execute(message, prepare=False)
    finally:
        dbapi._autocommit = autocommit


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
    shape = _shape(conn, statement)
    values = shape.compiled.construct_params(params)
    begin = FUSE and not dbapi.autocommit and dbapi.pgconn.transaction_status == _IDLE
    try:
        return _send(conn, dbapi, shape, values, begin=begin)
    except DBAPI_ERROR as err:
        conn._handle_dbapi_exception(err, shape.sql, values, None, None)


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
        _wire(dbapi).held = (statement, params, errors)


def pending(conn: Connection) -> bool:
    """Whether a write is held on ``conn`` (tests)."""
    return conn.dialect.name == "postgresql" and _wire(_dbapi(conn)).held is not None


def _send_now(conn: Connection, held: tuple, commit: bool = False) -> None:
    statement, params, errors = held
    dbapi = _dbapi(conn)
    shape = _shape(conn, statement)
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
