"""Where the time of a case goes: cProfile own times put in buckets by module path, and the driver clocked.

Two instruments, used together by ``tests/bench/profile_case.py``:

* ``DriverClock`` wraps psycopg's cursor, connection, transaction and pipeline methods (the outermost call only,
  per thread) and so measures, without a profiler, the time spent in the driver: sending statements, waiting for
  PostgreSQL, reading rows, committing. It counts statements and commits and times each statement text.
* ``Profiles`` runs cProfile in the current thread and, with ``threads=True``, in every thread started while it
  is on (the server thread of an in-process uvicorn and its worker threads). ``attribute`` turns the profiles into
  buckets without double counting: each function's own time (tottime) goes to the bucket of its module; a
  function outside every bucket (built-ins, the standard library, C extensions) gives its own time to the buckets
  of the functions that called it, in proportion to what each call edge spent in it. Waits outside the driver
  (an event loop polling, a worker thread idle on its queue) go to ``idle``, which is not busy time.
"""

import cProfile
import re
import threading
import time
from collections import defaultdict
from functools import wraps

import psycopg
from psycopg.pq import TransactionStatus

from engine.store import prepared

# Built-ins that wait; outside the driver they are idle time of a thread.
WAITS = re.compile(r"\b(poll|select|acquire|sleep|wait|run_forever|run_until_complete|recv|recv_into|accept)\b")
DATABASE = "database"
IDLE = "idle"  # waits outside the driver, and the profiler's own reading of its figures
OTHER = "other"


_NO_TRANSACTION = TransactionStatus.IDLE


class DriverClock:
    """Time in psycopg (outermost call per thread), statements, commits and time per statement text."""

    STATEMENT = {"execute", "executemany"}

    def __init__(self):
        self.seconds = 0.0
        self.statements = 0
        self.commits = 0
        self.by_sql: dict[str, list] = defaultdict(lambda: [0, 0.0])  # text -> [calls, seconds]
        self.spans: dict[str, list] = defaultdict(lambda: [0, 0.0, 0, 0.0])  # name -> [calls, s, statements, s]
        self._local = threading.local()
        self._saved: list[tuple[type, str, object]] = []

    def __enter__(self):
        targets = [("Cursor", ("execute", "executemany", "fetchone", "fetchmany", "fetchall")),
                   ("ServerCursor", ("execute", "fetchone", "fetchmany", "fetchall")),
                   ("Connection", ("execute", "commit", "rollback", "wait")),
                   ("Transaction", ("__exit__",)),
                   ("Pipeline", ("sync", "__exit__"))]
        for cls_name, names in targets:
            cls = getattr(psycopg, cls_name, None)  # a psycopg without one of them: the others still clocked
            for name in names if cls is not None else ():
                original = cls.__dict__.get(name)
                if original is not None:
                    self._saved.append((cls, name, original))
                    setattr(cls, name, self._wrap(cls, name, original))
        # the hot path's messages go straight on libpq (engine.store.prepared.exchange): each is a statement
        self._saved.append((prepared, "exchange", prepared.exchange))
        prepared.exchange = self._wrap(prepared, "execute", prepared.exchange)
        return self

    def __exit__(self, *exc):
        for cls, name, original in reversed(self._saved):
            setattr(cls, name, original)
        self._saved.clear()

    def _wrap(self, cls, name, original):
        clock = self

        @wraps(original)
        def timed(obj, *args, **kwargs):
            local = clock._local
            if getattr(local, "depth", 0):
                return original(obj, *args, **kwargs)
            local.depth = 1
            # a commit of a connection with no transaction open is no commit (a step's write went with its
            # COMMIT: engine.store.wire); such a message is one
            idle = name == "commit" and obj.pgconn.transaction_status == _NO_TRANSACTION
            t0 = time.perf_counter()
            try:
                return original(obj, *args, **kwargs)
            finally:
                spent = time.perf_counter() - t0
                local.depth = 0
                clock.seconds += spent
                span = getattr(local, "span", None)
                if span is not None:
                    clock.spans[span][2] += name in clock.STATEMENT
                    clock.spans[span][3] += spent
                if name in clock.STATEMENT:
                    query = args[0] if args else kwargs.get("query")
                    clock.statements += 1
                    clock.commits += isinstance(query, bytes) and query.endswith(b"; COMMIT")
                    row = clock.by_sql[_sql_text(query)]
                    row[0] += 1
                    row[1] += spent
                elif (name == "commit" and not idle) or (cls.__name__ == "Transaction"
                                                         and getattr(obj, "_outer_transaction", False)):
                    clock.commits += 1
                    clock.by_sql["COMMIT"][0] += 1
                    clock.by_sql["COMMIT"][1] += spent

        return timed

    def span(self, name: str, module, attr: str) -> None:
        """Time each call of ``module.attr`` (wall, with the driver's time and statements inside it) under ``name``;
        nothing when the module has no such attribute. Undone with the clock."""
        original = getattr(module, attr, None)
        if original is None:
            return
        clock = self

        @wraps(original)
        def spanned(*args, **kwargs):
            local = clock._local
            outer, local.span = getattr(local, "span", None), name
            t0 = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                local.span = outer
                clock.spans[name][0] += 1
                clock.spans[name][1] += time.perf_counter() - t0

        self._saved.append((module, attr, original))
        setattr(module, attr, spanned)

    def span_figures(self, per: int) -> dict:
        return {name: {"calls_per_case": round(calls / per, 2), "ms_per_case": round(s / per * 1000, 3),
                       "statements_per_case": round(stmts / per, 2), "driver_ms_per_case": round(d / per * 1000, 3)}
                for name, (calls, s, stmts, d) in self.spans.items()}

    def top(self, n: int, per: int) -> list[dict]:
        rows = sorted(self.by_sql.items(), key=lambda kv: -kv[1][1])[:n]
        return [{"sql": sql, "calls_per_case": round(calls / per, 2), "ms_per_case": round(seconds / per * 1000, 3)}
                for sql, (calls, seconds) in rows]


