"""API figures (issues 3 and 18): a full case over HTTP against the same calls in-process, queue listing latency.

One full case = ``POST /api/v1/cases`` with its first form, ``POST /api/v1/tasks/{id}/complete`` of the next task,
``GET /api/v1/cases/{id}`` (the case page), on two models:

* ``two_task`` (the model of the durable comparison, issue 18's targets): the window clerk registers and so
  completes 登记, the mediator completes 调解 and the case ends, the mediator reads the case page;
* ``dispute_case`` (the office's own model): registration with its checks (duplicate parties, sealed
  identifiers, screening DMN, SLA rules) and the intake done, the lawyer's 律师甄别, the case page.

Over HTTP the service runs as its own process (``api.serve --workers 2``: the cluster of ``api.cluster``) on PostgreSQL, each client
thread logged in once per user; in-process, the same service functions the routes call, one transaction each.
Both at 1 and at 4 client threads, in interleaved rounds (in-process and HTTP alternate, so load drift falls on
both sides); each figure is the median of the rounds.

Standalone: ``python -m tests.bench.http_bench [--per-thread N] [--rounds N] [--open-cases N] [--db NAME]``.
"""

import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx2 as httpx

from api.cases import service as cases_service
from engine import cases, processes, tasks
from engine.cases import service
from engine.core.types import User
from engine.processes.deploy import load_dir
from tests.bench.client import Client
from tests.bench.common import percentile
from tests.helpers.api import PASSWORD, add_users
from tests.helpers.bulk import seed_open_cases
from tests.helpers.engine import TWO_TASK_MEDIATE, TWO_TASK_REGISTER, bundle
from tests.helpers.process_driver import intake, review

ROOT = Path(__file__).resolve().parents[2]
CLIENTS = (1, 4)
WINDOW = User(id=0, username="window1", role="intake", communities=["福田社区"])
LAWYER = User(id=0, username="lawyer1", role="lawyer", communities=["福田社区", "岗厦社区"])
MEDIATOR = User(id=0, username="mediator1", role="mediator", communities=["福田社区"])
REVIEW = review("people_mediation")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _threads(n: int, fn) -> float:
    """Run fn(i) in n threads started together; wall seconds."""
    barrier = threading.Barrier(n + 1)
    errors = []

    def work(i):
        barrier.wait()
        try:
            fn(i)
        except Exception as err:  # reported after the run
            errors.append(err)

    ts = [threading.Thread(target=work, args=(i,)) for i in range(n)]
    for t in ts:
        t.start()
    barrier.wait()
    t0 = time.perf_counter()
    for t in ts:
        t.join()
    if errors:
        raise errors[0]
    return time.perf_counter() - t0


def _serve(url: str, port: int) -> subprocess.Popen:
    env = {**os.environ, "TIAOJIE_DATABASE_URL": url, "TIAOJIE_SECRET_KEY": "bench-secret-key-not-for-production"}
    proc = subprocess.Popen([sys.executable, "-m", "api.serve", "--host", "127.0.0.1", "--port", str(port),
                             "--workers", "2", "--log-level", "warning", "--no-access-log"], cwd=ROOT, env=env)
    for _ in range(200):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    proc.kill()
    raise RuntimeError("the service did not start")


def login(base: str, username: str) -> Client:
    """A client (``tests.bench.client``: one keep-alive connection) with ``username``'s bearer token."""
    client = Client(base)
    r = client.post("/api/v1/auth/token", data={"username": username, "password": PASSWORD})
    r.raise_for_status()
    client.headers["Authorization"] = f"Bearer {r.json()['access_token']}"
    return client


class _Intakes:
    """Intake data with parties no other case has (so no duplicate refusal)."""

    def __init__(self):
        self._counter = iter(range(10**9))
        self._lock = threading.Lock()

    def __call__(self) -> dict:
        with self._lock:
            n = next(self._counter)
        parties = [{"role": "applicant", "name": f"申请人{n}", "id_type": "passport",  # unique and well-formed
                    "id_number": f"E{n:08d}", "phone": f"139{n:08d}"}]
        return intake(parties=parties)


def _check(r, status: int, what: str) -> dict:
    if r.status_code != status:
        raise RuntimeError(f"{what} answered {r.status_code}: {r.text[:300]}")
    return r.json()


class Model:
    """One full case's calls on a model: who registers, who does the next task with which data, and how the
    case page must look afterwards."""

    def __init__(self, key: str, second: str, second_user: User, second_data: dict, data, done):
        self.key, self.second, self.second_user, self.second_data = key, second, second_user, second_data
        self.data, self.done = data, done  # data(): the registration's data; done(page): the page is right


def _dispute_done(page: dict) -> bool:
    return page["open_tasks"][0]["element_id"] == "mediation_accept"


def _two_task_data() -> dict:
    return {**TWO_TASK_REGISTER, "channel": "service_hall", "community": "福田社区"}  # the office's code for 窗口


def _two_task_done(page: dict) -> bool:
    return page["status"] == "completed" and not page["open_tasks"]


MODELS = {
    "two_task": Model("two_task", "mediator1", MEDIATOR, TWO_TASK_MEDIATE, _two_task_data, _two_task_done),
    "dispute_case": Model("dispute_case", "lawyer1", LAWYER, REVIEW, None, _dispute_done),
}


