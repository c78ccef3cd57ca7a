"""On PostgreSQL the report reads its grouped figures in two passes (``report_passes``): the same figures, in the
same order, as the one-question statements of ``report_queries`` that SQLite runs."""

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from engine.ledger import codes as c
from engine.reports.annual import MEDIATION_HANDLED, annual_report
from engine.store import report_passes as passes
from engine.store import report_queries as q
from engine.store.tables import cases, deadlines
from tests.helpers.ledger import row
from tests.helpers.reports import load_ledger, seed_rows

OUTCOMES = c.stored_outcomes(MEDIATION_HANDLED)
# (kind, status, closed late?) of the clocks given to every seventh case: on time, late, fired, cancelled, timer
CLOCKS = [("sla", "met", False), ("statutory", "met", True), ("sla", "fired", None), ("sla", "cancelled", None),
          ("timer", "fired", None), ("sla", "pending", None)]


def _clocks(conn) -> None:
    ids = conn.execute(select(cases.c.id).order_by(cases.c.id)).scalars().all()
    now, start = datetime.now(UTC), datetime(2025, 1, 1, tzinfo=UTC)
    rows = []
    for i, case_id in enumerate(ids[::7]):
        for j in range(1 + i % 2):  # some cases have two clocks
            kind, status, late = CLOCKS[(i + j) % len(CLOCKS)]
            due = start + timedelta(days=30)
            closed = None if late is None else due + timedelta(days=1 if late else -1)
            rows.append({"case_id": case_id, "kind": kind, "name": f"期限{(i + j) % 3}", "clock": "natural",
                         "starts_at": start, "due_at": due, "status": status, "paused_seconds": 0,
                         "escalation_level": 0, "attempts": 0, "closed_at": closed, "created_at": now,
                         "updated_at": now})
    conn.execute(deadlines.insert(), rows)


def _one_question_each(conn, start, end) -> tuple:
    return (q.outcome_groups(conn, start, end), q.conclusion_groups(conn, start, end),
            {b: q.visit_counts(conn, start, end, b) for b in c.BODIES},
            {by: q.breakdown(conn, start, end, c.MEDIATION, OUTCOMES, by) for by in passes.BREAKDOWNS})


def _two_passes(conn, start, end) -> tuple:
    groups, conclusion, visits = passes.outcome_pass(conn, start, end)
    visits = {b: visits.get(b, {"over_level": 0, "repeat_visited": 0, "repeat_visits": 0}) for b in c.BODIES}
    return groups, conclusion, visits, passes.breakdown_pass(conn, start, end, c.MEDIATION, OUTCOMES)


def _key(r: dict):
    return tuple("" if v is None else str(v) for v in r.values())


def test_two_passes_give_the_figures_of_one_question_each(pg_db, tmp_path):
    rows = seed_rows() + [row("XF-2026-0001", "2026-02-03", 处理机构="信访", 处理结果="办结", 结案日期="2026-02-20"),
                          row("TJ-2024-0001", "2024-12-30", 纠纷类型="合同", 处理结果="调解成功", 结案日期="2025-01-09")]
    load_ledger(pg_db, tmp_path, rows)
    with pg_db.begin() as conn:
        conn.execute(cases.update().where(cases.c.handling_body == c.PETITIONS, cases.c.id % 3 == 0)
                     .values(over_level=True, visit_count=3))
        _clocks(conn)
    for start, end in ((date(2025, 1, 1), date(2025, 12, 31)), (date(2024, 6, 1), date(2026, 5, 31)),
                       (date(2025, 3, 1), date(2025, 3, 31))):
        with pg_db.begin() as conn:
            groups, conclusion, visits, breakdowns = _one_question_each(conn, start, end)
            p_groups, p_conclusion, p_visits, p_breakdowns = _two_passes(conn, start, end)
        assert sorted(p_groups, key=_key) == sorted(groups, key=_key)
        assert sorted(p_conclusion, key=_key) == sorted(conclusion, key=_key)
        assert any(r["clocked"] and r["late"] for r in conclusion) and any(r["clocked"] and not r["late"]
                                                                           for r in conclusion)
        assert p_visits == visits and any(v["over_level"] for v in visits.values())
        for by in passes.BREAKDOWNS:  # the same counts in the same order (by_month keeps the SQL's order)
            assert list(p_breakdowns[by].items()) == list(breakdowns[by].items()), by
        assert sum(breakdowns["month"].values()) > 0


def test_the_report_runs_without_jit_and_leaves_the_settings_to_its_transaction(pg_db):
    with pg_db.begin() as conn:
        server = (conn.exec_driver_sql("SHOW jit").scalar_one(), conn.exec_driver_sql("SHOW work_mem").scalar_one())
    with pg_db.begin() as conn:
        annual_report(conn, 2025)
        assert conn.exec_driver_sql("SHOW jit").scalar_one() == "off"
        assert conn.exec_driver_sql("SHOW work_mem").scalar_one() == "32MB"
    with pg_db.begin() as conn:  # SET LOCAL: the pooled connection is back to the server's settings
        assert (conn.exec_driver_sql("SHOW jit").scalar_one(), conn.exec_driver_sql("SHOW work_mem").scalar_one()) \
            == server
