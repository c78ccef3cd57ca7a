"""Several HTTP worker processes behind one port, each connection given to the least busy worker.

With a listening socket shared by the workers (uvicorn's ``--workers``), each connection goes to
whichever worker wins ``accept``; keep-alive connections stay where they landed. Measured here with 8
client connections on 2 workers: splits of 2/6, 6/2 and 5/3, one worker's GIL carrying up to three
quarters of the load while the other idled, and 16 % fewer cases/s than an even 4/4 split.

So the parent (this module) accepts every connection itself and hands it (SCM_RIGHTS over a
``SOCK_SEQPACKET`` socketpair, one per worker) to the ready worker holding the fewest live
connections, ties taken in turn; each worker (``api.cluster_child``) reports its closes. A
connection costs the parent one accept, one sendmsg and one short read; its requests never pass
through the parent. The parent keeps its copy of a connection until the worker reports it taken: a
worker killed with connections still queued on its channel does not lose them, they go to another.

Faults: a worker that dies is started again (at once; after a growing pause if it keeps dying
within ``STABLE_SECONDS``); connections arriving meanwhile go to the others, or wait in the listen
backlog while no worker is ready. A worker whose event loop sends no heartbeat for ``--worker-timeout``
seconds (30; a request blocking the loop, a deadlock) is killed and replaced. A worker whose app fails
to start (uvicorn's exit code 3) stops the cluster with that code: the deployment is broken and would
fail the same way again. SIGTERM or
SIGINT: the parent stops accepting, tells each worker to stop (in-band, after the last connection it
was given), waits ``STOP_SECONDS`` for running requests, then kills what is left. Workers run in their
own process group (a terminal's Ctrl-C reaches the parent only) and stop by themselves if the parent
dies (their channel closes).
"""

import logging
import os
import selectors
import signal
import socket
import subprocess
import sys
import time
from collections import deque
from dataclasses import dataclass, field

from uvicorn.config import STARTUP_FAILURE  # an app that failed its startup

from api.cluster_child import CLOSED, CONNECTION, READY, STOP, TAKEN

log = logging.getLogger("uvicorn.error")

STABLE_SECONDS = 10.0
MIN_BACKOFF, MAX_BACKOFF = 0.5, 30.0
STOP_SECONDS = 30.0
HUNG_SECONDS = 30.0  # a ready worker whose event loop sent no heartbeat for this long is killed
STARTUP_SECONDS = 120.0  # a worker not ready after this long is killed
ACCEPT_BURST = 64  # connections taken per wakeup before the channels are read again


@dataclass
class Worker:
    index: int
    proc: subprocess.Popen | None = None
    channel: socket.socket | None = None
    ready: bool = False
    live: int = 0  # connections handed over and not yet reported closed
    queued: deque = field(default_factory=deque)  # handed, not yet reported taken: the parent's copies
    started: float = 0.0
    heard: float = 0.0  # its last message (a heartbeat every second once ready)
    failures: int = 0
    restart_at: float = 0.0


