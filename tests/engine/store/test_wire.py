"""The hot path's wire on PostgreSQL (engine.store.wire): BEGIN sent with the first statement, a step's write held
and sent with its COMMIT, both still whole transactions; round trips counted from libpq's own trace."""

import re
import tempfile

import psycopg
import pytest
from psycopg import pq
from sqlalchemy import event, select, text

from engine import Database
from engine.cases import read, service
from engine.core import clock
from engine.core.errors import Conflict
from engine.core.settings import get_settings
from engine.core.types import User
from engine.store import stepwrite, wire
from engine.store.tables import cases, tasks
from tests.helpers.engine import complete, deploy, open_task, start, two_task_case


def _round_trips(db, run) -> tuple[int, list[str]]:
    """Messages that wait for the server (simple queries and extended-protocol syncs) while ``run`` runs, on
    every pooled connection it uses, read from libpq's trace. psycopg begins with ``BEGIN ISOLATION LEVEL READ
    COMMITTED`` on a connection SQLAlchemy has reset after an AUTOCOMMIT use (an earlier test's ANALYZE): the same
    transaction, shown as ``BEGIN``."""
    traces = {}

    def checkout(dbapi_conn, record, proxy):
        if id(dbapi_conn) not in traces:
            f = tempfile.TemporaryFile("w+")
            dbapi_conn.pgconn.trace(f.fileno())
            dbapi_conn.pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS | pq.Trace.REGRESS_MODE)
            traces[id(dbapi_conn)] = (dbapi_conn, f)

    event.listen(db.engine, "checkout", checkout)
    try:
        run()
    finally:
        event.remove(db.engine, "checkout", checkout)
    sent = []
    for dbapi_conn, f in traces.values():
        dbapi_conn.pgconn.untrace()
        f.seek(0)
        for line in f.read().splitlines():
            parts = line.split("\t")
            if parts[0] == "F" and parts[2] == "Query":
                text = re.sub(r"^BEGIN ISOLATION LEVEL [A-Z ]+;", "BEGIN;", parts[3].strip().strip('"'))
                sent.append(text[:20] + " … " + text[-8:])
            elif parts[0] == "F" and parts[2] == "Sync":
                sent.append("Sync")
        f.close()
    return len(sent), sent


@pytest.mark.postgres
def test_a_two_task_case_takes_six_round_trips_instead_of_eleven(pg_db, fused):
    deploy(pg_db, "two_task.bpmn")
    for _ in range(20):  # each statement prepared on each pooled connection, the rule caches filled
        two_task_case(pg_db)
    # the fewest of a few cases: a cache that expires on a slow machine costs a read that is not the wire's
    n, sent = min((_round_trips(pg_db, lambda: two_task_case(pg_db)) for _ in range(5)), key=lambda x: x[0])
    assert n == 6, sent
    # start: [BEGIN; EXECUTE start] then COMMIT; each step: [BEGIN; EXECUTE lock] then [EXECUTE write; COMMIT]
    assert [s.startswith("BEGIN; EXECUTE tj_") for s in sent] == [True, False] * 3, sent
    assert sent[1] == "COMMIT … COMMIT"
    assert all(s.startswith("EXECUTE tj_") and s.endswith("; COMMIT") for s in sent[3::2]), sent
    wire.FUSE = False
    n, sent = min((_round_trips(pg_db, lambda: two_task_case(pg_db)) for _ in range(5)), key=lambda x: x[0])
    assert n == 11, sent  # the driver's way: BEGIN, statements and COMMIT each in a round trip


@pytest.mark.postgres
def test_a_start_sent_with_its_begin_is_rolled_back_with_its_transaction(pg_db, fused):
    deploy(pg_db, "two_task.bpmn")
    with pg_db.begin() as conn:
        before = conn.execute(select(cases.c.id)).all()
    with pytest.raises(RuntimeError), pg_db.begin() as conn:
        service.start_case(conn, "two_task", {}, actor="t")
        raise RuntimeError("after the start")
    with pg_db.begin() as conn:
        assert conn.execute(select(cases.c.id)).all() == before  # BEGIN went with it: nothing committed


