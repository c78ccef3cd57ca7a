"""The dispatcher: due rows → one message each (ids only), leases, the reaper, several dispatchers."""

import threading
from datetime import timedelta

from engine.deadlines import escalation as escalations
from tests.helpers.deadlines import case_with_sla
from workers import dispatcher


def sent(stub) -> list:
    out = []
    for q in ("engine", "engine.DQ"):
        queue = stub.queues.get(q)
        while queue is not None and not queue.empty():
            import dramatiq

            out.append(dramatiq.Message.decode(queue.get_nowait()))
    return out


def emails(stub) -> int:
    """Drain the email queue (the outbox rows the steps wrote); how many messages it held."""
    queue, n = stub.queues.get("email"), 0
    while queue is not None and not queue.empty():
        queue.get_nowait()
        n += 1
    return n


def test_each_stage_gets_its_actor_and_a_readable_message_id(db, stub):
    case, sla = case_with_sla(db)
    early = dispatcher.tick(db, sla.warn_at - timedelta(seconds=1), lease_seconds=30)
    # nothing for the deadline yet; the only messages may be the day's digest emails
    assert sent(stub) == [] and early == emails(stub)
    at = sla.warn_at + timedelta(seconds=1)
    assert dispatcher.tick(db, at, lease_seconds=30) == 1
    (m,) = sent(stub)
    assert (m.actor_name, m.args, m.queue_name) == ("warn_deadline", (sla.id,), "engine")
    assert m.message_id.startswith(f"deadline-{sla.id}-warn-") and ":" not in m.message_id
    assert dispatcher.tick(db, at + timedelta(seconds=10), lease_seconds=30) == 0  # leased
    # lease ran out: again (and the undelivered digest emails, whose 30 s dispatch lease ran out too)
    assert dispatcher.tick(db, at + timedelta(seconds=31), lease_seconds=30) == 1 + emails(stub)
    (again,) = sent(stub)
    assert again.message_id == m.message_id  # same row, stage and due time: same id
    with db.begin() as conn:
        assert escalations.warn(conn, sla.id, at)
    late = sla.due_at + timedelta(seconds=1)
    assert dispatcher.tick(db, late, lease_seconds=30) == 1 + emails(stub)  # + the warning emails
    names = [(m.actor_name, m.message_id) for m in sent(stub)]
    assert names == [("fire_deadline", f"deadline-{sla.id}-breach-{sla.due_at:%Y%m%dT%H%M%SZ}")], names
    with db.begin() as conn:
        assert escalations.breach(conn, sla.id, late)
    assert dispatcher.tick(db, late + timedelta(hours=23), lease_seconds=30) == emails(stub)
    assert dispatcher.tick(db, late + timedelta(hours=24, seconds=1), lease_seconds=30) >= 1
    leader = [m for m in sent(stub) if m.actor_name == "escalate_to_leader"]
    assert [m.args for m in leader] == [(sla.id,)] and "-leader-" in leader[0].message_id


def test_lost_broker_is_survived_by_the_lease(db, stub, monkeypatch):
    case, sla = case_with_sla(db)
    at = sla.warn_at + timedelta(seconds=1)

    def down(message, delay=None):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(stub, "enqueue", down)
    assert dispatcher.tick(db, at, lease_seconds=5) == 0  # claimed but not sent
    monkeypatch.undo()
    assert dispatcher.tick(db, at + timedelta(seconds=1), lease_seconds=5) == 0  # still leased
    assert dispatcher.tick(db, at + timedelta(seconds=6), lease_seconds=5) == 1  # reaped


def test_concurrent_dispatchers_send_each_row_once(pg_db, stub):
    from datetime import UTC, datetime

    from engine.store import deadlines as store

    case, sla = case_with_sla(pg_db)
    now = datetime.now(UTC)
    rows = [
        {
            "case_id": case.id,
            "task_id": None,
            "kind": "statutory",
            "rule_key": None,
            "name": f"期限{i}",
            "clock": "natural",
            "starts_at": now - timedelta(days=1),
            "due_at": now - timedelta(seconds=i % 60),
            "warn_at": None,
            "status": "pending",
            "paused_seconds": 0,
            "escalation_level": 0,
            "attempts": 0,
            "created_at": now,
            "updated_at": now,
        }
        for i in range(300)
    ]
    with pg_db.begin() as conn:
        store.insert_many(conn, rows)
    counts, barrier = [], threading.Barrier(3)

    def run():
        barrier.wait()
        n = 0
        for _ in range(5):
            n += dispatcher.tick(pg_db, now, lease_seconds=60, limit=40)
        counts.append(n)

    ts = [threading.Thread(target=run) for _ in range(3)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(60)
    messages = sent(stub)  # batches carry a list of ids, single messages one id
    ids = [i for m in messages for i in (m.args[0] if isinstance(m.args[0], list) else [m.args[0]])]
    with pg_db.begin() as conn:
        due = {r.id for r in store.for_case(conn, case.id) if r.due_at <= now}  # ours, and the case's own
    assert len(due) >= 300 and sum(counts) - emails(stub) == len(messages) < len(ids) == len(set(ids))
    assert set(ids) == due


def test_daily_digest_is_queued_once_a_day_from_eight(db, monkeypatch):
    from datetime import UTC, datetime

    from workers import dispatcher as d

    calls = []
    monkeypatch.setattr(d, "_digest_done", set())
    monkeypatch.setattr("engine.notifications.build_digests", lambda conn, at: calls.append(at) or 0)
    d._maybe_digest(db, datetime(2026, 3, 2, 23, 0, tzinfo=UTC))  # 07:00 Shanghai: not yet
    d._maybe_digest(db, datetime(2026, 3, 3, 0, 5, tzinfo=UTC))  # 08:05 Shanghai: once
    d._maybe_digest(db, datetime(2026, 3, 3, 3, 0, tzinfo=UTC))  # 11:00: already done today
    d._maybe_digest(db, datetime(2026, 3, 4, 0, 1, tzinfo=UTC))  # next day 08:01: again
    assert [c.day for c in calls] == [3, 4]
