"""Bench plumbing: a fresh PostgreSQL database, timers, percentiles (statement counting: tests/helpers/sql.py)."""

import os
import statistics
import time
from contextlib import contextmanager

from sqlalchemy import create_engine, text

from engine import Database

PG_ADMIN_URL = os.environ.get("TIAOJIE_BENCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def fresh_pg(name: str = "tiaojie_bench") -> Database:
    admin = create_engine(PG_ADMIN_URL.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        c.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    base = PG_ADMIN_URL.rpartition("/")[0]
    db = Database(f"{base}/{name}", pool_size=8)
    db.upgrade()
    return db


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    k = max(0, min(len(s) - 1, round(p / 100 * (len(s) - 1))))
    return s[k]


def rate(n: int, seconds: float) -> float:
    return n / seconds if seconds > 0 else float("inf")


@contextmanager
def stopwatch():
    box = {}
    t0 = time.perf_counter()
    yield box
    box["s"] = time.perf_counter() - t0


def median_of(fn, repeats: int = 3):
    """Run fn() `repeats` times; return the median result (fn returns a number)."""
    return statistics.median(fn() for _ in range(repeats))
