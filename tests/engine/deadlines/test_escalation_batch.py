"""Warnings and breaches in batches: each row once, the same tasks, events and emails as one by one."""

from datetime import timedelta

from sqlalchemy import func, select, text

from engine.cases import pause as clocks
from engine.deadlines import escalation as escalations
from engine.store import deadlines as store
from engine.store.tables import deadlines, events, outbox, tasks
from tests.helpers.deadlines import T0, case_with_sla
from tests.helpers.sql import StatementCounter
from workers import actors, dispatcher


def more_deadlines(db, case_id: int, n: int, due, warn=None) -> list[int]:
    rows = [
        {
            "case_id": case_id,
            "task_id": None,
            "kind": "statutory",
            "rule_key": None,
            "name": f"批量{i}",
            "clock": "natural",
            "starts_at": T0,
            "due_at": due,
            "warn_at": warn,
            "status": "pending",
            "paused_seconds": 0,
            "escalation_level": 0,
            "attempts": 0,
            "created_at": T0,
            "updated_at": T0,
        }
        for i in range(n)
    ]
    with db.begin() as conn:
        store.insert_many(conn, rows)
        return sorted(
            r.id for r in conn.execute(select(deadlines.c.id).where(deadlines.c.name.like("批量%")))
        )


def snapshot(db) -> tuple:
    """Everything a step writes: deadline states, escalation tasks, events, outbox rows."""
    with db.begin() as conn:
        rows = sorted(
            (r.id, r.status, r.escalation_level, r.next_escalation_at)
            for r in conn.execute(select(deadlines))
        )
        task_rows = sorted(
            r.deadline_id
            for r in conn.execute(select(tasks.c.deadline_id).where(tasks.c.kind == "escalation"))
        )
        kinds = sorted(r.kind for r in conn.execute(select(events.c.kind)))
        keys = sorted(r.dedupe_key for r in conn.execute(select(outbox.c.dedupe_key)))
    return rows, task_rows, kinds, keys


def test_a_batch_fires_each_row_once_with_its_task_events_and_emails(db):
    case, sla = case_with_sla(db)
    late = sla.due_at + timedelta(minutes=5)
    ids = more_deadlines(db, case.id, 5, sla.due_at) + [sla.id]
    with db.begin() as conn:
        assert sorted(escalations.breach_many(conn, ids, late)) == sorted(ids)
    rows, task_rows, kinds, keys = snapshot(db)
    assert {(s, lvl, nxt) for i, s, lvl, nxt in rows if i in ids} == {
        ("fired", 2, late + timedelta(hours=24))
    }
    assert task_rows == sorted(ids)  # one 督办 task each
    with db.begin() as conn:
        breached = [e.data for e in conn.execute(select(events).where(events.c.kind == "deadline_breached"))]
        created = conn.execute(
            select(func.count()).where(
                events.c.kind == "task_created", events.c.data["task_kind"].as_string() == "escalation"
            )
        )
        assert created.scalar() == len(ids)
    assert sorted(d["deadline"] for d in breached) == sorted(ids)
    # the dedupe keys the single step writes: nothing could be sent twice by mixing both
    stamp = int(sla.due_at.timestamp())
    sup = {k for k in keys if "-breach-supervisor-" in k}
    assert sup and {k.split("-")[1] for k in sup} == {str(i) for i in ids}
    assert all(k.startswith(f"deadline-{k.split('-')[1]}-breach-supervisor-{stamp}-") for k in sup)
    with db.begin() as conn:  # the single-id step sees them done too
        assert not any(escalations.breach(conn, i, late) for i in ids)


def test_a_repeated_batch_changes_nothing(db):
    case, sla = case_with_sla(db)
    late = sla.due_at + timedelta(minutes=5)
    ids = sorted(more_deadlines(db, case.id, 4, sla.due_at, warn=sla.warn_at) + [sla.id])
    with db.begin() as conn:
        assert sorted(escalations.warn_many(conn, ids, sla.warn_at)) == ids
    warned = snapshot(db)
    with db.begin() as conn:
        assert escalations.warn_many(conn, ids, sla.warn_at) == []
    assert snapshot(db) == warned
    with db.begin() as conn:
        assert sorted(escalations.breach_many(conn, ids, late)) == ids
    fired = snapshot(db)
    for step in (escalations.breach_many, escalations.warn_many):
        with db.begin() as conn:
            assert step(conn, ids, late + timedelta(minutes=1)) == []
    assert snapshot(db) == fired
    assert fired[2].count("deadline_warning") == fired[2].count("deadline_breached") == len(ids)


