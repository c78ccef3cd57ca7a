"""Drafts (kept for the assignee, within the size limit) and the queue as a user sees it (engine.tasks)."""

import pytest

from engine.core.errors import Conflict, Forbidden, InvalidData
from engine.core.types import User
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