def full_case_http(model: Model, window: Client, second: Client, data: dict) -> None:
    """POST /cases, complete the next task, GET the case page."""
    case = _check(window.post("/api/v1/cases", json={"process_key": model.key, "data": data}), 201, "POST /cases")
    task_id = case["open_tasks"][0]["id"]
    _check(second.post(f"/api/v1/tasks/{task_id}/complete", json={"data": model.second_data}), 200, "complete")
    page = _check(second.get(f"/api/v1/cases/{case['id']}"), 200, "GET /cases/{id}")
    if not model.done(page):
        raise RuntimeError(f"unexpected case page {page['status']} {page['open_tasks']}")


def full_case_inprocess(model: Model, db, data: dict) -> None:
    """The calls the three routes make, one transaction each."""
    with db.begin() as conn:
        case = cases_service.start(conn, WINDOW, model.key, data)
    with db.begin() as conn:
        tasks.complete_task(conn, model.second_user, case["open_tasks"][0]["id"], model.second_data)
    with db.begin() as conn:
        page = cases.detail(conn, model.second_user, case["id"])
    if not model.done(page):
        raise RuntimeError(f"unexpected case page {page['status']} {page['open_tasks']}")


def full_cases(db, base: str, per_thread: int, rounds: int, model: Model) -> dict:
    """cases/s over HTTP and in-process at 1 and 4 clients, rounds interleaved, medians. The keys of the
    two-task model are the targets' (``http_cases_per_s_4_clients`` …); the other model's carry its name."""
    data = model.data or _Intakes()
    logins = {n: [(login(base, "window1"), login(base, model.second)) for _ in range(n)] for n in CLIENTS}
    for _ in range(3):  # warm both sides (caches, connections, both server workers)
        full_case_inprocess(model, db, data())
        for w, second in logins[max(CLIENTS)]:
            full_case_http(model, w, second, data())
    rates: dict[str, list[float]] = {}
    for r in range(rounds):
        for n in CLIENTS:
            sides = [("inprocess", lambda i: [full_case_inprocess(model, db, data()) for _ in range(per_thread)]),
                     ("http", lambda i, n=n: [full_case_http(model, *logins[n][i], data())
                                              for _ in range(per_thread)])]
            for side, fn in sides if r % 2 == 0 else sides[::-1]:  # who goes first alternates
                rates.setdefault(f"{side}_{n}", []).append(n * per_thread / _threads(n, fn))
    med = {k: statistics.median(v) for k, v in rates.items()}
    out = {}
    tail = "" if model.key == "two_task" else f"_{model.key}"
    for n in CLIENTS:
        label = "1_client" if n == 1 else f"{n}_clients"
        out[f"http_cases_per_s_{label}{tail}"] = round(med[f"http_{n}"], 1)
        out[f"inprocess_cases_per_s_{label}{tail}"] = round(med[f"inprocess_{n}"], 1)
    out[f"http_vs_inprocess_ratio_1_client{tail}"] = round(med["http_1"] / med["inprocess_1"], 3)
    out[f"http_vs_inprocess_ratio{tail}"] = round(med["http_4"] / med["inprocess_4"], 3)
    out["http_full_case_rounds"] = rounds
    return out


def task_list(db, base: str, open_cases: int, samples: int) -> dict:
    with db.begin() as conn:
        definition_id = service.def_store.get(conn, "dispute_case").id
    seed_open_cases(db, open_cases, definition_id, community="福田社区")
    lister = login(base, "mediator1")
    lat = []
    for _ in range(samples):
        t0 = time.perf_counter()
        r = lister.get("/api/v1/tasks", params={"group": "mediator"})
        lat.append((time.perf_counter() - t0) * 1000)
        _check(r, 200, "GET /tasks")
    return {"http_task_list_p50_ms": round(percentile(lat, 50), 2),
            "http_task_list_p95_ms": round(percentile(lat, 95), 2),
            "http_task_list_p99_ms": round(percentile(lat, 99), 2)}


def run(db, per_thread: int, open_cases: int, samples: int, rounds: int = 3) -> dict:
    os.environ.setdefault("TIAOJIE_SECRET_KEY", "bench-secret-key-not-for-production")
    add_users(db)
    with db.begin() as conn:
        processes.deploy(conn, load_dir(ROOT / "bpmn"))
        processes.deploy(conn, bundle("two_task.bpmn"), actor="bench")
    port = _free_port()
    server = _serve(str(db.engine.url.render_as_string(hide_password=False)).replace("+psycopg", ""), port)
    try:
        base = f"http://127.0.0.1:{port}"
        out = {}
        for model in (MODELS["two_task"], MODELS["dispute_case"]):
            out.update(full_cases(db, base, per_thread, rounds, model))
        if open_cases and samples:
            out.update(task_list(db, base, open_cases, samples))
    finally:
        server.terminate()
        server.wait(10)
    return out


if __name__ == "__main__":
    import argparse
    import json

    from tests.bench.common import fresh_pg

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--per-thread", type=int, default=25, help="full cases per client thread per round")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--open-cases", type=int, default=0, help="open cases seeded for the task list (0: skip it)")
    ap.add_argument("--samples", type=int, default=200)
    ap.add_argument("--db", default="tiaojie_bench_http")
    a = ap.parse_args()
    database = fresh_pg(a.db)
    try:
        print(json.dumps(run(database, a.per_thread, a.open_cases, a.samples, a.rounds), indent=2))
    finally:
        database.dispose()
