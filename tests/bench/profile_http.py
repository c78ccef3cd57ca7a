"""Per-case profile over HTTP (issue 18): one full case, served in this process by uvicorn in a thread.

A full case is three requests (``FullCase``: by default on the two-task model of the targets): ``POST /api/v1/cases``
with the first form (as the window clerk), ``POST /api/v1/tasks/{id}/complete`` of the next task, ``GET
/api/v1/cases/{id}``.
The client (``tests.bench.client``, in the main thread) and the server share one process and its GIL, one request at a time.

A first server warms the caches (and is timed without a profiler, with the driver clocked). A second server is
then started with a profiler in each of its threads (the event loop's and the thread pool's); after a few cases
the profiles are read, the measured cases run, and the difference is attributed to buckets: the HTTP stack
(uvicorn, starlette, fastapi, pydantic, anyio, asyncio and the ASGI middlewares in ``api/``), auth (``engine/people``,
``api/deps.py``, ``api/auth``), route + engine (the rest of ``api/`` and ``engine/``, Spiff, forms), SQLAlchemy,
the database (psycopg), and the client. Waits of the event loop and of idle worker threads are not busy time.
"""

import os
import threading
import time

import uvicorn
from sqlalchemy import event

from api import deps
from api.app import create_app
from api.serve import tcp_socket
from engine import Database, processes
from tests.bench.http_bench import login as _login
from tests.bench.profile_case import LIBS, SQLA_BUILD, SQLA_RUN, per_case
from tests.bench.profiling import DATABASE, IDLE, OTHER, DriverClock, Profiles, attribute
from tests.helpers.api import add_users
from tests.helpers.engine import TWO_TASK_MEDIATE, TWO_TASK_REGISTER, bundle
from tests.helpers.paths import BPMN_DIR, ROOT
from tests.helpers.process_driver import intake, review

STACK = "http stack"
AUTH = "auth"
ROUTE = "route + engine"
CLIENT = "client"
MIDDLEWARES = ("app.py", "guard.py", "limits.py", "errors.py", "i18n.py", "unavailable.py", "openapi.py")
RULES = ([(f"{ROOT}/tests/bench/profiling.py", IDLE)] + [(f"{ROOT}/api/{m}", STACK) for m in MIDDLEWARES]
         + [(f"{ROOT}/engine/people/", AUTH), (f"{ROOT}/api/deps.py", AUTH), (f"{ROOT}/api/auth/", AUTH),
            (f"{ROOT}/api/", ROUTE), (f"{ROOT}/engine/", ROUTE), (f"{ROOT}/tests/", CLIENT),
            ("/http/client.py", CLIENT)]
         + [(frag, b if b in (DATABASE, SQLA_BUILD, SQLA_RUN) else ROUTE) for frag, b in LIBS]
         + [(f"/{lib}/", STACK) for lib in ("uvicorn", "starlette", "fastapi", "pydantic", "pydantic_core", "anyio",
                                            "h11", "httptools", "uvloop", "asyncio", "concurrent")]
         + [("/threading.py", STACK), ("/selectors.py", STACK), ("/queue.py", STACK), ("/contextvars", STACK)])
ORDER = [STACK, AUTH, ROUTE, SQLA_BUILD, SQLA_RUN, DATABASE, CLIENT, OTHER]


class Server:
    """The app under uvicorn in a thread of this process, on a socket of its own (TCP_NODELAY as in api.serve)."""

    def __init__(self, db: Database):
        self.sock = tcp_socket("127.0.0.1", 0)
        self.base = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        config = uvicorn.Config(create_app(db), log_level="warning", access_log=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self):
        self.thread.start()
        for _ in range(300):
            if self.server.started:
                return self
            time.sleep(0.02)
        raise RuntimeError("the in-process server did not start")

    def __exit__(self, *exc):
        self.server.should_exit = True
        self.thread.join(10)
        self.sock.close()



