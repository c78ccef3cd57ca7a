"""API figures (issue 3): completions through HTTP vs in-process, queue listing latency.

The service runs as its own process (``api.serve``: uvicorn, 2 workers) on PostgreSQL; clients are 4
threads. One operation = register a dispute case with its intake data (duplicate check,
start, complete the intake task): ``POST /api/v1/cases`` over HTTP (login once per thread),
the same service function (``api.cases.service.start``) in-process, one transaction each.
"""

import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx2 as httpx

from api.cases import service as cases_service
from engine import processes
from engine.cases import service
from engine.core.types import User
from engine.processes.deploy import load_dir
from tests.bench.common import percentile
from tests.helpers.api import PASSWORD, add_users
from tests.helpers.bulk import seed_open_cases
from tests.helpers.process_driver import intake

ROOT = Path(__file__).resolve().parents[2]
THREADS = 4


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


def _login(base: str, username: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=30)
    r = client.post("/api/v1/auth/token", data={"username": username, "password": PASSWORD})
    r.raise_for_status()
    client.headers["Authorization"] = f"Bearer {r.json()['access_token']}"
    client.cookies.clear()
    return client


def run(db, per_thread: int, open_cases: int, samples: int) -> dict:
    os.environ.setdefault("TIAOJIE_SECRET_KEY", "bench-secret-key-not-for-production")
    add_users(db)
    with db.begin() as conn:
        processes.deploy(conn, load_dir(ROOT / "bpmn"))
    counter = iter(range(10**9))
    lock = threading.Lock()

    def data() -> dict:
        """Intake data with parties no other case has (so no duplicate refusal)."""
        with lock:
            n = next(counter)
        parties = [{"role": "applicant", "name": f"申请人{n}", "id_type": "passport",  # unique and well-formed
                    "id_number": f"E{n:08d}", "phone": f"139{n:08d}"}]
        return intake(parties=parties)

    window = User(id=0, username="window1", role="intake", communities=["福田社区"])

    def inproc(i):
        for _ in range(per_thread):
            with db.begin() as conn:
                cases_service.start(conn, window, "dispute_case", data())

    inproc(0)  # warm caches
    in_s = _threads(THREADS, inproc)
    port = _free_port()
    server = _serve(str(db.engine.url.render_as_string(hide_password=False)).replace("+psycopg", ""), port)
    try:
        base = f"http://127.0.0.1:{port}"
        clients = [_login(base, "window1") for _ in range(THREADS)]
        def over_http(i):
            for _ in range(per_thread):
                r = clients[i].post("/api/v1/cases", json={"process_key": "dispute_case", "data": data()})
                if r.status_code != 201:
                    raise RuntimeError(f"POST /cases answered {r.status_code}: {r.text[:300]}")

        over_http(0)
        http_s = _threads(THREADS, over_http)
        with db.begin() as conn:
            definition_id = service.def_store.get(conn, "dispute_case").id
        seed_open_cases(db, open_cases, definition_id, community="福田社区")
        lister = _login(base, "mediator1")
        lat = []
        for _ in range(samples):
            t0 = time.perf_counter()
            r = lister.get("/api/v1/tasks", params={"group": "mediator"})
            lat.append((time.perf_counter() - t0) * 1000)
            if r.status_code != 200:
                raise RuntimeError(f"GET /tasks answered {r.status_code}: {r.text[:300]}")
    finally:
        server.terminate()
        server.wait(10)
    ops = THREADS * per_thread
    http_rate, in_rate = ops / http_s, ops / in_s
    return {
        "http_ops_per_s": round(http_rate, 1),
        "inprocess_ops_per_s": round(in_rate, 1),
        "http_vs_inprocess_ratio": round(http_rate / in_rate, 3),
        "http_overhead_pct": round((in_rate / http_rate - 1) * 100, 1),
        "http_task_list_p50_ms": round(percentile(lat, 50), 2),
        "http_task_list_p95_ms": round(percentile(lat, 95), 2),
        "http_task_list_p99_ms": round(percentile(lat, 99), 2),
    }