@pytest.mark.postgres
def test_a_held_write_is_sent_before_the_next_statement_and_dropped_at_a_rollback(pg_db, fused):
    deploy(pg_db, "two_task.bpmn")
    case = start(pg_db, "two_task")
    task = case.open_tasks[0]
    with pytest.raises(RuntimeError), pg_db.begin() as conn:
        service.complete_task(conn, task.id, {"amount": 1, "channel": "window"}, actor="t")
        assert wire.pending(conn)
        status = conn.execute(select(tasks.c.status).where(tasks.c.id == task.id)).scalar_one()
        assert status == "completed" and not wire.pending(conn)  # sent first, in this transaction
        raise RuntimeError("roll back")
    assert open_task(pg_db, case.id, "register").id == task.id  # rolled back with it
    with pytest.raises(RuntimeError), pg_db.begin() as conn:
        service.complete_task(conn, task.id, {"amount": 1, "channel": "window"}, actor="t")
        assert wire.pending(conn)
        raise RuntimeError("before the commit")
    for _ in range(3):  # the pooled connection goes on without it
        with pg_db.begin() as conn:
            assert not wire.pending(conn)
            conn.execute(text("SELECT 1"))
    assert open_task(pg_db, case.id, "register").id == task.id
    done = complete(pg_db, task.id, {"amount": 1, "channel": "window"})
    assert [t.element_id for t in done.open_tasks] == ["mediate"]


def _stale_write(conn, case_id: int, task_id: str, revision: int = 99):
    """The step's write for ``task_id`` at ``revision`` (by default one the case has moved past)."""
    stepwrite.write(conn, case_id=case_id, revision=revision, values={"state": "{}", "next_timer_at": None},
                    new_tasks=[], cancelled=[], events=[], completed_id=task_id, actor="t",
                    at=clock.now())


@pytest.mark.postgres
def test_a_write_that_lost_its_race_raises_at_the_commit_and_commits_nothing(pg_db, fused):
    deploy(pg_db, "two_task.bpmn")
    case = start(pg_db, "two_task")
    task = case.open_tasks[0]
    with pytest.raises(Conflict, match="changed concurrently"), pg_db.begin() as conn:
        _stale_write(conn, case.id, task.id)
        assert wire.pending(conn)
    assert open_task(pg_db, case.id, "register").id == task.id  # its task UPDATE was not committed
    with pytest.raises(Conflict, match="changed concurrently"), pg_db.begin() as conn:
        _stale_write(conn, case.id, task.id)
        conn.execute(text("SELECT 1"))  # sent before this one, and refused there
    wire.FUSE = False
    with pytest.raises(Conflict, match="changed concurrently"), pg_db.begin() as conn:
        _stale_write(conn, case.id, task.id)  # the driver's way: refused at once
        assert not wire.pending(conn)
    assert open_task(pg_db, case.id, "register").id == task.id


@pytest.mark.postgres
def test_a_task_completed_by_someone_else_is_reported_as_such(pg_db, fused):
    deploy(pg_db, "two_task.bpmn")
    case = start(pg_db, "two_task")
    task = case.open_tasks[0]
    with pg_db.begin() as conn:
        revision = conn.execute(select(cases.c.revision).where(cases.c.id == case.id)).scalar_one()
    complete(pg_db, task.id, {"amount": 1, "channel": "window"})
    with pytest.raises(Conflict, match="completed by someone else"), pg_db.begin() as conn:
        _stale_write(conn, case.id, task.id, revision)


@pytest.mark.postgres
def test_a_savepoint_after_a_held_write_keeps_the_write(pg_db, fused):
    deploy(pg_db, "two_task.bpmn")
    case = start(pg_db, "two_task")
    task = case.open_tasks[0]
    with pg_db.begin() as conn:
        service.complete_task(conn, task.id, {"amount": 1, "channel": "window"}, actor="t")
        nested = conn.begin_nested()  # SAVEPOINT: the held write goes first
        nested.rollback()
    assert open_task(pg_db, case.id, "mediate")