class FullCase:
    """POST /cases with the first form, complete the next task, GET the case. ``two_task`` (the targets' model):
    the window clerk's 登记, the mediator's 调解 (the case ends), the mediator's case page. ``dispute_case``: the
    intake with parties of its own, the lawyer's review, the lawyer's case page."""

    def __init__(self, base: str, numbers, model: str = "two_task"):
        self.model, self.numbers = model, numbers
        second = "mediator1" if model == "two_task" else "lawyer1"
        self.window, self.second = _login(base, "window1"), _login(base, second)

    def __call__(self) -> None:
        if self.model == "two_task":
            data, done = {**TWO_TASK_REGISTER, "channel": "service_hall", "community": "福田社区"}, TWO_TASK_MEDIATE
        else:
            n = next(self.numbers)
            parties = [{"role": "applicant", "name": f"申请人{n}", "id_type": "passport", "id_number": f"E{n:08d}",
                        "phone": f"139{n:08d}"}]
            data, done = intake(parties=parties), review("people_mediation")
        r = self.window.post("/api/v1/cases", json={"process_key": self.model, "data": data})
        _expect(r, 201)
        case = r.json()
        r = self.second.post(f"/api/v1/tasks/{case['open_tasks'][0]['id']}/complete", json={"data": done})
        _expect(r, 200)
        _expect(self.second.get(f"/api/v1/cases/{case['id']}"), 200)

    def close(self) -> None:
        self.window.close()
        self.second.close()


def _expect(r, status: int) -> None:
    if r.status_code != status:
        raise RuntimeError(f"{r.request.method} {r.request.url.path} answered {r.status_code}: {r.text[:300]}")


class Begins:
    """Transactions begun on the engine (SQLAlchemy's begin event) while attached."""

    def __init__(self, db: Database):
        self.db, self.count = db, 0
        event.listen(db.engine, "begin", self._on)

    def _on(self, *args):
        self.count += 1

    def close(self):
        event.remove(self.db.engine, "begin", self._on)


def _ordered(d: dict) -> dict:
    return {k: d[k] for k in [k for k in ORDER if k in d] + sorted(k for k in d if k not in ORDER)}


def run(db: Database, cases: int = 60, warm: int = 5, model: str = "two_task") -> dict:
    os.environ.setdefault("TIAOJIE_SECRET_KEY", "bench-secret-key-not-for-production")
    add_users(db)
    with db.begin() as conn:
        processes.deploy(conn, processes.load_dir(BPMN_DIR), actor="bench")
        processes.deploy(conn, bundle("two_task.bpmn"), actor="bench")
    numbers = iter(range(10**9))
    with Server(db) as server:  # warm-up and the unprofiled run
        full = FullCase(server.base, numbers, model)
        for _ in range(warm):
            full()
        begins = Begins(db)
        with DriverClock() as clock:
            clock.span(AUTH, deps, "authenticate")  # when auth moves, the span is simply absent
            t0 = time.perf_counter()
            for _ in range(cases):
                full()
            wall = time.perf_counter() - t0
        begins.close()
        full.close()
    with Profiles(threads=True) as prof, Server(db) as server:
        full = FullCase(server.base, numbers, model)
        for _ in range(warm):
            full()
        before = prof.snapshot()
        t0 = time.perf_counter()
        for _ in range(cases):
            full()
        profiled_wall = time.perf_counter() - t0
        after = prof.snapshot()
        full.close()
    buckets = attribute(after.minus(before), RULES)
    busy = {k: v for k, v in buckets.items() if k != IDLE}
    python = {k: v for k, v in busy.items() if k != DATABASE}
    rest, total = max(wall - clock.seconds, 0.0), sum(python.values()) or 1.0
    estimated = {DATABASE: per_case(clock.seconds, cases), **{k: per_case(rest * v / total, cases)
                                                              for k, v in python.items()}}
    return {
        "model": model,
        "cases": cases,
        "requests_per_case": 3,
        "wall_ms": per_case(wall, cases),
        "driver_ms": per_case(clock.seconds, cases),
        "statements_per_case": round(clock.statements / cases, 2),
        "commits_per_case": round(clock.commits / cases, 2),
        "transactions_per_request": round(begins.count / (3 * cases), 2),
        "profiled_wall_ms": per_case(profiled_wall, cases),
        "profiled_busy_ms": per_case(sum(busy.values()), cases),
        "profiled_ms": {k: per_case(v, cases) for k, v in _ordered(buckets).items()},
        "estimated_ms": _ordered(estimated),
        "top_sql": clock.top(8, cases),
        "spans": clock.span_figures(cases),
    }
