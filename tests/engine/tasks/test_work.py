"""A user's actions on a task (engine.tasks): the one claim/release, with the rules per role and scope."""

import pytest

from engine.core.errors import Conflict, Forbidden, NotFound
from engine.core.types import User
from engine.tasks import claim_task, complete_task, release_task

ALICE = User(1, "alice", "intake", ["福田社区"])
BOB = User(2, "bob", "intake", ["福田社区"])
MEDIATOR = User(3, "carol", "mediator", ["福田社区"])
ELSEWHERE = User(4, "dave", "intake", ["南山社区"])
SUPERVISOR = User(5, "erin", "supervisor")


def test_claim_and_release(db, task):
    with db.begin() as conn:
        claimed = claim_task(conn, ALICE, task.id)
    assert (claimed.status, claimed.assignee) == ("claimed", "alice")
    with db.begin() as conn:
        assert claim_task(conn, ALICE, task.id).assignee == "alice"  # idempotent for the holder
    with db.begin() as conn, pytest.raises(Conflict, match="already claimed by alice"):
        claim_task(conn, BOB, task.id)
    with db.begin() as conn, pytest.raises(Forbidden, match="only alice or a supervisor"):
        release_task(conn, BOB, task.id)
    with db.begin() as conn:
        released = release_task(conn, ALICE, task.id)
    assert (released.status, released.assignee) == ("ready", None)
    with db.begin() as conn, pytest.raises(Conflict, match="is not claimed"):
        release_task(conn, ALICE, task.id)


def test_a_supervisor_releases_anyones_task(db, task):
    with db.begin() as conn:
        claim_task(conn, ALICE, task.id)
    with db.begin() as conn:
        assert release_task(conn, SUPERVISOR, task.id).status == "ready"


def test_other_groups_and_other_communities(db, task):
    with db.begin() as conn, pytest.raises(Forbidden, match="belongs to the 'intake' group"):
        claim_task(conn, MEDIATOR, task.id)
    with db.begin() as conn, pytest.raises(NotFound, match="not found"):
        claim_task(conn, ELSEWHERE, task.id)
    with db.begin() as conn, pytest.raises(NotFound):
        complete_task(conn, ELSEWHERE, task.id, {})


def test_an_operator_claims_without_scope_or_group(db, task):
    with db.begin() as conn:
        claimed = claim_task(conn, None, task.id, actor="cli-user")
    assert claimed.assignee == "cli-user"
    with db.begin() as conn, pytest.raises(NotFound, match="task nope not found"):
        claim_task(conn, None, "nope", actor="cli-user")


def test_a_held_task_is_completed_by_its_holder_only(db, task):
    with db.begin() as conn:
        claim_task(conn, ALICE, task.id)
    with db.begin() as conn, pytest.raises(Conflict, match="held by alice"):
        complete_task(conn, BOB, task.id, {"amount": 1, "channel": "window"})
    with db.begin() as conn:
        case = complete_task(conn, ALICE, task.id, {"amount": 1, "channel": "window"})
    assert [t.element_id for t in case.open_tasks] == ["examine"]