def test_a_write_is_held_on_postgresql_and_sent_at_once_elsewhere(db, fused):
    deploy(db, "two_task.bpmn")
    case = start(db, "two_task")
    with db.begin() as conn:
        service.complete_task(conn, case.open_tasks[0].id, {"amount": 1, "channel": "window"}, actor="t")
        assert wire.pending(conn) is (db.dialect == "postgresql")
    assert open_task(db, case.id, "mediate")


@pytest.mark.postgres
def test_behind_a_transaction_pooler_the_hot_path_can_go_the_drivers_way(pg_db, fused, monkeypatch):
    """``TIAOJIE_DB_SERVER_PREPARED=false``: no SQL-level PREPARE (a pooler in transaction mode would lose it)."""
    monkeypatch.setenv("TIAOJIE_DB_SERVER_PREPARED", "false")
    get_settings.cache_clear()
    db = Database(pg_db.url)
    try:
        assert wire.FUSE is False
        deploy(db, "two_task.bpmn")
        user = User(1, "supervisor1", "supervisor", [])  # sees every community

        def case_and_page():
            case = two_task_case(db)
            with db.begin() as conn:
                page = read.detail(conn, user, case.id)  # its first reads through wire.read_all
            assert page["status"] == "completed" and len(page["timeline"]) == 6

        _, sent = _round_trips(db, case_and_page)
        assert not any(s.startswith(("PREPARE", "BEGIN; EXECUTE", "EXECUTE")) for s in sent), sent
        assert two_task_case(db).status == "completed"
    finally:
        db.dispose()
        monkeypatch.delenv("TIAOJIE_DB_SERVER_PREPARED")
        get_settings.cache_clear()


@pytest.mark.postgres
def test_statements_deallocated_behind_its_back_are_prepared_again_at_a_transactions_start(pg_db, fused):
    """Someone runs DEALLOCATE ALL on the connection where psycopg cannot see it: the next transaction's first
    statement fails before doing anything, is sent again the driver's way, and the statements are prepared anew."""
    deploy(pg_db, "two_task.bpmn")
    with pg_db.engine.connect() as conn:
        for _ in range(2):  # the caches filled, then the start prepared on this connection at its idle start
            with conn.begin():
                service.start_case(conn, "two_task", {}, actor="t")
        dbapi = conn.connection.dbapi_connection
        assert wire.pending(conn) is False and dbapi._tiaojie_wire.prepared  # it believes them prepared
        dbapi.pgconn.exec_(b"DEALLOCATE ALL")  # under psycopg's feet: it does not see this
        with conn.begin():
            case = service.start_case(conn, "two_task", {}, actor="t")  # refused, rolled back, sent again
        assert case.open_tasks[0].element_id == "register"
        with conn.begin():
            service.start_case(conn, "two_task", {}, actor="t")  # the next idle start prepares them again
            names = {r[0] for r in conn.execute(text("SELECT name FROM pg_prepared_statements"))}
        assert any(n.startswith("tj_") for n in names), names
    assert open_task(pg_db, case.id, "register")


@pytest.mark.postgres
def test_a_message_sent_straight_on_libpq_raises_the_drivers_error_and_runs_nothing_after_it(pg_db):
    """``exchange`` reads one result per statement run; a failed statement raises psycopg's own error class with
    its diagnostics, PostgreSQL skips the rest of the message, and the transaction it began is left failed for
    the caller's rollback."""
    raw = pg_db.engine.raw_connection()
    try:
        dbapi = raw.dbapi_connection
        results = wire.exchange(dbapi, b"SELECT 1 AS one, 'x' AS two; SELECT 2")
        assert [r.ntuples for r in results] == [1, 1] and results[0].get_value(0, 1) == b"x"
        with pytest.raises(psycopg.errors.UniqueViolation) as err:
            wire.exchange(dbapi, b"BEGIN; CREATE TEMP TABLE wire_t (id int PRIMARY KEY) ON COMMIT DROP; "
                                 b"INSERT INTO wire_t VALUES (1); INSERT INTO wire_t VALUES (1); "
                                 b"INSERT INTO wire_t VALUES (2); COMMIT")
        assert err.value.diag.constraint_name == "wire_t_pkey"
        assert dbapi.pgconn.transaction_status == pq.TransactionStatus.INERROR  # the COMMIT was never run
        dbapi.rollback()
        (gone,) = wire.exchange(dbapi, b"SELECT to_regclass('pg_temp.wire_t') IS NULL")
        assert gone.get_value(0, 0) == b"t"
    finally:
        raw.close()


