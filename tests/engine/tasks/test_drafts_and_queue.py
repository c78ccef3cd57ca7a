"""Drafts (kept for the assignee, within the size limit) and the queue as a user sees it (engine.tasks)."""

from datetime import UTC, datetime, timedelta

import pytest

from engine.core.errors import Conflict, Forbidden, InvalidData
from engine.core.types import User
from engine.store import task_queries
from engine.store import tasks as task_store
from engine.tasks import MAX_DRAFT_BYTES, claim_task, get_draft, queue, save_draft, summary

ALICE = User(1, "alice", "intake", ["福田社区"])
CAROL = User(3, "carol", "mediator", ["福田社区"])
SUPERVISOR = User(5, "erin", "supervisor")


def test_a_draft_is_kept_for_the_assignee_only(db, tasks):
    task = tasks[0]
    with db.begin() as conn, pytest.raises(Conflict, match="claim task"):
        save_draft(conn, ALICE, task.id, {"amount": 1})
    with db.begin() as conn:
        claim_task(conn, ALICE, task.id)
        saved = save_draft(conn, ALICE, task.id, {"amount": 1})
    assert saved["updated_by"] == "alice"
    with db.begin() as conn:
        assert get_draft(conn, task.id) == {"amount": 1}
    with db.begin() as conn, pytest.raises(InvalidData, match=f"over {MAX_DRAFT_BYTES}"):
        save_draft(conn, ALICE, task.id, {f"f{i}": "x" * 90_000 for i in range(3)})
    with db.begin() as conn, pytest.raises(Forbidden):
        save_draft(conn, CAROL, task.id, {"amount": 2})


def test_queue_pages_by_signed_cursor_and_scopes_by_role(db, tasks):
    seen, cursor = [], None
    with db.begin() as conn:
        while True:
            page, cursor = queue(conn, ALICE, limit=2, cursor=cursor)
            seen += [t.id for t in page]
            if cursor is None:
                break
        assert sorted(seen) == sorted(t.id for t in tasks) and len(seen) == 3
        assert queue(conn, CAROL)[0] == []  # a mediator's own queue
        with pytest.raises(Forbidden, match="sees only the 'mediator' queue"):
            queue(conn, CAROL, group="intake")
        assert len(queue(conn, SUPERVISOR, group="intake")[0]) == 3
        assert summary(conn, ALICE)["group_ready"] == 3


def test_header_counts_stop_at_the_cap_and_say_which_have_more(db, tasks):
    now = datetime.now(UTC)
    with db.begin() as conn:
        claim_task(conn, ALICE, tasks[0].id)
        at_cap = task_queries.summary(conn, username="alice", group="intake", communities=["福田社区"], now=now, cap=2)
        above = task_queries.summary(conn, username="alice", group="intake", communities=["福田社区"], now=now, cap=1)
        other = task_queries.summary(conn, username="alice", group="intake", communities=["岗厦社区"], now=now, cap=1)
        assert summary(conn, ALICE)["capped"] == []  # the default cap (99) is far above three tasks
    assert at_cap == {"claimed": 1, "claimed_overdue": 0, "group_ready": 2, "group_overdue": 0, "capped": []}
    assert above == {"claimed": 1, "claimed_overdue": 0, "group_ready": 1, "group_overdue": 0,
                     "capped": ["group_ready"]}
    assert other == {"claimed": 0, "claimed_overdue": 0, "group_ready": 0, "group_overdue": 0, "capped": []}


def test_header_overdue_counts_are_exact_below_the_cap_whatever_the_undated_tasks(db, tasks):
    """The counts read the first cap + 1 tasks in due order: the overdue ones come first, undated ones last."""
    now = datetime.now(UTC)
    with db.begin() as conn:
        task_store.set_due(conn, [(tasks[1].id, now - timedelta(hours=1)), (tasks[2].id, now + timedelta(days=2))])
        one = task_queries.summary(conn, username="alice", group="intake", communities=None, now=now, cap=1)
        two = task_queries.summary(conn, username="alice", group="intake", communities=None, now=now, cap=2)
    assert (one["group_ready"], one["group_overdue"], one["capped"]) == (1, 1, ["group_ready"])
    assert (two["group_ready"], two["group_overdue"], two["capped"]) == (2, 1, ["group_ready"])
