"""The hot statements' server-side prepared forms on a psycopg connection, and the messages that run them.

A statement built once (``engine.store.wire``'s callers keep theirs at module level) is compiled once
(``shape_of``): its SQL for listeners, its ``PREPARE tj_N AS …`` with typed positional parameters, and the order
of its parameters. ``Wire`` is what one connection keeps: the names prepared on it, psycopg's literal maker and
row loader, the write held for the commit. ``execute_text`` writes ``EXECUTE tj_N(literals)``; ``exchange``
sends a message straight on the connection's libpq and reads one result per statement; ``row`` / ``rows`` load
a result's rows as named tuples with psycopg's own loaders. ``engine.store.wire`` puts these into transactions.
"""

import itertools
import re
from datetime import date, datetime

from psycopg import Error as DBAPI_ERROR
from psycopg import pq
from psycopg.adapt import Transformer
from psycopg.errors import DuplicatePreparedStatement, error_from_result
from psycopg.generators import execute as execute_gen
from psycopg.rows import _make_nt
from sqlalchemy import Connection

__all__ = ["Shape", "Wire", "SHAPES", "shape_of", "wire_of", "execute_text", "exchange", "row", "rows",
           "prepare_missing", "missing", "without_psycopg_begin"]

_FATAL = pq.ExecStatus.FATAL_ERROR
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


class Shape:
    """A statement compiled once: its SQL for listeners, its server-side name and parameter order."""

    __slots__ = ("statement", "compiled", "sql", "name", "order", "prepare", "row_type", "unpreparable")

    def __init__(self, statement, compiled, number: int):
        self.statement, self.compiled, self.sql = statement, compiled, _literal_execute(compiled)
        order: list[str] = []

        def positional(m: re.Match) -> str:
            if m.group(1) not in order:
                order.append(m.group(1))
            return f"${order.index(m.group(1)) + 1}"

        body = _PLACEHOLDER.sub(positional, self.sql).replace("%%", "%")
        self.name, self.order = f"tj_{number}".encode(), tuple(order)
        self.row_type = None  # its rows' named tuple (``row``), made at its first row
        self.unpreparable = False  # PostgreSQL refused its PREPARE (``prepare_missing``)
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


SHAPES: dict[int, Shape] = {}
_NUMBERS = itertools.count()  # server-side names are never reused in a process


def shape_of(conn: Connection, statement) -> Shape:
    shape = SHAPES.get(id(statement))
    if shape is None or shape.statement is not statement:
        shape = SHAPES[id(statement)] = Shape(statement, statement.compile(dialect=conn.dialect), next(_NUMBERS))
    return shape


class Wire:
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


def wire_of(dbapi) -> Wire:
    w = getattr(dbapi, "_tiaojie_wire", None)
    if w is None:
        w = dbapi._tiaojie_wire = Wire(dbapi)
    return w


def execute_text(shape: Shape, w: Wire, values: dict) -> bytes:
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


def row(w: Wire, shape: Shape, res):
    """The first row of a result as a named tuple (the columns' names: psycopg's ``namedtuple_row``), or None."""
    return w.loader.load_row(0, _loading(w, shape, res)) if res.ntuples else None


def rows(w: Wire, shape: Shape, res) -> list:
    """Every row of a result as named tuples (``row``)."""
    return w.loader.load_rows(0, res.ntuples, _loading(w, shape, res)) if res.ntuples else []


def _loading(w: Wire, shape: Shape, res):
    """Set the connection's loader on ``res``; the maker of the statement's named tuples (made at its first row)."""
    if shape.row_type is None:
        shape.row_type = _make_nt(w.encoding, *(res.fname(i) for i in range(res.nfields)))._make
    w.loader.set_pgresult(res)
    return shape.row_type


def prepare_missing(dbapi, cur, w: Wire) -> None:
    """Prepare on an idle connection every statement this process has sent that it has not seen yet, each in a
    message of its own. One PostgreSQL will not prepare as written (a parameter whose type it cannot tell) is
    left out for good: it goes the driver's way, which types its parameters."""
    for shape in [s for s in SHAPES.values() if s.name not in w.prepared and not s.unpreparable]:
        try:
            without_psycopg_begin(dbapi, cur, shape.prepare)
        except DuplicatePreparedStatement:  # prepared before we lost count (autocommit: nothing else is affected)
            pass
        except DBAPI_ERROR:
            shape.unpreparable = True
            continue
        w.prepared.add(shape.name)


def missing(w: Wire) -> bool:
    """Whether statements this process has sent may still be prepared on ``w``'s connection."""
    return len(w.prepared) < len(SHAPES) and any(
        s.name not in w.prepared and not s.unpreparable for s in SHAPES.values())


def without_psycopg_begin(dbapi, cur, message: bytes) -> None:
    """Execute ``message`` on an idle connection without psycopg's BEGIN first: the message begins the
    transaction itself (or, a PREPARE, needs none). psycopg reads the transaction's state from libpq, so it
    commits and rolls back what the message began as its own."""
    autocommit, dbapi._autocommit = dbapi._autocommit, True  # psycopg would otherwise send BEGIN first
    try:
        cur.execute(message, prepare=False)
    finally:
        dbapi._autocommit = autocommit
