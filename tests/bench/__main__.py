"""Run the benchmarks, print the targets of issue 18 first, then a table; write bench-results.json and the figures
of docs/performance.md.

Usage: python -m tests.bench [--steps N] [--open-cases N] [--samples N] [--only-durable] [--only-profile] …
Every run starts with the raw-durable comparison (durable_bench) and the per-case profile (profile_case);
--only-report/--only-search/--only-queue/--only-durable/--only-profile add their figures to the last full run's
bench-results.json.
"""

import argparse
import json
import os
import platform
import re
from datetime import UTC, datetime
from pathlib import Path

from tests.bench import engine_bench, targets
from tests.bench.common import fresh_pg

ROOT = Path(__file__).resolve().parents[2]
ROWS = [
    ("raw_durable_cases_per_s", "(0) raw SpiffWorkflow durable on PostgreSQL, 2-task case", "cases/s"),
    ("engine_cases_per_s", "(0) tiaojie in-process, same case, same PostgreSQL", "cases/s"),
    ("engine_vs_raw_durable_ratio", "(0) engine_vs_raw_durable_ratio, median of rounds (target >= 1.0)", "ratio"),
    ("statements_per_case", "(0) SQL statements per case in-process (target <= 8)", "stmts"),
    ("commits_per_case", "(0) commits per case in-process", "commits"),
    ("raw_spiff_steps_per_s", "(1) raw SpiffWorkflow step (own serializer), memory", "steps/s"),
    ("runtime_steps_per_s", "(1b) engine runtime step (spec cached), memory", "steps/s"),
    ("engine_steps_per_s", "(2) engine service step on PostgreSQL", "steps/s"),
    ("engine_step_ratio", "(2)/(1) secondary: vs raw Spiff in memory, no DB", "ratio"),
    ("engine_vs_runtime_ratio", "(2)/(1b) cost of the database round trips", "ratio"),
    ("engine_statements_per_step", "SQL statements per engine step", "stmts"),
    ("case_starts_per_s", "(3) case starts", "cases/s"),
    ("task_list_p50_ms", "(4) group task list p50 at open_cases", "ms"),
    ("task_list_p95_ms", "(4) group task list p95 (target < 20 ms)", "ms"),
    ("task_list_p99_ms", "(4) group task list p99", "ms"),
    ("queue_open_tasks", "queue: open tasks in the database", "tasks"),
    ("queue_fill_s", "queue: SQL fill + VACUUM ANALYZE", "s"),
    *[(f"queue_{kind}_p{p}_ms", f"queue {label} p{p}", "ms") for kind, label in (
        ("group", "a group's tasks (supervisor)"), ("mine", "my tasks (assignee)"),
        ("scoped", "mediator, 2 communities"), ("scoped_next_page", "mediator, next page"),
        ("scoped_overdue", "mediator, overdue"), ("scoped_community", "mediator, one community"),
        ("header_counts", "header counts (capped at 99)"),
    ) for p in (50, 95, 99)],
    ("queue_worst_p95_ms", "queue calls at queue_open_tasks: worst p95 (target < 20)", "ms"),
    ("inprocess_cases_per_s_1_client", "API: full case in-process (POST /cases, complete, GET), 1 thread", "cases/s"),
    ("http_cases_per_s_1_client", "API: full case over HTTP, 1 client, 2 workers", "cases/s"),
    ("http_vs_inprocess_ratio_1_client", "API: HTTP / in-process, 1 client", "ratio"),
    ("inprocess_cases_per_s_4_clients", "API: full case in-process, 4 threads", "cases/s"),
    ("http_cases_per_s_4_clients", "API: full case over HTTP, 4 clients, 2 workers (target >= 110)", "cases/s"),
    ("http_vs_inprocess_ratio", "API: http_vs_inprocess_ratio, 4 clients, median of rounds (target >= 0.8)",
     "ratio"),
    ("http_task_list_p50_ms", "API: GET /tasks?group= p50 at open_cases", "ms"),
    ("http_task_list_p95_ms", "API: GET /tasks?group= p95 (target < 30 ms)", "ms"),
    ("http_task_list_p99_ms", "API: GET /tasks?group= p99", "ms"),
    ("deadlines_fired_per_s_1_worker", "deadlines fired, 1 worker process (target >= 500)", "/s"),
    ("deadlines_fired_per_s_2_workers", "deadlines fired, 2 worker processes", "/s"),
    ("deadline_lateness_p50_s_1_worker", "lateness due → fired p50, 1 worker", "s"),
    ("deadline_lateness_p99_s_1_worker", "lateness due → fired p99, 1 worker (target < 2)", "s"),
    ("deadline_lateness_p50_s_2_workers", "lateness due → fired p50, 2 workers", "s"),
    ("deadline_lateness_p99_s_2_workers", "lateness due → fired p99, 2 workers", "s"),
    ("report_cases", "annual report: cases of the year in the database", "cases"),
    ("report_load_s", "annual report: bulk load (COPY) + ANALYZE", "s"),
    ("report_annual_s", "annual report, median of 3 (target < 2)", "s"),
    ("search_cases", "case search: cases in the database", "cases"),
    ("search_fill_s", "case search: SQL fill + VACUUM ANALYZE", "s"),
    *[(f"search_{name}_p{p}_ms", f"case search {label} p{p}", "ms") for name, label in (
        ("number_exact", "by 案号 as written"), ("number_odd_spelling", "by 案号 (2026)福田调11"),
        ("number_bare", "by a bare number 0011"), ("phone", "by phone (exact)"), ("id_number", "by ID number (exact)"),
        ("name_3_chars", "by a 3-character name"), ("name_2_chars", "by 2 characters of a name"),
        ("name_in_box", "by a name in the search box"), ("filters_sorted", "filters + sort, page 1"),
        ("filters_sorted_deep", "filters + sort, row 10 000"), ("all_first_page", "everything, page 1"),
        ("all_deepest_page", "everything, row 10 000"), ("scoped_risk_group", "caseworker: red group cases"),
        ("scoped_overdue_stage", "caseworker: overdue at a step"), ("leader_cases", "a leader's 包案 cases"),
    ) for p in (50, 95)],
    ("search_worst_p95_ms", "case search: worst p95 (target < 100)", "ms"),
]


