"""Fixtures of the worker tests: brokers (stub and Redis), worker subprocesses, the dispatcher, SMTP."""

import os
import shutil
import signal
import ssl
import subprocess
import sys
import threading
import uuid

import pytest

from engine.core.settings import get_settings
from tests.helpers.paths import ROOT
from tests.helpers.smtp import SmtpServer
from tests.helpers.workers import (
    REDIS_URL,
    children,
    flush,
    kill,
    wait_for,
)
from workers import broker as broker_setup
from workers import dispatcher


@pytest.fixture
def stub():
    """A fresh StubBroker as the global broker (messages are inspected, not run)."""
    import dramatiq

    old = dramatiq.broker.global_broker
    broker = broker_setup.install(broker_setup.stub_broker())
    yield broker
    if old is not None:
        broker_setup.install(old)


@pytest.fixture
def redis_ns():
    """(client, namespace) on the test Redis; the namespace's keys are removed afterwards (skips without Redis)."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError as err:
        pytest.skip(f"Redis at {REDIS_URL} is not reachable: {err}")
    ns = f"tiaojie-test-{uuid.uuid4().hex[:12]}"
    yield client, ns
    flush(client, ns)
    client.close()


@pytest.fixture
def workers(pg_db, redis_ns, tmp_path):
    """start(threads, delay) → a worker subprocess on the test's database and namespace."""
    _, ns = redis_ns
    procs = []

    def start_worker(threads: int = 8, delay: float | None = None) -> subprocess.Popen:
        env = {**os.environ, "TIAOJIE_DATABASE_URL": pg_db.url, "TIAOJIE_REDIS_URL": REDIS_URL,
               "TIAOJIE_REDIS_NAMESPACE": ns, **broker_setup.worker_environment(threads)}
        env.pop("TIAOJIE_TEST_ACTOR_DELAY", None)
        if delay:
            env["TIAOJIE_TEST_ACTOR_DELAY"] = str(delay)
        log = open(tmp_path / f"worker{len(procs)}.log", "wb")  # noqa: SIM115  (closed with the process)
        proc = subprocess.Popen([sys.executable, "-m", "dramatiq", "workers.actors", "--processes", "1",
                                 "--threads", str(threads), "--queues", "engine"],
                                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        procs.append(proc)
        return proc

    yield start_worker
    for proc in procs:
        kill(proc)


@pytest.fixture
def dispatch(pg_db, redis_ns):
    """start(lease_seconds) → the dispatcher loop in a thread, sending to the test's namespace."""
    import dramatiq

    _, ns = redis_ns
    old = dramatiq.broker.global_broker
    broker = broker_setup.install(broker_setup.redis_broker(REDIS_URL, ns))
    stop, threads = threading.Event(), []

    def start_dispatcher(lease_seconds: float) -> None:
        t = threading.Thread(target=dispatcher.run, args=(pg_db, 0.2, stop), kwargs={"lease_seconds": lease_seconds},
                             daemon=True)
        t.start()
        threads.append(t)

    yield start_dispatcher
    stop.set()
    for t in threads:
        t.join(10)
    broker.close()
    if old is not None:
        broker_setup.install(old)


@pytest.fixture
def mail_settings(monkeypatch):
    """configure(port, security, **extra) → SMTP settings for one test (cached settings cleared)."""

    def configure(port, security="none", **extra):
        env = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(port), "SMTP_SECURITY": security, "SMTP_TIMEOUT": "5",
               "SMTP_CA_FILE": "", "MAIL_MAX_ATTEMPTS": "10", **extra}
        for k, v in env.items():
            monkeypatch.setenv(f"TIAOJIE_{k}", v)
        monkeypatch.delenv("TIAOJIE_BASE_URL", raising=False)
        get_settings.cache_clear()

    yield configure
    get_settings.cache_clear()


@pytest.fixture
def server(mail_settings):
    """A running local SMTP server, configured as the mail server."""
    s = SmtpServer()
    s.start()
    mail_settings(s.port)
    yield s
    s.stop()


@pytest.fixture
def certificate(tmp_path):
    """(certificate file, server SSL context): a self-signed certificate for 127.0.0.1 (skips without openssl)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                    "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key),
                    "-out", str(cert)], check=True, capture_output=True)
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(cert, key)
    return cert, ctx


@pytest.fixture
def supervised(pg_db, redis_ns, tmp_path):
    """start(**env) → ``tiaojie workers worker --processes 2 --threads 1`` on the test's database and namespace."""
    _, ns = redis_ns
    procs = []

    def start(**extra) -> subprocess.Popen:
        env = {**os.environ, "TIAOJIE_DATABASE_URL": pg_db.url, "TIAOJIE_REDIS_URL": REDIS_URL,
               "TIAOJIE_REDIS_NAMESPACE": ns, "PYTHONPATH": str(ROOT), **extra}
        log = open(tmp_path / "worker.log", "wb")  # noqa: SIM115  (closed with the process)
        proc = subprocess.Popen([sys.executable, "-m", "cli.main", "workers", "worker", "--processes", "2",
                                 "--threads", "1"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        procs.append(proc)
        wait_for(lambda: len(children(proc.pid)) == 2, "two worker children", timeout=30)
        return proc

    yield start
    for proc in procs:
        try:  # the whole process group, even when the supervisor itself is dead already
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(10)
