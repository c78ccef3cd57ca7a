"""Case continuity: the next task of the same group stays with whoever completed the previous one."""

from sqlalchemy import update

from engine.cases import service
from engine.core.settings import get_settings
from engine.core.types import User
from engine.people import add_user
from engine.store.tables import users
from engine.tasks import claim_task, complete_task
from tests.helpers.engine import events, start

ALICE = User(1, "alice", "intake", ["福田社区"])
CAROL = User(3, "carol", "mediator", ["福田社区"])
SUPERVISOR = User(5, "erin", "supervisor")


def _step(db, user, task_id):
    with db.begin() as conn:
        claim_task(conn, user, task_id)
        return complete_task(conn, user, task_id, {})


def test_the_same_group_keeps_the_person_another_group_goes_to_the_pool(db, keep_case):
    after_first = _step(db, ALICE, keep_case.open_tasks[0].id)
    second = after_first.open_tasks[0]
    assert (second.element_id, second.status, second.assignee) == ("second", "claimed", "alice")
    with db.begin() as conn:  # no claim needed: alice completes it straight away
        after_second = complete_task(conn, ALICE, second.id, {})
    third = after_second.open_tasks[0]
    assert (third.element_id, third.status, third.assignee) == ("third", "ready", None)
    after_third = _step(db, CAROL, third.id)
    assert (after_third.open_tasks[0].status, after_third.open_tasks[0].assignee) == ("claimed", "carol")
    kept = [e for e in events(db, keep_case.id) if e.kind == "task_continued"]
    assert [(e.task_id, e.actor, e.data["to"], e.data["group"]) for e in kept] == [
        (second.id, "alice", "alice", "intake"), (after_third.open_tasks[0].id, "carol", "carol", "mediator")]
    with db.begin() as conn:  # the stored row says the same as the step's answer
        stored = {t.id: t for t in service.list_tasks(conn, case_id=keep_case.id)}
    assert (stored[after_third.open_tasks[0].id].status, stored[after_third.open_tasks[0].id].assignee) == (
        "claimed", "carol")


def test_an_inactive_person_completing_by_name_leaves_the_next_task_in_the_pool(db, keep_case):
    with db.begin() as conn:
        add_user(conn, "alice", "Correct-horse-9-battery", "intake", ["福田社区"])
        conn.execute(update(users).where(users.c.username == "alice").values(active=False))
        after = service.complete_task(conn, keep_case.open_tasks[0].id, {}, actor="alice")
    assert (after.open_tasks[0].status, after.open_tasks[0].assignee) == ("ready", None)


def test_an_active_person_completing_by_name_keeps_the_next_task(db, keep_case):
    with db.begin() as conn:
        add_user(conn, "alice", "Correct-horse-9-battery", "intake", ["福田社区"])
        after = service.complete_task(conn, keep_case.open_tasks[0].id, {}, actor="alice")
    assert (after.open_tasks[0].status, after.open_tasks[0].assignee) == ("claimed", "alice")


def test_someone_outside_the_group_or_community_does_not_keep_it(db, keep_case):
    after = _step(db, SUPERVISOR, keep_case.open_tasks[0].id)  # a supervisor stepping in: back to the intake pool
    assert (after.open_tasks[0].status, after.open_tasks[0].assignee) == ("ready", None)
    other = start(db, "keep", data={"community": "福田社区"})
    with db.begin() as conn:  # not serving the case's community (any more): the pool
        moved = service.complete_task(conn, other.open_tasks[0].id, {}, actor="alice",
                                      worker=User(1, "alice", "intake", ["南山社区"]))
    assert (moved.open_tasks[0].element_id, moved.open_tasks[0].status) == ("second", "ready")


def test_the_setting_off_sends_every_task_to_the_pool(db, keep_case, monkeypatch):
    monkeypatch.setenv("TIAOJIE_CONTINUITY_GROUPS", "mediator")
    get_settings.cache_clear()
    try:
        after = _step(db, ALICE, keep_case.open_tasks[0].id)
        assert (after.open_tasks[0].status, after.open_tasks[0].assignee) == ("ready", None)
        monkeypatch.setenv("TIAOJIE_CONTINUITY_GROUPS", "")
        get_settings.cache_clear()
        third = _step(db, ALICE, after.open_tasks[0].id).open_tasks[0]
        assert (_step(db, CAROL, third.id).open_tasks[0].status) == "ready"
    finally:
        get_settings.cache_clear()
    assert not [e for e in events(db, keep_case.id) if e.kind == "task_continued"]
