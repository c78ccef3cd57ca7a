"""A cluster of HTTP workers (``api.serve --workers N``) as its own process, for the cluster tests."""
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.helpers.rawhttp import Conn
from tests.helpers.smtp import free_port

ROOT = Path(__file__).resolve().parents[2]


class Cluster:
    def __init__(self, workers: int = 2, app: str = "tests.helpers.pid_app:app", *extra: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.output = ""
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "api.serve", "--port", str(self.port), "--workers", str(workers),
             "--app", app, "--log-level", "warning", "--no-access-log", *extra],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )

    def workers(self) -> list[int]:
        """The pids of the parent's live children."""
        return children(self.proc.pid)

    def wait_ready(self, n: int, timeout: float = 60) -> list[int]:
        """Wait until ``n`` workers answer (a fresh connection per try); their pids."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the cluster exited with {self.proc.returncode}: {self.proc.stdout.read()}")
            seen = set()
            for _ in range(4 * n):
                try:
                    with Conn(self.port) as c:
                        seen.add(c.get("/"))
                except OSError:
                    break
            if len(seen) >= n:
                return sorted(seen)
            time.sleep(0.1)
        raise RuntimeError(f"{n} workers did not become ready")

    def stop(self) -> str:
        """SIGTERM (SIGKILL after 30 s) and wait; everything the cluster logged."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if not self.proc.stdout.closed:
            self.output = self.proc.stdout.read()
            self.proc.stdout.close()
        return self.output


def children(pid: int) -> list[int]:
    """The live child processes of ``pid``."""
    try:
        kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    return [int(k) for k in kids if _alive(int(k))]


def _alive(pid: int) -> bool:
    try:
        state = re.search(r"\) (\w)", Path(f"/proc/{pid}/stat").read_text()).group(1)
    except (OSError, AttributeError):
        return False
    return state != "Z"


def wait_gone(pids: list[int], timeout: float = 20) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not any(_alive(p) for p in pids):
            return True
        time.sleep(0.05)
    return False
