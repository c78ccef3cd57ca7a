"""The email outbox: idempotent enqueue, recipients, claims with a lease, backoff, daily digests."""

import threading
from datetime import timedelta

import pytest

from engine.notifications import digest, outbox
from engine.store import outbox as store
from tests.helpers.notifications import (
    ID_NUMBER,
    PHONE,
    T0,
    add_case,
    add_task,
    add_user,
    by_key,
    enqueue,
    row,
    set_user,
    status_counts,
    warning_context,
)


# -- enqueue ----------------------------------------------------------------------------------
def test_enqueue_writes_one_pending_row_with_a_stable_message_id(db):
    add_user(db, "mediator1", locale="en")
    case_id = add_case(db)
    oid = enqueue(db, context=warning_context(case_id), case_id=case_id)
    r = row(db, oid)
    assert (r.status, r.to_address, r.locale, r.attempts, r.case_id) == (
        "pending",
        "mediator1@example.org",
        "en",
        0,
        case_id,
    )
    assert r.next_attempt_at == T0 and r.claimed_until is None
    assert r.message_id == outbox.message_id("k1")
    assert r.message_id.startswith("<tiaojie.") and r.message_id.endswith("@tiaojie.local>")
    assert ":" not in r.message_id


def test_enqueue_twice_is_one_row(db):
    add_user(db, "mediator1")
    first = enqueue(db)
    assert first is not None
    assert enqueue(db) is None
    assert status_counts(db) == {"pending": 1}


def test_no_row_for_a_user_without_email_inactive_or_unknown(db):
    add_user(db, "noemail", email=None)
    add_user(db, "gone")
    set_user(db, "gone", active=False)
    assert enqueue(db, "a", to_user="noemail") is None
    assert enqueue(db, "b", to_user="gone") is None
    assert enqueue(db, "c", to_user="nobody") is None
    assert status_counts(db) == {}


def test_personal_data_is_masked_before_it_is_stored(db):
    oid = enqueue(
        db,
        to_user=None,
        to_address="x@example.org",
        context={"note": f"申请人身份证 {ID_NUMBER}，电话 {PHONE}", "nested": [{"id": ID_NUMBER}]},
    )
    ctx = row(db, oid).context
    assert ID_NUMBER not in str(ctx) and PHONE not in str(ctx)
    assert "440304********1234" in ctx["note"] and "138****8000" in ctx["note"]


def test_enqueue_refuses_unknown_templates_and_missing_address(db):
    with pytest.raises(ValueError):
        enqueue(db, template="nope", to_user=None, to_address="x@example.org")
    with pytest.raises(ValueError):
        enqueue(db, to_user=None)


def test_recipients_by_role_community_and_name(db):
    add_user(db, "m1", "mediator", ["福田社区"])
    add_user(db, "m2", "mediator", ["岗厦社区"])
    add_user(db, "m3", "mediator", ["福田社区"], email=None)
    add_user(db, "s_all", "supervisor", [])
    add_user(db, "s_gx", "supervisor", ["岗厦社区"])
    add_user(db, "off", "mediator", ["福田社区"])
    set_user(db, "off", active=False)
    with db.begin() as conn:
        assert outbox.recipients(conn, role="mediator") == ["m1", "m2"]
        assert outbox.recipients(conn, role="mediator", community="福田社区") == ["m1"]
        assert outbox.recipients(conn, role="supervisor", community="福田社区") == ["s_all"]
        assert outbox.recipients(conn, role="supervisor", community="岗厦社区") == ["s_all", "s_gx"]
        assert outbox.recipients(conn, usernames=["m2", "m3", "off"]) == ["m2"]


# -- claims, attempts, backoff ----------------------------------------------------------------
def test_claim_due_leases_rows_and_skips_future_ones(db):
    a = enqueue(db, "a", to_user=None, to_address="a@example.org")
    enqueue(db, "b", to_user=None, to_address="b@example.org", at=T0 + timedelta(hours=1))
    with db.begin() as conn:
        assert store.claim_due(conn, T0, T0 + timedelta(minutes=5)) == [a]
        assert store.claim_due(conn, T0 + timedelta(minutes=1), T0 + timedelta(minutes=6)) == []
        assert store.claim_due(conn, T0 + timedelta(minutes=6), T0 + timedelta(minutes=11)) == [a]


