"""Statements and commits per case in-process (issue 18): the bench's two-task case (start, complete 登记, complete
调解) counted statement by statement, and the cached definition lookup that keeps the start at one statement."""

from sqlalchemy import Engine, event, text

from engine import Database, processes
from engine.cases import service
from engine.core import clock
from engine.deadlines import calendar, rules
from tests.helpers.engine import bundle, deploy
from tests.helpers.engine import two_task_case as _case
from tests.helpers.sql import StatementCounter

# PostgreSQL: the start is one statement, each step a locked read and one write (issue 18 asks for at most 8).
PG_STATEMENTS_PER_CASE = 5
# SQLite keeps plain statements: the definition, counter, case, dates, task and events of the start, each step's
# read, task, case, new task, events (the last one closes the deadlines), and a BEGIN IMMEDIATE per transaction.
SQLITE_STATEMENTS_PER_CASE = 19
COMMITS_PER_CASE = 3  # one transaction per engine call



class _Commits:
    def __init__(self, engine: Engine):
        self.count, self._engine = 0, engine
        event.listen(engine, "commit", self._on)

    def _on(self, *args):
        self.count += 1

    def close(self):
        event.remove(self._engine, "commit", self._on)


def _counter(monkeypatch):
    """(statements, commits) of one case after a first one warmed the caches (the SLA rules and the holiday
    calendar are read at most every few seconds: held here so a slow machine does not count a reload)."""
    monkeypatch.setattr(rules, "RULE_CACHE_SECONDS", 3600.0)
    monkeypatch.setattr(calendar, "CALENDAR_CACHE_SECONDS", 3600.0)

    def count(db: Database) -> tuple[int, int]:
        deploy(db, "two_task.bpmn")
        _case(db)
        statements, commits = StatementCounter(db), _Commits(db.engine)
        try:
            _case(db)
        finally:
            statements.close()
            commits.close()
        return statements.count, commits.count

    return count


def test_a_case_stays_within_its_statement_budget(db, monkeypatch):
    statements, commits = _counter(monkeypatch)(db)
    budget = PG_STATEMENTS_PER_CASE if db.dialect == "postgresql" else SQLITE_STATEMENTS_PER_CASE
    assert statements <= budget, f"{statements} statements per case on {db.dialect}, budget {budget}"
    assert commits == COMMITS_PER_CASE


def test_a_deploy_from_another_connection_is_seen_by_the_next_start(pg_db):
    """The start reads the latest definition from this process's memory; a version deployed elsewhere (another
    engine here, another API process in production) is still the one the next case starts on, and the
    attempt on the older one leaves nothing behind (the case numbers follow each other)."""
    deploy(pg_db, "two_task.bpmn")
    with pg_db.begin() as conn:
        first = service.start_case(conn, "two_task", {}, actor="bench")
    other = Database(pg_db.engine.url.render_as_string(hide_password=False))
    try:
        files = bundle("two_task.bpmn")
        files["two_task.bpmn"] = files["two_task.bpmn"].replace("两环节案件".encode(), "两环节案件（第二版）".encode())
        with other.begin() as conn:
            processes.deploy(conn, files, actor="elsewhere")
    finally:
        other.dispose()
    with pg_db.begin() as conn:
        second = service.start_case(conn, "two_task", {}, actor="bench")
    assert (first.definition_version, second.definition_version) == (1, 2)
    assert first.case_number.endswith("0001号") and second.case_number.endswith("0002号")
    with pg_db.begin() as conn:
        third = service.start_case(conn, "two_task", {}, actor="bench")
    assert third.definition_version == 2 and third.case_number.endswith("0003号")


def test_the_number_made_in_sql_is_the_python_spelling(pg_db):
    """On PostgreSQL the 案号 is made from the counter in the start's statement; it reads as ``case_number``
    spells it, with more digits past 9999, and the case_started event carries it."""
    deploy(pg_db, "two_task.bpmn")
    with pg_db.begin() as conn:
        conn.execute(text("INSERT INTO case_counters (year, last) VALUES (:y, 9999)"),
                     {"y": clock.now().astimezone(service.SHANGHAI).year})
    cases = []
    for _ in range(2):
        with pg_db.begin() as conn:
            cases.append(service.start_case(conn, "two_task", {}, actor="bench"))
    year = cases[0].created_at.astimezone(service.SHANGHAI).year
    assert [c.case_number for c in cases] == [service.case_number(year, 10000), service.case_number(year, 10001)]
    with pg_db.begin() as conn:
        started = [e for e in service.case_events(conn, cases[1].id) if e.kind == "case_started"]
    assert started[0].data["number"] == cases[1].case_number
