"""Per-case profile (issue 18): where the milliseconds of one case go, in-process, raw durable and over HTTP.

In-process: the two-task case of ``durable_bench`` (start, complete 登记, complete 调解; one transaction each) on
PostgreSQL. Each side is run twice after a warm-up, in chunks alternating with the other side's: once without a
profiler, with the driver clocked (``profiling.DriverClock``: time in psycopg, statements, commits, time per statement
text), and once under cProfile, whose own times are put in buckets by module path (``profiling.attribute``):

* database: psycopg (sending, waiting for PostgreSQL, reading rows, commit);
* sqlalchemy: building statements (its ``sql/`` package: constructs, cache keys, compiler) and the rest of it
  (connections, execution, result processing);
* spiff: SpiffWorkflow's runtime and ``engine/spiff`` (load, complete, engine steps, dump), and Spiff's serializer;
* forms + sandbox: form validation and formats, RestrictedPython and ``engine/sandbox``;
* tiaojie: the rest of ``engine/`` and ``api/``; other: the bench loop itself, unclaimed time.

The profiler slows Python more than it slows waits, so the figures per case are given twice: as profiled, and
as an estimate of an unprofiled case (the database time measured at the driver without a profiler, the rest of
the unprofiled wall time split by the profiled shares of the Python buckets).

The raw durable baseline (SpiffWorkflow 3.2 on psycopg, see ``durable_bench``) is profiled with the same buckets and
also timed by phase: deserialize, serialize, SQL, and engine steps (the rest of its step). The HTTP profile is in
``tests/bench/profile_http.py``.
"""

import time

from engine import Database, processes
from tests.bench import durable_bench
from tests.bench.profiling import DATABASE, IDLE, OTHER, DriverClock, Profiles, attribute
from tests.helpers.engine import bundle
from tests.helpers.paths import ROOT

SQLA_BUILD, SQLA_RUN = "sqlalchemy: build statements", "sqlalchemy: execute, results"
LIBS = [("/psycopg", DATABASE), ("/sqlalchemy/sql/", SQLA_BUILD), ("/sqlalchemy/", SQLA_RUN), ("/SpiffWorkflow/bpmn/serializer/", "spiff serializer"),
        ("/SpiffWorkflow/spiff/serializer/", "spiff serializer"), ("/SpiffWorkflow/", "spiff runtime"),
        ("/RestrictedPython/", "forms + sandbox"), ("/jsonschema", "forms + sandbox")]
TIAOJIE = [(f"{ROOT}/engine/spiff/", "spiff runtime"), (f"{ROOT}/engine/sandbox/", "forms + sandbox"),
           (f"{ROOT}/engine/processes/forms", "forms + sandbox"), (f"{ROOT}/engine/processes/formats", "forms + sandbox"),
           (f"{ROOT}/engine/validation/", "forms + sandbox"), (f"{ROOT}/engine/", "tiaojie"), (f"{ROOT}/api/", "tiaojie"),
           (f"{ROOT}/tests/", OTHER)]
RULES = LIBS + TIAOJIE
CHUNKS = 4  # each side's cases run in this many chunks, alternating with the other side's
ORDER = [DATABASE, SQLA_BUILD, SQLA_RUN, "spiff runtime", "spiff serializer", "forms + sandbox", "tiaojie", OTHER]


def per_case(seconds: float, n: int) -> float:
    return round(seconds / n * 1000, 3)


def estimate(wall: float, database: float, profiled: dict[str, float], n: int) -> dict[str, float]:
    """ms per unprofiled case: the driver's time as measured, the rest split by the profiled Python shares."""
    python = {k: v for k, v in profiled.items() if k not in (DATABASE, IDLE)}
    total = sum(python.values()) or 1.0
    rest = max(wall - database, 0.0)
    out = {DATABASE: per_case(database, n)}
    out.update({k: per_case(rest * v / total, n) for k, v in python.items()})
    return out


