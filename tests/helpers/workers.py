"""Worker test helpers: the test Redis, a test's key namespace, worker subprocesses."""

import os
import signal
import subprocess

REDIS_URL = os.environ.get("TIAOJIE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


def flush(client, ns: str) -> int:
    """FLUSHDB for this test only: every key of its namespace (other runs may share the db)."""
    keys = list(client.scan_iter(match=f"{ns}*", count=1000))
    return client.delete(*keys) if keys else 0


def kill(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)
