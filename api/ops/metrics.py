"""Prometheus metrics: request counts and durations by route template, task gauges from the database.

Each app gets its own ``CollectorRegistry`` (tests create several apps in one process).

Several worker processes (``tiaojie serve --workers N``): set ``PROMETHEUS_MULTIPROC_DIR`` to an
empty directory, the same for every worker, before the processes start. prometheus_client then
keeps counters and histograms in memory-mapped files there, and a scrape of any one worker
aggregates every worker's files (``MultiProcessCollector``). The task gauges are computed by the
database query at scrape time, so they need no aggregation. Empty the directory on restart.
"""

import os
import time
from datetime import datetime

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from sqlalchemy import Connection
from starlette.routing import replace_params

from engine import ops

UNMATCHED = "<unmatched>"  # no route: 404s, refusals before routing; keeps label cardinality bounded
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


class HttpMetrics:
    """The request counter and duration histogram of one app."""

    def __init__(self, multiproc_dir: str | None = None):
        self.multiproc_dir = multiproc_dir if multiproc_dir is not None else os.environ.get(MULTIPROC_ENV)
        # In multiprocess mode the values live in files, not in a registry: the metrics stay
        # unregistered and a scrape reads the directory instead.
        self.registry = None if self.multiproc_dir else CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "tiaojie_http_requests",
            "HTTP requests by method, route template and status",
            ("method", "route", "status"),
            registry=self.registry,
        )
        self.duration = Histogram(
            "tiaojie_http_request_duration_seconds",
            "HTTP request duration by route template",
            ("method", "route"),
            buckets=BUCKETS,
            registry=self.registry,
        )

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        self.requests.labels(method, route, str(status)).inc()
        self.duration.labels(method, route).observe(seconds)

    def collectors(self) -> list:
        if not self.multiproc_dir:
            return [self.registry]
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry, path=self.multiproc_dir)
        return [registry]


class MetricsMiddleware:
    """ASGI middleware: count every HTTP request under its route template (``/processes/{key}``)."""

    def __init__(self, app, metrics: HttpMetrics):
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        start = time.perf_counter()
        status = 500

        async def send_status(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_status)
        finally:
            self.metrics.observe(
                scope.get("method", "GET"), route_template(scope), status, time.perf_counter() - start
            )


def route_template(scope) -> str:
    """The matched route's full path template (``/api/v1/processes/{key}``), never the raw path.

    The route may know only its path relative to the routers that include it (recent FastAPI
    includes routers lazily): the prefix is what the raw path has in front of the route's own
    part with the parameters filled in.
    """
    route = scope.get("route")
    fmt = getattr(route, "path_format", None)
    if not fmt:
        return UNMATCHED
    path = scope.get("path", "")
    try:
        concrete, _ = replace_params(
            fmt, getattr(route, "param_convertors", {}), dict(scope.get("path_params", {}))
        )
    except Exception:  # a parameter the route does not convert back: keep the relative template
        return fmt
    return path[: len(path) - len(concrete)] + fmt if path.endswith(concrete) else fmt


def install(app) -> HttpMetrics:
    """Create the app's metrics and count its requests (outermost middleware, so 413s count too)."""
    metrics = HttpMetrics()
    app.state.metrics = metrics
    app.add_middleware(MetricsMiddleware, metrics=metrics)
    return metrics


def task_gauges(conn: Connection, now: datetime | None = None) -> list[GaugeMetricFamily]:
    """``tiaojie_open_tasks{group}`` and ``tiaojie_overdue_tasks``, from one query."""
    rows = ops.open_tasks_by_group(conn, now)
    open_tasks = GaugeMetricFamily(
        "tiaojie_open_tasks", "Open (ready or claimed) user tasks by candidate group", labels=("group",)
    )
    for group, count, _ in rows:
        open_tasks.add_metric((group or "none",), count)
    overdue = GaugeMetricFamily(
        "tiaojie_overdue_tasks", "Open user tasks past their due time", value=sum(o for _, _, o in rows)
    )
    return [open_tasks, overdue]


class _Scrape:
    """One scrape: the HTTP metrics plus the gauges just computed."""

    def __init__(self, collectors: list, gauges: list):
        self._collectors, self._gauges = collectors, gauges

    def collect(self):
        for c in self._collectors:
            yield from c.collect()
        yield from self._gauges


def render(conn: Connection, metrics: HttpMetrics) -> tuple[bytes, str]:
    """The Prometheus text exposition of the app's metrics and the task gauges."""
    return generate_latest(_Scrape(metrics.collectors(), task_gauges(conn))), CONTENT_TYPE_LATEST
