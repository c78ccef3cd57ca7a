"""Annual report bench (issue 6): bulk-load N cases (default 1,000,000) of one year with PostgreSQL COPY,
then time the annual report (GROUP BY statistics in the database), median of 3; target < 2 s (issue 18).

Every case is accepted in the report year (the hardest case for the year filter: nothing is skipped),
spread over the handling bodies, outcomes, types, channels and communities; every fifth case has an
SLA deadline (met, met late, fired or pending) so the SLA join has work to do.
"""

import random
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from engine.ledger import codes
from engine.reports.annual import annual_report
from engine.store import ledger as store

YEAR = 2025
CASE_COLUMNS = ("case_number", "year", "process_key", "definition_id", "status", "revision", "state", "data",
                "channel", "source", "dispute_type", "community", "amount", "people_count", "difficult", "outcome",
                "repeat_petitioner", "created_at", "updated_at", "completed_at", "imported", "handling_body",
                "mediator", "accepted_on", "closed_on", "guidance_to", "guidance_letter_no", "recovered_amount")
DEADLINE_COLUMNS = ("case_id", "kind", "name", "clock", "starts_at", "due_at", "status", "paused_seconds",
                    "escalation_level", "attempts", "closed_at", "created_at", "updated_at")
BODIES = [(codes.MEDIATION, 60), (codes.PETITIONS, 12), (codes.STUDIO, 8), (codes.LABOUR_CENTER, 12),
          (codes.ARBITRATION, 3), ("行政调解", 5)]
OUTCOMES = {
    codes.MEDIATION: [(codes.SUCCEEDED, 90), (codes.PARTIAL, 2), (codes.FAILED, 2), (codes.TERMINATED, 1),
                      (codes.WITHDRAWN, 1), (codes.REFUSED, 1), (None, 3)],
    codes.PETITIONS: [(codes.CONCLUDED, 90), (codes.REFUSED, 3), (None, 7)],
    codes.STUDIO: [(codes.GUIDED, 95), (codes.CONCLUDED, 5)],
    codes.LABOUR_CENTER: [(codes.SUCCEEDED, 70), (codes.GUIDED, 25), (codes.WITHDRAWN, 5)],
    codes.ARBITRATION: [(codes.CONCLUDED, 50), (None, 50)],
    "行政调解": [(codes.SUCCEEDED, 80), (codes.FAILED, 20)],
}
COMMUNITIES = [f"第{i}社区" for i in range(1, 13)]
CHANNELS = ["综合服务大厅", "法治信箱", "网格员排查", "访前法律工作室", "12345热线", "网上平台", "转办", "法院委派"]
STAGES = ["人民调解期限", "信访登记转送", "信访办结", "劳动争议调解", "律师甄别"]


def _pick(rng: random.Random, weighted: list[tuple]) -> object:
    return rng.choices([v for v, _ in weighted], [w for _, w in weighted])[0]


def _cases(n: int, definition_id: int, rng: random.Random):
    now = datetime.now(UTC)
    for i in range(n):
        body = _pick(rng, BODIES)
        outcome = _pick(rng, OUTCOMES[body])
        accepted = date(YEAR, 1, 1) + timedelta(days=rng.randrange(365))
        closed = accepted + timedelta(days=rng.randrange(1, 80)) if outcome else None
        guided = outcome == codes.GUIDED
        target = ("劳动仲裁" if body == codes.LABOUR_CENTER else rng.choice(("诉讼", "劳动仲裁", "人民调解", "咨询"))
                  ) if guided else None
        at = datetime(accepted.year, accepted.month, accepted.day, 2, tzinfo=UTC)
        yield (f"BENCH-{i:07d}", YEAR, store.LEDGER_PROCESS, definition_id, "completed" if closed else "active", 1, "",
               "{}", rng.choice(CHANNELS), "当事人申请", rng.choice(codes.DISPUTE_TYPES[:15]), rng.choice(COMMUNITIES),
               Decimal(rng.randrange(0, 5_000_000)) / 100, rng.randrange(1, 6), rng.random() < 0.01, outcome, False,
               at, now, at + timedelta(days=(closed - accepted).days) if closed else None, True, body, None, accepted,
               closed, target, f"YD-{i:07d}" if guided and body == codes.STUDIO else None,
               Decimal(rng.randrange(0, 100_000)) if body == codes.LABOUR_CENTER else None)


def _deadlines(n: int, rng: random.Random):
    now = datetime.now(UTC)
    for case_id in range(1, n + 1, 5):  # a fresh database: case ids are 1..n in load order
        start = datetime(YEAR, 1, 1, tzinfo=UTC) + timedelta(days=rng.randrange(365))
        due = start + timedelta(days=30)
        kind = rng.random()
        status, closed = (("met", due - timedelta(days=3)) if kind < 0.7 else ("met", due + timedelta(days=2))
                          if kind < 0.8 else ("fired", None) if kind < 0.9 else ("pending", None))
        yield (case_id, "sla", rng.choice(STAGES), "natural", start, due, status, 0, 0, 0, closed, now, now)


def run(db, n: int = 1_000_000, repeats: int = 3) -> dict:
    rng = random.Random(6)
    t0 = time.perf_counter()
    with db.begin() as conn:
        definition_id = store.ledger_definition(conn, datetime.now(UTC))
        loaded = store.copy_rows(conn, "cases", CASE_COLUMNS, _cases(n, definition_id, rng))
        with_deadlines = store.copy_rows(conn, "deadlines", DEADLINE_COLUMNS, _deadlines(n, rng))
    with db.engine.connect() as conn:  # as autovacuum leaves a loaded table: statistics and the visibility map
        conn.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql("VACUUM ANALYZE cases, deadlines")
    load_s = time.perf_counter() - t0
    timings, report = [], None
    for _ in range(repeats):
        t = time.perf_counter()
        with db.begin() as conn:
            report = annual_report(conn, YEAR)
        timings.append(time.perf_counter() - t)
    timings.sort()
    assert report["mediation"]["handled"] > 0 and report["sla"]["deadlines"] == with_deadlines, report["sla"]
    assert all(ch["ok"] for ch in report["checks"] if not ch["name"].startswith("studio.one_letter")), report["checks"]
    return {"report_cases": loaded, "report_deadlines": with_deadlines, "report_load_s": round(load_s, 1),
            "report_annual_s": round(timings[len(timings) // 2], 2),
            "report_annual_runs_s": [round(t, 2) for t in timings]}
