"""Several HTTP workers behind one port (``api.cluster``): each connection goes to the ready worker holding
the fewest, dead workers are replaced, a stop lets running requests finish, no worker outlives its parent.

The processes are real (``api.serve --workers 2`` on ``tests.helpers.pid_app``, which answers with the pid
of the worker serving); the parent's choice and hand-over are also checked in this process, on real sockets.
"""
import collections
import selectors
import signal
import socket
import subprocess
import threading
import time

from api.cluster import Cluster
from api.cluster_child import CLOSED, READY, TAKEN
from tests.helpers.cluster import Cluster as Running
from tests.helpers.cluster import wait_gone
from tests.helpers.rawhttp import Conn


def test_connections_are_shared_evenly_and_stay_with_their_worker(cluster):
    conns = [Conn(cluster.port) for _ in range(8)]
    try:
        first = [c.get("/") for c in conns]
        assert sorted(collections.Counter(first).values()) == [4, 4]
        assert set(first) == set(cluster.workers())
        assert [c.get("/") for c in conns] == first  # keep-alive: the same worker again
    finally:
        for c in conns:
            c.close()


def test_a_new_connection_goes_to_the_worker_holding_the_fewest(cluster):
    conns = [Conn(cluster.port) for _ in range(4)]
    pids = [c.get("/") for c in conns]
    a = pids[0]
    for c, pid in zip(conns, pids, strict=True):
        if pid == a:
            c.close()  # worker a now holds none, the other two
    new = [Conn(cluster.port) for _ in range(2)]
    try:
        for _ in range(100):  # the closes reach the parent asynchronously
            if [c.get("/") for c in new] == [a, a]:
                break
            for c in new:
                c.close()
            time.sleep(0.1)
            new = [Conn(cluster.port) for _ in range(2)]
        assert [c.get("/") for c in new] == [a, a]
    finally:
        for c in new + conns:
            c.close()


def test_a_killed_worker_is_replaced_and_new_connections_are_all_served(cluster):
    victim, other = cluster.wait_ready(2)
    held = Conn(cluster.port)
    while held.get("/") != victim:  # a connection on the victim
        held.close()
        held = Conn(cluster.port)
    subprocess.run(["kill", "-9", str(victim)], check=True)
    served = []
    for _ in range(20):
        with Conn(cluster.port) as c:
            served.append(c.get("/"))  # raises if one is lost
    assert victim not in served
    try:
        held.get("/")
        raise AssertionError("the killed worker's connection still answered")
    except OSError:
        pass
    pids = cluster.wait_ready(2)
    assert victim not in pids and other in pids and len(pids) == 2


def test_stop_lets_a_running_request_finish_then_nothing_is_left():
    running = Running(workers=2)
    workers = running.wait_ready(2)
    answer = []
    slow = Conn(running.port)
    slow.get("/")  # the connection is with a worker now
    t = threading.Thread(target=lambda: answer.append(slow.get("/slow?s=2.5")))
    t.start()
    try:
        time.sleep(1)  # the request is running
        running.proc.send_signal(signal.SIGTERM)
        assert running.proc.wait(30) == 0
        t.join(10)
        assert answer and answer[0] in workers
        assert wait_gone(workers)
        with socket.socket() as s:
            assert s.connect_ex(("127.0.0.1", running.port)) != 0  # the port is closed
    finally:
        slow.close()
        running.stop()


def test_workers_do_not_outlive_a_killed_parent():
    running = Running(workers=2)
    try:
        workers = running.wait_ready(2)
        running.proc.kill()
        running.proc.wait()
        assert wait_gone(workers)
    finally:
        running.stop()


def test_an_app_that_cannot_start_stops_the_cluster_with_uvicorns_code():
    running = Running(workers=2, app="tests.helpers.pid_app:broken")
    try:
        assert running.proc.wait(60) == 3
        assert "could not start its app" in running.stop()
    finally:
        running.stop()


def _parent(workers: int) -> tuple[Cluster, socket.socket, list[socket.socket]]:
    """A parent in this process with ``workers`` ready channels (their far ends returned), no processes."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.setblocking(False)
    parent = Cluster(listener, workers, [])
    ends = []
    for w in parent.workers:
        w.channel, far = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        w.channel.setblocking(False)
        w.ready = True
        parent.selector.register(w.channel, selectors.EVENT_READ, w)
        ends.append(far)
    return parent, listener, ends


def _handed(end: socket.socket) -> socket.socket:
    _msg, fds, _flags, _addr = socket.recv_fds(end, 16, 1)
    return socket.socket(fileno=fds[0])


def test_the_parent_hands_the_accepted_connection_over_with_nodelay():
    parent, listener, ends = _parent(2)
    client = socket.create_connection(listener.getsockname())
    try:
        parent.accept()
        with _handed(ends[0]) as conn:
            assert conn.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
            conn.sendall(b"hello")
            assert client.recv(5) == b"hello"  # the very connection the client opened
        assert parent.workers[0].live == 1
    finally:
        client.close()
        listener.close()


def test_the_choice_counts_closes_skips_unready_and_gone_workers():
    parent, listener, ends = _parent(3)
    try:
        parent.workers[2].ready = False  # still starting
        assert [w.index for w in parent.choose()] == [0, 1]
        parent.workers[0].live, parent.workers[1].live = 2, 1
        assert parent.choose()[0].index == 1
        ends[1].send(CLOSED)
        ends[1].send(CLOSED)  # one more close than it holds: never below zero
        ends[2].send(READY)
        parent.hear(parent.workers[1])
        parent.hear(parent.workers[2])
        assert (parent.workers[1].live, parent.workers[2].ready) == (0, True)
        ends[1].close()  # worker 1 (first in the choice, holding none) is gone: the hand-over falls to 2
        a, b = socket.socketpair()
        assert parent.hand(a)
        assert parent.workers[1].channel is None and not parent.workers[1].ready
        assert [w.index for w in parent.workers if w.live == 1] == [2]
        a.close()
        b.close()
    finally:
        listener.close()


def test_a_connection_its_worker_never_took_goes_to_another_when_that_worker_dies():
    parent, listener, ends = _parent(2)
    client = socket.create_connection(listener.getsockname())
    try:
        parent.accept()  # to worker 0, which dies before taking it off its channel
        assert len(parent.workers[0].queued) == 1
        ends[0].close()
        parent.hear(parent.workers[0])
        assert parent.workers[0].channel is None and not parent.workers[0].queued
        with _handed(ends[1]) as conn:  # worker 1 has it now
            conn.sendall(b"still here")
            assert client.recv(10) == b"still here"
        ends[1].send(TAKEN)
        parent.hear(parent.workers[1])
        assert not parent.workers[1].queued  # taken: the parent let its copy go
        assert parent.workers[1].live == 1
    finally:
        client.close()
        listener.close()


def test_a_worker_whose_event_loop_hangs_is_replaced():
    running = Running(2, "tests.helpers.pid_app:app", "--worker-timeout", "2")
    try:
        hung, other = running.wait_ready(2)
        stuck = Conn(running.port)
        while stuck.get("/") != hung:
            stuck.close()
            stuck = Conn(running.port)
        stuck.sock.sendall(b"GET /hang HTTP/1.1\r\nHost: t\r\n\r\n")  # its loop blocks for an hour
        assert wait_gone([hung], timeout=30)
        pids = running.wait_ready(2)
        assert hung not in pids and other in pids
        assert f"(pid {hung}) silent for" in running.stop()
    finally:
        stuck.close()
        running.stop()