class Side:
    """One side's figures, accumulated over chunks that alternate with the other side's (a shared machine drifts)."""

    def __init__(self, fn):
        self.fn, self.clock, self.prof = fn, DriverClock(), Profiles()
        self.n = self.profiled_n = 0
        self.wall = self.profiled_wall = 0.0

    def clocked(self, n: int) -> None:
        """n calls without a profiler, the driver clocked."""
        with self.clock:
            t0 = time.perf_counter()
            for _ in range(n):
                self.fn()
            self.wall += time.perf_counter() - t0
        self.n += n

    def profiled(self, n: int) -> None:
        """n calls under cProfile."""
        with self.prof:
            t0 = time.perf_counter()
            for _ in range(n):
                self.fn()
            self.profiled_wall += time.perf_counter() - t0
        self.profiled_n += n

    def figures(self, rules) -> dict:
        n, clock = self.n, self.clock
        buckets = attribute(self.prof.snapshot(), rules)
        return {
            "cases": n,
            "wall_ms": per_case(self.wall, n),
            "driver_ms": per_case(clock.seconds, n),
            "statements_per_case": round(clock.statements / n, 2),
            "commits_per_case": round(clock.commits / n, 2),
            "profiled_wall_ms": per_case(self.profiled_wall, self.profiled_n),
            "profiled_ms": {k: per_case(v, self.profiled_n) for k, v in _ordered(buckets).items()},
            "estimated_ms": _ordered(estimate(self.wall, clock.seconds, buckets, n)),
            "top_sql": clock.top(8, n),
        }


def _ordered(d: dict) -> dict:
    known = [k for k in ORDER if k in d]
    return {k: d[k] for k in known + sorted(k for k in d if k not in ORDER)}


class RawPhases:
    """The raw durable side with its serializer timed (deserialize, serialize) on the instance."""

    def __init__(self, raw: durable_bench.RawDurable):
        self.raw, self.seconds = raw, {"deserialize": 0.0, "serialize": 0.0}
        self.clock, self.n, self.wall = DriverClock(), 0, 0.0
        for name, phase in (("deserialize_json", "deserialize"), ("serialize_json", "serialize")):
            setattr(raw.serializer, name, self._timed(getattr(raw.serializer, name), phase))

    def _timed(self, method, phase):
        def timed(*args, **kwargs):
            t0 = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                self.seconds[phase] += time.perf_counter() - t0

        return timed

    def clocked(self, n: int) -> None:
        with self.clock:
            t0 = time.perf_counter()
            for _ in range(n):
                self.raw.case()
            self.wall += time.perf_counter() - t0
        self.n += n

    def figures(self) -> dict:
        n = self.n
        ms = {"sql (driver)": per_case(self.clock.seconds, n), "deserialize": per_case(self.seconds["deserialize"], n),
              "serialize": per_case(self.seconds["serialize"], n)}
        ms["engine steps and the rest"] = round(per_case(self.wall, n) - sum(ms.values()), 3)
        return {"cases": n, "wall_ms": per_case(self.wall, n), "phases_ms": ms}