def test_one_sender_wins_and_failures_back_off_then_give_up(db):
    oid = enqueue(db, to_user=None, to_address="a@example.org")
    lease = T0 + timedelta(minutes=10)
    with db.begin() as conn:
        assert store.start_sending(conn, oid, T0, lease) is not None
        assert store.start_sending(conn, oid, T0, lease) is None  # taken
        assert store.mark_failed(conn, oid, "down", T0, max_attempts=3) == "pending"
    r = row(db, oid)
    assert (r.attempts, r.next_attempt_at, r.last_error) == (1, T0 + timedelta(seconds=30), "down")
    with db.begin() as conn:
        assert store.start_sending(conn, oid, T0 + timedelta(seconds=10), lease) is None  # not due yet
        t1 = T0 + timedelta(seconds=30)
        assert store.start_sending(conn, oid, t1, t1 + timedelta(minutes=10)) is not None
        assert store.mark_failed(conn, oid, "down", t1, max_attempts=3) == "pending"
    assert row(db, oid).next_attempt_at == t1 + timedelta(minutes=2)
    with db.begin() as conn:
        t2 = t1 + timedelta(minutes=2)
        assert store.start_sending(conn, oid, t2, t2 + timedelta(minutes=10)) is not None
        assert store.mark_failed(conn, oid, "down", t2, max_attempts=3) == "failed"
        assert store.claim_due(conn, t2 + timedelta(days=1), t2 + timedelta(days=2)) == []


def test_backoff_schedule():
    assert [store.backoff(n).total_seconds() for n in (1, 2, 3, 4, 9)] == [30, 120, 600, 3600, 6 * 3600]


def test_an_expired_sending_lease_is_due_again(db):
    oid = enqueue(db, to_user=None, to_address="a@example.org")
    with db.begin() as conn:
        store.start_sending(conn, oid, T0, T0 + timedelta(minutes=10))
        assert store.claim_due(conn, T0 + timedelta(minutes=5), T0 + timedelta(minutes=10)) == []
        assert store.claim_due(conn, T0 + timedelta(minutes=11), T0 + timedelta(minutes=16)) == [oid]
        assert (
            store.start_sending(conn, oid, T0 + timedelta(minutes=11), T0 + timedelta(minutes=21)) is not None
        )
        store.mark_sent(conn, oid, T0 + timedelta(minutes=11))
        assert store.start_sending(conn, oid, T0 + timedelta(days=1), T0 + timedelta(days=2)) is None
        assert store.claim_due(conn, T0 + timedelta(days=1), T0 + timedelta(days=2)) == []


def test_concurrent_claimers_never_take_the_same_row(pg_db):
    with pg_db.begin() as conn:
        for i in range(200):
            outbox.enqueue(
                conn,
                dedupe_key=f"k{i}",
                template="test_message",
                context={},
                to_address=f"u{i}@example.org",
                at=T0,
            )
    claimed: list[list[int]] = []
    barrier = threading.Barrier(4)

    def claimer():
        barrier.wait()
        mine = []
        while True:
            with pg_db.begin() as conn:
                ids = store.claim_due(conn, T0, T0 + timedelta(minutes=5), limit=7)
            if not ids:
                break
            mine += ids
        claimed.append(mine)

    threads = [threading.Thread(target=claimer) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    everything = [i for mine in claimed for i in mine]
    assert len(everything) == len(set(everything)) == 200


# -- daily digest -----------------------------------------------------------------------------
def test_digest_once_per_user_per_day_only_with_due_tasks_and_respecting_opt_out(db):
    for name, role, comms in (
        ("m1", "mediator", ["福田社区"]),
        ("m2", "mediator", ["岗厦社区"]),
        ("m3", "mediator", ["福田社区"]),
        ("idle", "lawyer", ["岗厦社区"]),
        ("s1", "supervisor", []),
    ):
        add_user(db, name, role, comms)
    set_user(db, "m3", digest_opt_out=True)
    futian, gangxia = add_case(db, "福田社区"), add_case(db, "岗厦社区")
    add_task(
        db, futian, "调解", "mediator", due_at=T0 + timedelta(days=1)
    )  # unclaimed: m1 (and m3, opted out)
    add_task(db, gangxia, "调解", "mediator", assignee="m2", due_at=T0 - timedelta(hours=5))  # overdue
    add_task(db, gangxia, "复核", "mediator", assignee="m2", due_at=T0 + timedelta(days=10))  # not soon
    add_task(db, futian, "审查", "supervisor", due_at=T0 + timedelta(days=2))
    add_task(db, gangxia, "审查", "lawyer", due_at=T0 + timedelta(days=2), status="completed")
    with db.begin() as conn:
        assert digest.build_digests(conn, T0) == 3
        assert digest.build_digests(conn, T0 + timedelta(hours=8)) == 0  # same Shanghai day
    rows = {
        r.to_user: r
        for r in [by_key(db, f"digest-{u}-2026-03-02") for u in ("m1", "m2", "m3", "idle", "s1")]
        if r
    }
    assert set(rows) == {"m1", "m2", "s1"}
    assert [t["task_name"] for t in rows["m2"].context["tasks"]] == ["调解"]
    assert rows["m2"].template == "daily_digest" and rows["m2"].context["date"] == "2026-03-02"
    assert [t["task_name"] for t in rows["s1"].context["tasks"]] == ["审查"]
    with db.begin() as conn:  # the next Shanghai day (16:00 UTC) gets a new one
        assert digest.build_digests(conn, T0 + timedelta(hours=15)) == 3