@pytest.mark.postgres
def test_the_hot_paths_rows_are_named_tuples_of_the_statements_columns(pg_db, fused):
    deploy(pg_db, "two_task.bpmn")
    with pg_db.begin() as conn:
        case = service.start_case(conn, "two_task", {}, actor="t")
    task_id = case.open_tasks[0].id
    statement = text("SELECT id, element_id, status AS task_status, created_at, case_id FROM tasks WHERE id = :t")
    for _ in range(2):  # the first prepares it; the second comes from the prepared statement's own message
        with pg_db.begin() as conn:
            row = wire.first_row(conn, statement, {"t": task_id})
        assert (row.id, row.element_id, row.task_status, row.case_id) == (task_id, "register", "ready", case.id)
        assert row.created_at.tzinfo is not None  # loaded by psycopg's own loaders (timestamptz → datetime)
    with pg_db.begin() as conn:
        assert wire.first_row(conn, statement, {"t": "no such task"}) is None


_PAGE_TASKS = text("SELECT id, element_id, status FROM tasks WHERE case_id = :c ORDER BY created_at")
_PAGE_EVENTS = text("SELECT kind FROM case_events WHERE case_id = :c ORDER BY id")
_PAGE_NONE = text("SELECT id FROM tasks WHERE case_id = :c AND status = 'no such status'")


def test_reads_sent_together_give_each_statements_rows(db, fused):
    """``read_all``: the rows of each read, in order, a read with none giving []; the same on both databases."""
    deploy(db, "two_task.bpmn")
    case = two_task_case(db)
    for _ in range(2):  # on PostgreSQL the first prepares them at the transaction's start, the second reuses them
        with db.begin() as conn:
            found, kinds, none = wire.read_all(conn, [(_PAGE_TASKS, {"c": case.id}), (_PAGE_EVENTS, {"c": case.id}),
                                                      (_PAGE_NONE, {"c": case.id})])
        assert [(r.element_id, r.status) for r in found] == [("register", "completed"), ("mediate", "completed")]
        assert [r.kind for r in kinds] == ["case_started", "task_created", "task_completed", "task_created",
                                           "task_completed", "case_completed"]
        assert none == []


@pytest.mark.postgres
def test_reads_sent_together_take_one_round_trip_and_a_failed_one_raises(pg_db, fused):
    deploy(pg_db, "two_task.bpmn")
    case = two_task_case(pg_db)
    reads = [(_PAGE_TASKS, {"c": case.id}), (_PAGE_EVENTS, {"c": case.id}), (_PAGE_NONE, {"c": case.id})]
    with pg_db.begin() as conn:
        wire.read_all(conn, reads)  # prepared on this connection

    def page():
        with pg_db.begin() as conn:
            assert len(wire.read_all(conn, reads)[1]) == 6

    _, sent = _round_trips(pg_db, page)
    # on a pooled connection that has not seen them, each is first prepared once in a message of its own
    run = [s for s in sent if not s.startswith("PREPARE")]
    assert len(run) == 2 and run[0].startswith("BEGIN; EXECUTE tj_") and run[1].startswith("COMMIT"), sent
    with pg_db.begin() as conn:
        conn.execute(text("SELECT 1"))  # mid-transaction: a statement never prepared goes the driver's way
        late = text("SELECT count(*) AS n FROM case_events WHERE case_id = :c")
        (rows,) = wire.read_all(conn, [(late, {"c": case.id})])
        assert rows[0].n == 6
    with pytest.raises(Exception) as err, pg_db.begin() as conn:
        wire.read_all(conn, [(_PAGE_TASKS, {"c": case.id}), (text("SELECT 1 / (:z - :z) AS x"), {"z": 1})])
    assert "division by zero" in str(err.value)  # its PREPARE refused (untyped): sent the driver's way, which fails
    for _ in range(2):  # later transactions start as usual: the refused statement is not prepared again
        with pg_db.begin() as conn:
            assert len(wire.read_all(conn, reads)[0]) == 2
