"""`tiaojie serve`: the listening socket must give accepted connections TCP_NODELAY (without it every
keep-alive response after the first waits for a delayed ACK, ~40 ms), and `--workers 2` runs the app in both.
"""

import asyncio
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from api.serve import tcp_socket
from tests.helpers.cluster import children, wait_gone
from tests.helpers.paths import ROOT
from tests.helpers.smtp import free_port
from tests.helpers.workers import REDIS_URL


def _nodelay_of_accepted(sock: socket.socket) -> int:
    async def main() -> int:
        seen: list[int] = []

        async def handle(reader, writer):
            seen.append(writer.get_extra_info("socket").getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()

        server = await asyncio.start_server(handle, sock=sock)
        port = sock.getsockname()[1]
        _, writer = await asyncio.open_connection("127.0.0.1", port)
        for _ in range(100):
            if seen:
                break
            await asyncio.sleep(0.01)
        writer.close()
        server.close()
        await server.wait_closed()
        return seen[0]

    return asyncio.run(main())


def test_our_socket_gets_nodelay_on_accepted_connections():
    assert _nodelay_of_accepted(tcp_socket("127.0.0.1", 0)) != 0


def test_a_socket_without_the_protocol_would_not():
    plain = socket.socket(socket.AF_INET)  # what uvicorn's --workers binds
    plain.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    plain.bind(("127.0.0.1", 0))
    assert _nodelay_of_accepted(plain) == 0


def test_serve_with_two_workers_runs_the_app_in_both_and_stops_on_sigterm(cli):
    """`tiaojie serve --workers 2` (the production command: Redis set): the real app in both workers
    (each connection goes to the one holding fewer, so two held connections reach both), SIGTERM stops all."""
    port = free_port()
    env = {**cli.env, "TIAOJIE_REDIS_URL": REDIS_URL}
    proc = subprocess.Popen([sys.executable, "-m", "cli.main", "serve", "--port", str(port), "--workers", "2"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    held: list[socket.socket] = []
    try:
        deadline, served = time.monotonic() + 90, set()
        while len(served) < 2 and time.monotonic() < deadline and proc.poll() is None:
            try:  # kept open: once both are ready, the next connection goes to the one holding fewer
                held.append(_healthz(port))
                workers = children(proc.pid)
                served.add(_peer_pid(held[-1], workers))
            except OSError:
                time.sleep(0.2)
        assert proc.poll() is None, proc.stdout.read()
        assert len(workers) == 2 and served == set(workers)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(60) == 0
        assert wait_gone(workers)
    finally:
        for s in held:
            s.close()
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        proc.stdout.close()


def _healthz(port: int) -> socket.socket:
    """A kept connection that got 200 from /api/v1/healthz."""
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    s.sendall(b"GET /api/v1/healthz HTTP/1.1\r\nHost: t\r\n\r\n")
    head = s.recv(65536)
    if not head.startswith(b"HTTP/1.1 200"):
        s.close()
        raise OSError(head[:80])
    return s


def _peer_pid(sock: socket.socket, pids: list[int]) -> int:
    """The worker holding the server side of ``sock`` (its socket inode among the worker's fds)."""
    local_port = sock.getsockname()[1]
    inode = next(line.split()[9] for line in Path("/proc/net/tcp").read_text().splitlines()[1:]
                 if int(line.split()[2].split(":")[1], 16) == local_port)
    return next(p for p in pids for fd in Path(f"/proc/{p}/fd").iterdir() if _link(fd) == f"socket:[{inode}]")


def _link(fd: Path) -> str:
    try:
        return str(fd.readlink())
    except OSError:
        return ""