_EXECUTE = re.compile(r"^(BEGIN[^;]*; )?EXECUTE (tj_\d+)\(.*?(; COMMIT)?$", re.S)


def _sql_text(query) -> str:
    """A statement's text, the same for each call: the hot path's ``[BEGIN; ]EXECUTE tj_N(…)[; COMMIT]``
    messages (``engine.store.wire``) by the statement they run, without their literals."""
    if isinstance(query, bytes):
        query = query.decode("utf-8", "replace")
    elif not isinstance(query, str):
        query = str(query)
    m = _EXECUTE.match(query[:200] + ("; COMMIT" if query.endswith("; COMMIT") else ""))
    if m is not None:
        shape = next((sh for sh in prepared.SHAPES.values() if sh.name.decode() == m.group(2)), None)
        body = re.sub(r"\s+", " ", shape.sql).strip()[:100] if shape is not None else m.group(2)
        return f"{'BEGIN; ' if m.group(1) else ''}EXECUTE{' …; COMMIT' if m.group(3) else ''}: {body}"
    return re.sub(r"\s+", " ", query).strip()[:160]


class Profiles:
    """cProfile in this thread and (``threads``) in each thread started while on; ``snapshot`` reads them all."""

    def __init__(self, threads: bool = False):
        self.threads = threads
        self.profilers: list[cProfile.Profile] = []
        self._main = cProfile.Profile()

    def _hook(self, frame, event, arg):  # the first profile event of a new thread: give it a profiler
        profiler = cProfile.Profile()
        self.profilers.append(profiler)
        profiler.enable()

    def __enter__(self):
        if self.threads:
            threading.setprofile(self._hook)
        if self._main not in self.profilers:  # entered again: the main profiler goes on adding up
            self.profilers.append(self._main)
        self._main.enable()
        return self

    def __exit__(self, *exc):
        self._main.disable()
        if self.threads:
            threading.setprofile(None)

    def snapshot(self, include_main: bool = True) -> "Edges":
        """Own time per function and per call edge, summed over the threads' profilers (read, not stopped)."""
        edges = Edges()
        for profiler in self.profilers:
            if profiler is self._main and not include_main:
                continue
            for entry in profiler.getstats():
                callee = _label(entry.code)
                edges.own[callee] += entry.inlinetime
                for sub in entry.calls or ():
                    edges.edge[(callee, _label(sub.code))] += sub.inlinetime
        return edges


def _label(code) -> tuple[str, str]:
    if isinstance(code, str):  # a built-in: "<built-in method time.sleep>", "<method 'poll' of … objects>"
        return ("~", code)
    return (code.co_filename.replace("\\", "/"), code.co_name)


class Edges:
    """Own seconds per function and, per (caller, callee), the callee's own seconds under that caller."""

    def __init__(self):
        self.own: dict[tuple, float] = defaultdict(float)
        self.edge: dict[tuple, float] = defaultdict(float)

    def minus(self, before: "Edges") -> "Edges":
        out = Edges()
        for key, value in self.own.items():
            out.own[key] = value - before.own.get(key, 0.0)
        for key, value in self.edge.items():
            out.edge[key] = value - before.edge.get(key, 0.0)
        return out


def bucket_of(label: tuple[str, str], rules: list[tuple[str, str]]) -> str | None:
    """The bucket of a function by its file path (first rule whose fragment is in the path), else None."""
    path = label[0]
    if path == "~":
        return None
    for fragment, bucket in rules:
        if fragment in path:
            return bucket
    return None


def attribute(edges: Edges, rules: list[tuple[str, str]]) -> dict[str, float]:
    """Seconds per bucket. Functions outside the rules give their own time to their callers' buckets."""
    callers: dict[tuple, list[tuple[tuple, float]]] = defaultdict(list)
    for (caller, callee), seconds in edges.edge.items():
        if seconds > 0:
            callers[callee].append((caller, seconds))
    shares: dict[tuple, dict[str, float]] = {}

    def share(label, seen) -> dict[str, float]:
        """Fractions of buckets that a call of `label` belongs to."""
        if label in shares:
            return shares[label]
        own = bucket_of(label, rules)
        if own is not None:
            shares[label] = {own: 1.0}
            return shares[label]
        edges_in = [(c, s) for c, s in callers.get(label, ()) if c not in seen]
        total = sum(s for _c, s in edges_in)
        if not total:
            return {OTHER: 1.0}
        out: dict[str, float] = defaultdict(float)
        for caller, seconds in edges_in:
            for bucket, fraction in share(caller, seen | {label}).items():
                out[bucket] += fraction * seconds / total
        if label[0] == "~" and WAITS.search(label[1]) and DATABASE not in out:
            out = {IDLE: 1.0}
        elif label[0] == "~" and WAITS.search(label[1]):
            waited = out.pop(DATABASE)
            out = {DATABASE: waited, IDLE: sum(out.values())} if out else {DATABASE: 1.0}
        shares[label] = dict(out)  # cached even inside a cycle: an approximation there
        return out

    buckets: dict[str, float] = defaultdict(float)
    for label, seconds in edges.own.items():
        if seconds <= 0:
            continue
        for bucket, fraction in share(label, frozenset()).items():
            buckets[bucket] += seconds * fraction
    return dict(buckets)
