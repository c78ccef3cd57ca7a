"""Run the service under uvicorn: one process, or N worker processes behind one port (``api.cluster``).

With N workers the parent accepts every connection and hands it to the worker holding the fewest
(``api.cluster``), instead of uvicorn's ``--workers`` where they race for a shared socket.

uvicorn binds its socket without ``IPPROTO_TCP``; asyncio then leaves TCP_NODELAY off on accepted
connections, and every keep-alive response after the first waits ~40 ms for a delayed ACK (measured
here: 48 ms instead of 7 ms per request). We bind the socket ourselves with the protocol set (and the
cluster's parent sets TCP_NODELAY on each connection it accepts).

The event loop and the HTTP parser are uvicorn's "auto" choice: uvloop and httptools (dependencies of the
project) when installed, else asyncio and h11. ``--loop`` / ``--http`` pin one (to compare them).
"""

import socket

import uvicorn

from api import cluster

APP = "api.main:app"


def tcp_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    return sock


def run(host: str, port: int, workers: int = 1, log_level: str = "info", access_log: bool = True,
        loop: str = "auto", http: str = "auto", app: str = APP,
        worker_timeout: float = cluster.HUNG_SECONDS) -> int:
    config = uvicorn.Config(app, host=host, port=port, log_level=log_level, access_log=access_log,
                            loop=loop, http=http)  # also sets up uvicorn's logging in this process
    if workers <= 1:
        uvicorn.Server(config).run()
        return 0
    args = cluster.child_args(app, log_level, access_log, loop, http)
    return cluster.serve(tcp_socket(host, port), workers, args, config.backlog, worker_timeout)


if __name__ == "__main__":
    import argparse

    ap = argparse.ArgumentParser()
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8000)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--log-level", default="info")
    ap.add_argument("--no-access-log", action="store_true")
    ap.add_argument("--loop", default="auto", choices=["auto", "asyncio", "uvloop"])
    ap.add_argument("--http", default="auto", choices=["auto", "h11", "httptools"])
    ap.add_argument("--app", default=APP, help="the ASGI app (module:attribute)")
    ap.add_argument("--worker-timeout", type=float, default=cluster.HUNG_SECONDS,
                    help="with --workers: seconds a worker's event loop may stay silent before it is replaced")
    a = ap.parse_args()
    raise SystemExit(run(a.host, a.port, a.workers, a.log_level, not a.no_access_log, a.loop, a.http, a.app,
                         a.worker_timeout))
