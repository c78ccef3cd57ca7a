"""The targets of issue 18: each figure beside its baseline from the same run, met or not.

A key no part of the bench has produced yet prints as "not measured" (and is ``null`` in bench-results.json).
"""

import operator

# key, what it is, comparison, threshold, baseline keys (first present is shown), unit
TARGETS = [
    ("engine_vs_raw_durable_ratio", "tiaojie in-process ÷ raw SpiffWorkflow durable, cases/s", ">=", 1.0,
     ("raw_durable_cases_per_s", "engine_cases_per_s"), "ratio"),
    ("http_vs_inprocess_ratio", "full case over HTTP ÷ in-process, 4 clients", ">=", 0.8,
     ("inprocess_cases_per_s_4_clients", "http_cases_per_s_4_clients"), "ratio"),
    ("http_cases_per_s_4_clients", "full case over HTTP, 4 clients, 2 workers", ">=", 110,
     ("inprocess_cases_per_s_4_clients",), "cases/s"),
    ("statements_per_case", "SQL statements per case in-process", "<=", 8,
     ("profile.raw_durable.statements_per_case", "commits_per_case"), "stmts"),
    ("transactions_per_request", "transactions per HTTP request", "<=", 1, (), "tx"),
    ("queue_worst_p95_ms", "queue p95 at 1M open tasks", "<", 20, ("queue_open_tasks", "open_cases"), "ms"),
    ("search_worst_p95_ms", "case search p95 at 1M cases", "<", 100, ("search_cases",), "ms"),
    ("report_annual_s", "annual report on 1M cases", "<", 2, ("report_cases",), "s"),
]
# where a figure is read when its own key is absent (the profile measures it too)
FALLBACK = {"transactions_per_request": "profile.http.transactions_per_request"}
OPS = {">=": operator.ge, "<=": operator.le, "<": operator.lt}
# what a baseline key is called in the printed line
BASELINE_NAMES = {
    "raw_durable_cases_per_s": "raw durable cases/s", "engine_cases_per_s": "tiaojie cases/s",
    "inprocess_cases_per_s_4_clients": "in-process cases/s", "http_cases_per_s_4_clients": "HTTP cases/s",
    "profile.raw_durable.statements_per_case": "raw durable stmts", "commits_per_case": "commits/case",
"queue_open_tasks": "open tasks", "open_cases": "open tasks",
    "search_cases": "cases", "report_cases": "cases",
}


def lookup(results: dict, key: str):
    value = results
    for part in key.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def targets(results: dict) -> dict:
    """{key: {value, baseline, target, met}}; value None when not measured in this run."""
    out = {}
    for key, _label, op, threshold, baseline_keys, _unit in TARGETS:
        value = results.get(key)
        if value is None and key in FALLBACK:
            value = lookup(results, FALLBACK[key])
        baseline = {k: lookup(results, k) for k in baseline_keys if lookup(results, k) is not None}
        out[key] = {"value": value, "baseline": baseline or None, "target": f"{op} {threshold}",
                    "met": None if value is None else bool(OPS[op](value, threshold))}
    return out


def section(results: dict) -> str:
    """The lines printed first by ``make bench``."""
    rows = targets(results)
    lines = ["targets (issue 18), each with its baseline from this run", "-" * 110]
    for key, label, _op, _threshold, _keys, unit in TARGETS:
        row = rows[key]
        value = "not measured" if row["value"] is None else f"{row['value']} {unit}"
        verdict = "" if row["met"] is None else ("PASS" if row["met"] else "MISS")
        baseline = ", ".join(f"{BASELINE_NAMES.get(k, k)} {v}" for k, v in (row["baseline"] or {}).items())
        lines.append(f"{label:<56} {value:>14}  {row['target']:<8} {verdict:<4}  {baseline}".rstrip())
    if "commits_per_case" in results:
        lines.append(f"{'commits per case in-process (no target)':<56} {results['commits_per_case']:>14}")
    if "engine_step_ratio" in results:
        lines.append(f"{'secondary, not a target: engine step ÷ raw Spiff in memory':<56} "
                     f"{results['engine_step_ratio']:>14}  (engine_step_ratio; no database on the raw side)")
    return "\n".join(lines)