class Cluster:
    def __init__(self, listener: socket.socket, workers: int, child_args: list[str],
                 env: dict[str, str] | None = None, hung_seconds: float = HUNG_SECONDS) -> None:
        self.listener = listener
        self.hung_seconds = hung_seconds
        self.child_args = list(child_args)
        self.env = env
        self.workers = [Worker(i) for i in range(workers)]
        self.selector = selectors.DefaultSelector()
        self.listening = False
        self.stopping = False
        self.exit_code = 0
        self._turn = 0

    # -- workers ---------------------------------------------------------------------------------------
    def spawn(self, w: Worker) -> None:
        parent_end, child_end = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            w.proc = subprocess.Popen(
                [sys.executable, "-m", "api.cluster_child", "--fd", str(child_end.fileno()), *self.child_args],
                pass_fds=[child_end.fileno()], env=self.env, process_group=0,
            )
        finally:
            child_end.close()
        parent_end.setblocking(False)
        w.channel, w.ready, w.live = parent_end, False, 0
        w.started = w.heard = time.monotonic()
        self.selector.register(parent_end, selectors.EVENT_READ, w)
        log.info("HTTP worker %d started (pid %d)", w.index, w.proc.pid)

    def drop_channel(self, w: Worker) -> None:
        """The worker takes no more: forget its channel; what it had not taken goes to another worker."""
        if w.channel is not None:
            self.selector.unregister(w.channel)
            w.channel.close()
        w.channel, w.ready, w.live = None, False, 0
        queued, w.queued = w.queued, deque()
        for conn in queued:
            self.hand_over(conn)
        self.listen_if_ready()

    def hear(self, w: Worker) -> None:
        """The worker's reports: ready, taken, a connection closed, its heartbeat (any message counts as one), or
        the end of its channel (stopping or dead)."""
        while w.channel is not None:
            try:
                message = w.channel.recv(16)
            except BlockingIOError:
                return
            except OSError:
                message = b""
            w.heard = time.monotonic()
            if not message:
                self.drop_channel(w)
            elif message == READY:
                w.ready = True
                log.info("HTTP worker %d ready", w.index)
                self.listen_if_ready()
            elif message == TAKEN:
                if w.queued:
                    w.queued.popleft().close()
            elif message == CLOSED:
                w.live = max(w.live - 1, 0)

    def kill_hung(self, w: Worker, now: float) -> None:
        """Kill a worker whose event loop has been silent too long (or that never got ready): it is replaced."""
        if w.proc is None or w.channel is None or w.proc.poll() is not None:
            return  # not running, or stopping by itself (its channel closed)
        limit = self.hung_seconds if w.ready else STARTUP_SECONDS
        if now - w.heard > limit:
            log.error("HTTP worker %d (pid %d) silent for %.0f s: killed", w.index, w.proc.pid, now - w.heard)
            self.drop_channel(w)  # what it had not taken goes to another worker now
            w.proc.kill()

    def reap(self, now: float) -> None:
        for w in self.workers:
            self.kill_hung(w, now)
            if w.proc is not None and w.proc.poll() is not None:
                code, lived = w.proc.returncode, now - w.started
                self.drop_channel(w)
                w.proc = None
                if self.stopping:
                    continue
                if code == STARTUP_FAILURE:
                    log.error("HTTP worker %d could not start its app (exit code 3): stopping", w.index)
                    self.exit_code, self.stopping = STARTUP_FAILURE, True
                    continue
                w.failures = w.failures + 1 if lived < STABLE_SECONDS else 0
                delay = 0.0 if w.failures <= 1 else min(MIN_BACKOFF * 2 ** (w.failures - 2), MAX_BACKOFF)
                w.restart_at = now + delay
                log.warning("HTTP worker %d exited with %s after %.1f s: restarting in %.1f s",
                            w.index, code, lived, delay)
            if w.proc is None and not self.stopping and now >= w.restart_at:
                self.spawn(w)

    # -- connections -----------------------------------------------------------------------------------
    def listen_if_ready(self) -> None:
        """Accept only while a worker is ready; otherwise connections wait in the kernel's backlog."""
        want = not self.stopping and any(w.ready for w in self.workers)
        if want and not self.listening:
            self.selector.register(self.listener, selectors.EVENT_READ, None)
        elif not want and self.listening:
            self.selector.unregister(self.listener)
        self.listening = want

    def choose(self) -> list[Worker]:
        """Ready workers, fewest live connections first; among equals, the next in turn first."""
        n = len(self.workers)
        ring = [self.workers[(self._turn + i) % n] for i in range(n)]
        return sorted((w for w in ring if w.ready), key=lambda w: w.live)

    def hand(self, conn: socket.socket) -> bool:
        """Send ``conn`` to the ready worker holding the fewest; it is kept until reported taken."""
        for w in self.choose():
            try:
                socket.send_fds(w.channel, [CONNECTION], [conn.fileno()])
            except BlockingIOError:  # its channel is full: it is stuck; try another
                continue
            except OSError:  # it has just gone
                self.drop_channel(w)
                continue
            w.live += 1
            w.queued.append(conn)
            self._turn = (w.index + 1) % len(self.workers)
            return True
        return False

    def hand_over(self, conn: socket.socket) -> None:
        if not self.hand(conn):
            log.error("no HTTP worker could take a connection: closed")
            conn.close()

    def accept(self) -> None:
        for _ in range(ACCEPT_BURST):
            try:
                conn, _addr = self.listener.accept()
            except BlockingIOError:
                return
            except OSError as err:  # out of file descriptors, …: try again on the next wakeup
                log.error("accept failed: %s", err)
                return
            conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            self.hand_over(conn)

    # -- the loop --------------------------------------------------------------------------------------
    def stop(self, *_args) -> None:
        self.stopping = True

    def run(self, tick: float = 0.1) -> int:
        self.listener.setblocking(False)
        wake_r, wake_w = socket.socketpair()
        wake_r.setblocking(False)
        wake_w.setblocking(False)
        self.selector.register(wake_r, selectors.EVENT_READ, "wake")
        old_wakeup = signal.set_wakeup_fd(wake_w.fileno())
        handlers = {sig: signal.signal(sig, self.stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            for w in self.workers:
                self.spawn(w)
            while not self.stopping:
                for key, _ in self.selector.select(tick):
                    if key.data is None:
                        self.accept()
                    elif key.data == "wake":
                        wake_r.recv(512)
                    else:
                        self.hear(key.data)
                self.reap(time.monotonic())
            return self.shutdown()
        finally:
            signal.set_wakeup_fd(old_wakeup)
            for sig, handler in handlers.items():
                signal.signal(sig, handler)
            wake_r.close()
            wake_w.close()

    def shutdown(self, timeout: float = STOP_SECONDS) -> int:
        log.info("stopping the HTTP workers")
        self.listen_if_ready()
        self.listener.close()
        running = [w for w in self.workers if w.proc is not None and w.proc.poll() is None]
        for w in running:
            try:
                w.channel.send(STOP)
            except (AttributeError, OSError):  # no channel any more: it is already stopping
                w.proc.send_signal(signal.SIGTERM)
        end = time.monotonic() + timeout
        for w in running:
            try:
                w.proc.wait(max(end - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                log.warning("HTTP worker %d (pid %d) did not stop in time: killed", w.index, w.proc.pid)
                w.proc.kill()
                w.proc.wait()
        for w in self.workers:
            self.drop_channel(w)
        return self.exit_code


def child_args(app: str, log_level: str, access_log: bool, loop: str, http: str) -> list[str]:
    args = ["--app", app, "--log-level", log_level, "--loop", loop, "--http", http]
    return args if access_log else [*args, "--no-access-log"]


def serve(listener: socket.socket, workers: int, args: list[str], backlog: int = 2048,
          hung_seconds: float = HUNG_SECONDS) -> int:
    listener.listen(backlog)
    log.info("Started parent process [%d]: %d HTTP workers on %s", os.getpid(), workers, listener.getsockname())
    return Cluster(listener, workers, args, hung_seconds=hung_seconds).run()
