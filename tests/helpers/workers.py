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


def children(pid: int) -> set[int]:
    """The live child processes of ``pid`` (from /proc; zombies left out)."""
    out = set()
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()  # after "(comm)": state, ppid, …
        if int(fields[1]) == pid and fields[0] != "Z":
            out.add(int(entry))
    return out


def _socket_inodes(local_port: int) -> set[str]:
    """Inodes of the TCP sockets bound to ``local_port`` on this machine."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(table) as f:
                lines = f.readlines()[1:]
        except OSError:
            continue
        for line in lines:
            cols = line.split()
            if int(cols[1].rsplit(":", 1)[1], 16) == local_port:
                inodes.add(cols[9])
    return inodes


def owner_of_port(pids, local_port: int) -> int | None:
    """Which of ``pids`` holds the TCP connection whose local port is ``local_port``."""
    inodes = _socket_inodes(local_port)
    for pid in pids:
        try:
            fds = os.listdir(f"/proc/{pid}/fd")
        except OSError:
            continue
        for fd in fds:
            try:
                link = os.readlink(f"/proc/{pid}/fd/{fd}")
            except OSError:
                continue
            if link.startswith("socket:[") and link[8:-1] in inodes:
                return pid
    return None