def run_inprocess(db: Database, cases: int = 200, warm: int = 30) -> dict:
    """Both sides of the durable comparison, profiled the same way."""
    with db.begin() as conn:  # deploying the same bundle again adds no version
        processes.deploy(conn, bundle(durable_bench.MODEL), actor="bench")
    dsn = db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    raw = durable_bench.RawDurable(dsn)
    try:
        for _ in range(warm):
            raw.case()
            durable_bench.tiaojie_case(db)
        ours, theirs = Side(lambda: durable_bench.tiaojie_case(db)), Side(raw.case)
        chunk = max(1, cases // CHUNKS)
        for i in range(CHUNKS):  # without a profiler, the sides alternating
            for side in ((ours, theirs) if i % 2 == 0 else (theirs, ours)):
                side.clocked(chunk)
        for i in range(CHUNKS):  # under cProfile, the same
            for side in ((ours, theirs) if i % 2 == 0 else (theirs, ours)):
                side.profiled(chunk)
        phases = RawPhases(raw)  # its serializer timed from here on
        for _ in range(CHUNKS):
            phases.clocked(chunk)
    finally:
        raw.close()
    return {"inprocess": ours.figures(RULES), "raw_durable": {**theirs.figures(RULES), "phases": phases.figures()}}


def run(db: Database, cases: int = 200, http_cases: int = 60, warm: int = 30, http: bool = True) -> dict:
    out = run_inprocess(db, cases, warm)
    if http:
        from tests.bench import profile_http

        out["http"] = profile_http.run(db, http_cases, max(3, warm // 5))
    return {"profile": out}


def _table(columns: list[tuple[str, dict]], order: list[str]) -> list[str]:
    """Markdown rows: one per bucket; per side the estimate, its share of the estimated wall time, the profiled ms."""
    head = "| ms per case | " + " | ".join(f"{name}: est. | share | {name}: profiled" for name, _ in columns) + " |"
    lines = [head, "|---|" + "---:|" * (3 * len(columns))]
    keys = [k for k in order if any(k in side.get("profiled_ms", {}) or k in side.get("estimated_ms", {})
                                    for _, side in columns)]
    keys += sorted({k for _, side in columns for k in side.get("profiled_ms", {})} - set(keys))
    for key in keys:
        cells = []
        for _, side in columns:
            est = side.get("estimated_ms", {}).get(key)
            total = sum(side.get("estimated_ms", {}).values()) or 1.0
            cells += [_cell(est), "" if est is None else f"{100 * est / total:.0f} %",
                      _cell(side.get("profiled_ms", {}).get(key))]
        lines.append(f"| {key} | " + " | ".join(cells) + " |")
    walls = []
    for _, side in columns:
        walls += [_cell(side.get("wall_ms")), "", _cell(side.get("profiled_wall_ms"))]
    lines.append("| **wall time** | " + " | ".join(walls) + " |")
    return lines


def _cell(value) -> str:
    return "" if value is None else f"{value:.2f}"


def _top_sql(side: dict, n: int = 6) -> list[str]:
    lines = ["| statement (first 90 characters) | per case | ms per case |", "|---|---:|---:|"]
    for row in side.get("top_sql", [])[:n]:
        sql = row["sql"][:90].replace("|", "\\|")
        lines.append(f"| `{sql}` | {row['calls_per_case']} | {row['ms_per_case']:.2f} |")
    return lines


def render(profile: dict) -> str:
    """The profile as markdown (printed by ``make bench`` and put in docs/performance.md)."""
    out = []
    ours, raw = profile.get("inprocess"), profile.get("raw_durable")
    if ours and raw:
        out += [f"In-process, two-task case ({ours['cases']} cases per side, in {CHUNKS} chunks alternating with the "
                "other side's; est. = unprofiled wall time with the database time measured at the driver, the rest "
                "split by the profiled shares):", ""]
        out += _table([("tiaojie", ours), ("raw durable", raw)], ORDER)
        out += ["", f"Statements / commits per case: tiaojie {ours['statements_per_case']} / {ours['commits_per_case']}, "
                    f"raw durable {raw['statements_per_case']} / {raw['commits_per_case']}."]
        phases = raw.get("phases", {}).get("phases_ms")
        if phases:
            out.append("Raw durable by phase (ms per case, unprofiled): "
                       + ", ".join(f"{k} {v:.2f}" for k, v in phases.items()) + ".")
        out += ["", "Slowest statements in-process (time at the driver, unprofiled):", ""] + _top_sql(ours)
    http = profile.get("http")
    if http:
        from tests.bench.profile_http import ORDER as HTTP_ORDER

        out += ["", f"Over HTTP, one full case = 3 requests ({http['cases']} cases, one at a time, uvicorn in a thread "
                    "of the bench process, its client (http.client) in the same process):", ""]
        out += _table([("HTTP", http)], HTTP_ORDER)
        out += ["", f"Statements / commits per case: {http['statements_per_case']} / {http['commits_per_case']}; "
                    f"transactions per request: {http['transactions_per_request']}; server busy time profiled: "
                    f"{http['profiled_busy_ms']:.2f} ms per case."]
        for name, span in http.get("spans", {}).items():
            out.append(f"Whole calls of {name} (unprofiled, its SQL included): {span['calls_per_case']} per case, "
                       f"{span['ms_per_case']:.2f} ms, {span['statements_per_case']} statements "
                       f"({span['driver_ms_per_case']:.2f} ms at the driver).")
        out += ["",
                "Slowest statements over HTTP (time at the driver, unprofiled):", ""] + _top_sql(http)
    return "\n".join(out)