def table(results: dict) -> str:
    lines = [f"{'figure':<64} {'value':>10}  unit", "-" * 84]
    for key, label, unit in ROWS:
        if key in results:
            lines.append(f"{label:<64} {results[key]:>10}  {unit}")
    if "open_cases" in results:
        lines.append(f"{'open cases in the database':<64} {results['open_cases']:>10}  cases")
    return "\n".join(lines)


def write_docs(results: dict, text: str | None, profile: str | None = None) -> None:
    """Fill the blocks between the markers of docs/performance.md: the targets, the table (bench), the profile."""
    doc = ROOT / "docs" / "performance.md"
    if not doc.exists():
        return
    body = doc.read_text(encoding="utf-8")
    when = f"{results['measured_at']}, {results['machine']}"
    if "load_average" in results:
        when += ", load average {} / {} / {} (1 / 5 / 15 min) at the end".format(*results["load_average"])
    block = f"<!-- targets:start -->\nFigures of {when}:\n\n```\n{targets.section(results)}\n```\n<!-- targets:end -->"
    body = re.sub(r"<!-- targets:start -->.*?<!-- targets:end -->", lambda _m: block, body, flags=re.S)
    if text is not None:
        block = f"<!-- bench:start -->\nLast `make bench` ({when}):\n\n```\n{text}\n```\n<!-- bench:end -->"
        body = re.sub(r"<!-- bench:start -->.*?<!-- bench:end -->", lambda _m: block, body, flags=re.S)
    if profile is not None:
        block = f"<!-- profile:start -->\nProfile of {when}:\n\n{profile}\n<!-- profile:end -->"
        body = re.sub(r"<!-- profile:start -->.*?<!-- profile:end -->", lambda _m: block, body, flags=re.S)
    doc.write_text(body, encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--steps", type=int, default=500, help="steps per round (3 rounds)")
    ap.add_argument("--open-cases", type=int, default=100_000)
    ap.add_argument("--samples", type=int, default=500)
    ap.add_argument("--http-ops", type=int, default=50,
                    help="full cases per client thread per round, over HTTP and in-process")
    ap.add_argument("--durable-cases", type=int, default=300, help="cases per round, raw durable vs tiaojie")
    ap.add_argument("--durable-rounds", type=int, default=5)
    ap.add_argument("--only-durable", action="store_true", help="run the raw durable comparison alone")
    ap.add_argument("--profile-cases", type=int, default=200, help="cases per side in the per-case profile")
    ap.add_argument("--profile-http-cases", type=int, default=60, help="full cases over HTTP in the profile")
    ap.add_argument("--skip-profile", action="store_true")
    ap.add_argument("--only-profile", action="store_true", help="run the per-case profile alone")
    ap.add_argument("--db-suffix", default="", help="added to each database name (runs side by side on one server)")
    ap.add_argument("--skip-http", action="store_true")
    ap.add_argument("--skip-deadlines", action="store_true")
    ap.add_argument("--due", type=int, default=5000, help="deadlines made due in each worker run")
    ap.add_argument("--report-cases", type=int, default=1_000_000, help="cases loaded for the annual report bench")
    ap.add_argument("--skip-report", action="store_true")
    ap.add_argument("--only-report", action="store_true", help="run the annual report bench alone")
    ap.add_argument("--search-cases", type=int, default=1_000_000, help="cases filled for the case search bench")
    ap.add_argument("--skip-search", action="store_true")
    ap.add_argument("--only-search", action="store_true", help="run the case search bench alone")
    ap.add_argument("--queue-tasks", type=int, default=1_000_000, help="open tasks filled for the queue bench")
    ap.add_argument("--skip-queue", action="store_true")
    ap.add_argument("--only-queue", action="store_true", help="run the queue bench alone")
    args = ap.parse_args()
    results = {}
    if args.only_profile:
        args.only_report = args.skip_report = args.skip_search = True
    if args.only_queue:  # like --only-search: its figures are added to the last full run's
        args.only_search, args.skip_search = True, True
    if not (args.only_search or args.only_report):
        from tests.bench import durable_bench

        db = fresh_pg("tiaojie_bench_durable" + args.db_suffix)
        try:
            results.update(durable_bench.run(db, args.durable_cases, args.durable_rounds))
        finally:
            db.dispose()
    if not (args.only_search or args.only_report or args.only_durable or args.skip_profile) or args.only_profile:
        from tests.bench import profile_case

        db = fresh_pg("tiaojie_bench_profile" + args.db_suffix)
        try:
            results.update(profile_case.run(db, args.profile_cases, args.profile_http_cases,
                                            http=not args.skip_http))
        finally:
            db.dispose()
    if args.only_durable:
        args.only_report = args.skip_report = args.skip_search = True
    if args.only_search:
        args.only_report = args.skip_report = True
    elif args.only_report:
        args.skip_search = True
    if args.only_report:
        args.skip_http = args.skip_deadlines = True
    else:
        db = fresh_pg("tiaojie_bench" + args.db_suffix)
        try:
            results.update(engine_bench.run(db, args.steps, args.open_cases, args.samples))
        finally:
            db.dispose()
    if not args.skip_http:
        from tests.bench import http_bench

        db = fresh_pg("tiaojie_bench_http" + args.db_suffix)
        try:
            results.update(http_bench.run(db, args.http_ops, args.open_cases, args.samples))
        finally:
            db.dispose()
    if not args.skip_deadlines:
        from tests.bench import deadline_bench

        db = fresh_pg("tiaojie_bench_deadlines" + args.db_suffix)
        try:
            results.update(deadline_bench.run(db, args.open_cases, args.due))
        finally:
            db.dispose()
    if not args.skip_report:
        from tests.bench import report_bench

        db = fresh_pg("tiaojie_bench_report" + args.db_suffix)
        try:
            results.update(report_bench.run(db, args.report_cases))
        finally:
            db.dispose()
    if args.only_queue or not (args.skip_queue or args.only_search or args.only_report):
        from tests.bench import queue_bench

        db = fresh_pg("tiaojie_bench_queue" + args.db_suffix)
        try:
            results.update(queue_bench.run(db, args.queue_tasks))
        finally:
            db.dispose()
    if not args.skip_search:
        from tests.bench import search_bench

        db = fresh_pg("tiaojie_bench_search" + args.db_suffix)
        try:
            results.update(search_bench.run(db, args.search_cases))
        finally:
            db.dispose()
    results["measured_at"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    results["machine"] = f"{platform.machine()}, Python {platform.python_version()}"
    results["load_average"] = [round(x, 1) for x in os.getloadavg()]  # 1, 5, 15 min at the end: how shared the cores were
    out = ROOT / "bench-results.json"
    partial = args.only_report  # add to the last full run's figures (--only-report, --only-search, --only-durable,
    # --only-profile); docs/performance.md keeps the full run's table
    if partial:
        previous = json.loads(out.read_text()) if out.exists() else {}
        results = {**previous, **results}
    results["targets"] = targets.targets(results)
    text = table(results)
    profile = render_profile(results)
    print(targets.section(results) + "\n\n" + text + ("\n\n" + profile if profile else ""))
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    write_docs(results, None if partial else text, profile)


def render_profile(results: dict) -> str | None:
    if "profile" not in results:
        return None
    from tests.bench import profile_case

    return profile_case.render(results["profile"])


if __name__ == "__main__":
    main()
