"""Worker test helpers: the test Redis, a test's key namespace, worker subprocesses."""

import os
import signal
import subprocess
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, text

from engine.store import deadlines as store
from engine.store import users
from engine.store.tables import deadlines, events, tasks
from tests.helpers.engine import deploy, start

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


def wait_for(predicate, what: str, timeout: float = 45.0, poll: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(poll)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def due_deadlines(db, n: int, cases: int, due_from: datetime, spread: timedelta) -> list[int]:
    """``n`` statutory deadlines over ``cases`` review cases, due between due_from and due_from + spread."""
    deploy(db, "review_v1.bpmn")
    case_ids = [start(db).id for _ in range(cases)]
    now = datetime.now(UTC)
    rows = [{"case_id": case_ids[i % cases], "task_id": None, "kind": "statutory", "rule_key": None,
             "name": f"法定期限{i}", "clock": "natural", "starts_at": now - timedelta(days=15),
             "due_at": due_from + spread * (i / n), "warn_at": None, "status": "pending", "paused_seconds": 0,
             "escalation_level": 0, "attempts": 0, "created_at": now, "updated_at": now} for i in range(n)]
    with db.begin() as conn:
        store.insert_many(conn, rows)
        return [r.id for r in conn.execute(select(deadlines.c.id).where(deadlines.c.name.like("法定期限%")))]


def fired(db) -> int:
    with db.begin() as conn:
        return conn.execute(select(func.count()).where(deadlines.c.status == "fired")).scalar()


def in_flight(db) -> int:
    """Actors sleeping inside their transaction (TIAOJIE_TEST_ACTOR_DELAY), not a dispatcher between statements."""
    with db.begin() as conn:
        return conn.execute(text("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                                 "AND state = 'idle in transaction' "
                                 "AND state_change < clock_timestamp() - interval '200 milliseconds'")).scalar()


def assert_each_fired_once(db, ids: list[int]) -> None:
    with db.begin() as conn:
        rows = list(conn.execute(select(deadlines.c.id, deadlines.c.status, deadlines.c.escalation_level)))
        breached = [e.data["deadline"] for e in conn.execute(select(events).where(events.c.kind == "deadline_breached"))]
        task_rows = list(conn.execute(select(tasks.c.deadline_id).where(tasks.c.kind == "escalation")))
    assert {(r.status, r.escalation_level) for r in rows if r.id in set(ids)} == {("fired", 2)}
    assert sorted(breached) == sorted(ids)  # one event per deadline, none twice
    assert sorted(t.deadline_id for t in task_rows) == sorted(ids)  # one 督办 task each


def add_supervisor(db) -> None:
    with db.begin() as conn:
        users.insert(conn, username="super1", password_hash="x", role="supervisor", communities=[],
                     email="super1@example.org", display_name=None, locale="zh-CN", now=datetime.now(UTC))


def due_deadlines_more(db, n: int, due_at: datetime) -> list[int]:
    """``n`` more deadlines due at ``due_at`` on the existing cases."""
    with db.begin() as conn:
        case_ids = [r.case_id for r in conn.execute(select(deadlines.c.case_id).distinct())]
    now = datetime.now(UTC)
    rows = [{"case_id": case_ids[i % len(case_ids)], "task_id": None, "kind": "statutory", "rule_key": None,
             "name": f"后到期限{i}", "clock": "natural", "starts_at": now, "due_at": due_at, "warn_at": None,
             "status": "pending", "paused_seconds": 0, "escalation_level": 0, "attempts": 0, "created_at": now,
             "updated_at": now} for i in range(n)]
    with db.begin() as conn:
        store.insert_many(conn, rows)
        return [r.id for r in conn.execute(select(deadlines.c.id).where(deadlines.c.due_at == due_at))]
