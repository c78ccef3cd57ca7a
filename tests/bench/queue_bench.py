"""Queue bench (issue 18): 1,000,000 open tasks filled by SQL (tests/helpers/queue_fill.py), then p50/p95/p99 of
the queue calls a caseworker makes, through ``engine.tasks.queue`` (the API's code path, one transaction each):
a group's queue (a supervisor, every community), "my tasks", a community-scoped mediator's queue, its next page
(by cursor), its overdue tasks, one community of it; and the page header's counts (GET /tasks/summary, each
capped at 99: "99+"). Target: every call's p95 < 20 ms (``queue_worst_p95_ms``)."""

import time

from engine.core.types import User
from engine.tasks.queue import queue, summary
from tests.bench.common import percentile
from tests.helpers.queue_fill import ASSIGNEES_PER_COMMUNITY, COMMUNITIES, GROUPS, assignee_of, fill

COUNTS = "header_counts"  # capped counts (engine.store.task_queries.COUNT_CAP)
LISTS = ("group", "mine", "scoped", "scoped_next_page", "scoped_overdue", "scoped_community", COUNTS)  # p95 < 20 ms


def _mediator(i: int, username: str = "bench-mediator") -> User:
    """A mediator working in two neighbouring communities (numbers c and c+1)."""
    c = i % (len(COMMUNITIES) - 1)
    return User(id=2, username=username, role="mediator", communities=COMMUNITIES[c:c + 2])


def _calls() -> dict:
    """kind -> (prepare, call): ``prepare(conn, i)`` (untimed) gives what ``call(conn, i, prepared)`` needs; the call
    returns its rows (or counts)."""
    supervisor = User(id=1, username="bench-super", role="supervisor")

    def me(i):
        return _mediator(i, assignee_of(i % (len(COMMUNITIES) - 1) + 1, i % ASSIGNEES_PER_COMMUNITY))

    def nothing(conn, i):
        return None

    def first_cursor(conn, i):
        return queue(conn, _mediator(i))[1]

    return {
        "group": (nothing, lambda conn, i, _: queue(conn, supervisor, group=GROUPS[i % len(GROUPS)][0])[0]),
        "mine": (nothing, lambda conn, i, _: queue(conn, me(i), mine=True)[0]),
        "scoped": (nothing, lambda conn, i, _: queue(conn, _mediator(i))[0]),
        "scoped_next_page": (first_cursor, lambda conn, i, cursor: queue(conn, _mediator(i), cursor=cursor)[0]),
        "scoped_overdue": (nothing, lambda conn, i, _: queue(conn, _mediator(i), overdue=True)[0]),
        "scoped_community": (nothing, lambda conn, i, _: queue(conn, _mediator(i),
                                                               community=_mediator(i).communities[1])[0]),
        COUNTS: (nothing, lambda conn, i, _: summary(conn, me(i))),
    }


def timings(db, samples: int, warm: int = 3) -> dict:
    """kind -> latencies (ms) of ``samples`` calls, each in its own transaction, after ``warm`` untimed ones."""
    out = {}
    for kind, (prepare, call) in _calls().items():
        lat = []
        for i in range(samples + warm):
            with db.begin() as conn:
                prepared = prepare(conn, i)
            t = time.perf_counter()
            with db.begin() as conn:
                rows = call(conn, i, prepared)
            if i >= warm:
                lat.append((time.perf_counter() - t) * 1000)
            assert rows, kind  # every call finds something: the fill spreads tasks everywhere
        out[kind] = lat
    return out


def figures(lat: dict) -> dict:
    out = {}
    for kind, values in lat.items():
        for p in (50, 95, 99):
            out[f"queue_{kind}_p{p}_ms"] = round(percentile(values, p), 2)
    out["queue_worst_p95_ms"] = max(out[f"queue_{k}_p95_ms"] for k in LISTS if k in lat)
    return out


def run(db, n: int = 1_000_000, samples: int = 200) -> dict:
    t0 = time.perf_counter()
    fill(db, n)
    out = {"queue_open_tasks": n, "queue_fill_s": round(time.perf_counter() - t0, 1)}
    out.update(figures(timings(db, samples)))
    return out