def test_rows_no_longer_in_the_expected_state_are_skipped(db):
    case, sla = case_with_sla(db)
    late = sla.due_at + timedelta(minutes=5)
    done, closed, early, fresh = more_deadlines(db, case.id, 4, sla.due_at)
    with db.begin() as conn:
        timer = [r.id for r in store.for_case(conn, case.id) if r.kind == "timer"]
        assert escalations.breach(conn, done, late)  # fired one by one already
        conn.execute(deadlines.update().where(deadlines.c.id == closed).values(status="met", closed_at=late))
        conn.execute(
            deadlines.update().where(deadlines.c.id == early).values(due_at=late + timedelta(days=1))
        )
    before = snapshot(db)
    with db.begin() as conn:
        assert escalations.breach_many(conn, [done, closed, early, fresh, *timer, 10**9], late) == [fresh]
        assert escalations.warn_many(conn, [done, closed, fresh, *timer], late) == []  # nothing pending
    after = snapshot(db)
    changed = {r[0] for r in set(after[0]) - set(before[0])}
    assert changed == {fresh}
    assert after[1] == sorted(before[1] + [fresh])


def test_a_paused_cases_rows_are_skipped(db):
    case, sla = case_with_sla(db)
    ids = more_deadlines(db, case.id, 3, sla.due_at, warn=sla.warn_at) + [sla.id]
    with db.begin() as conn:
        clocks.pause_case(conn, case.id, "mediator1", "等待被申请人到场")
    before = snapshot(db)
    with db.begin() as conn:
        assert escalations.warn_many(conn, ids, sla.warn_at) == []
        assert escalations.breach_many(conn, ids, sla.due_at + timedelta(days=60)) == []
    assert snapshot(db) == before


def test_statements_do_not_grow_with_the_batch(db):
    case, sla = case_with_sla(db)
    with db.begin() as conn:  # no one to email: enqueue (2 statements per email) stays out of the count
        conn.execute(text("UPDATE users SET active = false"))
    late = sla.due_at + timedelta(minutes=5)
    ids = more_deadlines(db, case.id, 60, sla.due_at)
    counts = []
    for part in (ids[:3], ids[3:]):
        counter = StatementCounter(db)
        try:
            with db.begin() as conn:
                assert len(escalations.breach_many(conn, part, late)) == len(part)
        finally:
            counter.close()
        counts.append(counter.count)
    assert counts[0] == counts[1] <= 12, counts


def test_dispatcher_batches_by_stage_and_the_batch_actors_fire_them(db):
    import dramatiq

    from workers import broker as broker_setup

    case, sla = case_with_sla(db)
    late = sla.due_at + timedelta(minutes=5)
    breach_ids = more_deadlines(db, case.id, 250, sla.due_at)
    stub = broker_setup.install(broker_setup.stub_broker())
    try:
        assert dispatcher.tick(db, late, lease_seconds=30, limit=500) >= 3
        queue = stub.queues["engine"]
        messages = []
        while not queue.empty():
            messages.append(dramatiq.Message.decode(queue.get_nowait()))
    finally:
        stub.close()
    batches = [m for m in messages if m.actor_name == "fire_deadlines"]
    assert batches and all(len(m.args[0]) <= dispatcher.MESSAGE_IDS for m in batches)
    assert all(":" not in m.message_id for m in messages)
    sent_ids = [i for m in batches for i in m.args[0]]
    sent_ids += [m.args[0] for m in messages if m.actor_name == "fire_deadline"]
    with db.begin() as conn:
        timers = [r.id for r in store.for_case(conn, case.id) if r.kind == "timer" and r.due_at <= late]
    assert sorted(set(sent_ids) - set(timers)) == sorted(breach_ids + [sla.id])
    again = dispatcher._stage_messages("breach", [(i, sla.due_at) for i in breach_ids])
    assert [m.message_id for m in again] == [
        m.message_id for m in dispatcher._stage_messages("breach", [(i, sla.due_at) for i in breach_ids])
    ]  # deterministic
    actors.use_database(db)
    try:
        for m in batches:
            actors.fire_deadlines(m.args[0])
            actors.fire_deadlines(m.args[0])  # a duplicate message: nothing more
    finally:
        actors.use_database(None)
    _, task_rows, _, _ = snapshot(db)
    assert sorted(task_rows) == sorted(i for m in batches for i in m.args[0])
