"""The per-case profile of ``make bench`` (tiny sizes). Not a timing test: the checks are accounting ones (every
bucket non-negative, the buckets add up to the time the profiler saw, the driver saw the statements and commits)."""

import pytest
from sqlalchemy import text

from tests.bench import profile_case, profile_http, targets
from tests.bench.profiling import DATABASE, IDLE, Edges, attribute


def _sums_to(buckets: dict, total: float) -> bool:
    return all(v >= 0 for v in buckets.values()) and abs(sum(buckets.values()) - total) <= 0.15 * total


def test_the_in_process_profile_accounts_for_each_case_on_both_sides(pg_db):
    try:
        out = profile_case.run(pg_db, cases=3, warm=1, http=False)["profile"]
    finally:
        with pg_db.begin() as conn:
            conn.execute(text("DROP TABLE IF EXISTS raw_cases"))
    ours, raw = out["inprocess"], out["raw_durable"]
    for side in (ours, raw):
        assert _sums_to(side["profiled_ms"], side["profiled_wall_ms"]), side
        assert side["profiled_ms"][DATABASE] > 0 and side["commits_per_case"] == 3  # one transaction per call
        assert 0 < side["driver_ms"] <= side["wall_ms"]
        assert side["estimated_ms"][DATABASE] == side["driver_ms"]
        assert side["top_sql"] and side["top_sql"][0]["ms_per_case"] > 0
    assert ours["statements_per_case"] >= 3 and ours["profiled_ms"][profile_case.SQLA_BUILD] > 0
    assert ours["profiled_ms"]["spiff runtime"] > 0 and ours["profiled_ms"]["tiaojie"] > 0
    assert raw["statements_per_case"] == 5  # INSERT, then SELECT … FOR UPDATE and UPDATE per step
    assert not {profile_case.SQLA_BUILD, profile_case.SQLA_RUN} & set(raw["profiled_ms"])
    assert set(raw["phases"]["phases_ms"]) == {"sql (driver)", "deserialize", "serialize", "engine steps and the rest"}
    shown = profile_case.render(out)
    assert "| database |" in shown and "raw durable" in shown


def test_the_http_profile_counts_three_requests_of_one_transaction_each(pg_db):
    out = profile_http.run(pg_db, cases=2, warm=1)
    assert out["transactions_per_request"] == 1.0 and out["commits_per_case"] == 3
    assert out["statements_per_case"] > 3
    assert all(v >= 0 for v in out["profiled_ms"].values())
    for bucket in (profile_http.STACK, profile_http.ROUTE, DATABASE):
        assert out["profiled_ms"][bucket] > 0, bucket
    busy = sum(v for k, v in out["profiled_ms"].items() if k != IDLE)
    assert busy == pytest.approx(out["profiled_busy_ms"], abs=0.01 * len(out["profiled_ms"]))
    if hasattr(profile_http.deps, "authenticate"):  # the whole of authenticate, its SQL included
        auth = out["spans"][profile_http.AUTH]
        assert auth["calls_per_case"] == 3 and auth["ms_per_case"] > 0
    assert "Over HTTP" in profile_case.render({"http": out})


def test_attribution_gives_the_time_of_builtins_to_their_callers_and_waits_to_idle():
    rules = [("/psycopg/", DATABASE), ("/app/", "app")]
    edges = Edges()
    app, driver = ("/app/x.py", "step"), ("/psycopg/c.py", "execute")
    dumps, poll, wait = ("~", "<built-in method dumps>"), ("~", "<method 'poll' of 'select.epoll' objects>"), (
        "~", "<built-in method wait>")
    edges.own.update({app: 1.0, driver: 0.5, dumps: 2.0, poll: 3.0, wait: 4.0})
    edges.edge.update({(app, dumps): 1.5, (driver, dumps): 0.5, (app, poll): 3.0, (driver, wait): 4.0})
    assert attribute(edges, rules) == {"app": 2.5, DATABASE: 4.5 + 0.5, IDLE: 3.0}


def test_targets_are_met_missed_or_not_measured():
    rows = targets.targets({"engine_vs_raw_durable_ratio": 0.5, "raw_durable_cases_per_s": 200.0,
                            "statements_per_case": 8, "profile": {"http": {"transactions_per_request": 1.0}}})
    assert rows["engine_vs_raw_durable_ratio"] == {"value": 0.5, "baseline": {"raw_durable_cases_per_s": 200.0},
                                                   "target": ">= 1.0", "met": False}
    assert rows["statements_per_case"]["met"] is True and rows["transactions_per_request"]["met"] is True
    assert rows["http_cases_per_s_4_clients"] == {"value": None, "baseline": None, "target": ">= 110", "met": None}
    assert "not measured" in targets.section({})
