"""The raw-durable comparison of ``make bench`` runs (tiny sizes; figures are not checked, only that both
sides really ran the case to its end and the counts are read)."""

from sqlalchemy import text

from tests.bench import durable_bench


def test_both_sides_run_the_two_task_case_durably(pg_db):
    out = durable_bench.run(pg_db, cases=2, rounds=2)
    try:
        with pg_db.begin() as conn:
            raw_states = conn.execute(text("SELECT state FROM raw_cases")).scalars().all()
            ours = conn.execute(text("SELECT status, count(*) FROM cases GROUP BY status")).all()
    finally:
        with pg_db.begin() as conn:
            conn.execute(text("DROP TABLE raw_cases"))
    runs = 10 + 2 * 2  # warm-up cases, then rounds × cases on each side
    assert len(raw_states) == runs and all('"mediate"' in s for s in raw_states)
    assert dict(ours) == {"completed": runs + 50}  # and the 50 counted cases
    assert len(out["engine_vs_raw_durable_ratios"]) == 2 and out["engine_vs_raw_durable_ratio"] > 0
    assert out["statements_per_case"] >= 3 and out["commits_per_case"] == 3  # one transaction per call
