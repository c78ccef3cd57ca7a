"""Who may do what with a task, by role (pure rules, no database)."""

from datetime import UTC, datetime

import pytest

from engine.core.errors import Conflict, Forbidden
from engine.core.types import TaskView, User
from engine.tasks import in_group, may_work
from engine.tasks.permissions import may_delegate, may_release, may_see_form


def _task(status="ready", assignee=None, owner=None, group="mediator") -> TaskView:
    return TaskView(id="t1", case_id=1, element_id="mediate", name="调解", group=group, assignee=assignee, owner=owner,
                    status=status, form_key=None, created_at=datetime.now(UTC), due_at=None, completed_by=None,
                    process_key="p", case_number="n", community="福田社区", dispute_type=None)


MEDIATOR = User(1, "m1", "mediator", ["福田社区"])
OTHER = User(2, "m2", "mediator", ["福田社区"])
LAWYER = User(3, "l1", "lawyer", ["福田社区"])
SUPERVISOR = User(4, "s1", "supervisor")


def test_group_membership():
    assert in_group(MEDIATOR, _task()) and in_group(SUPERVISOR, _task())
    assert in_group(SUPERVISOR, _task(group=None))
    assert not in_group(LAWYER, _task()) and not in_group(MEDIATOR, _task(group=None))


def test_who_may_work():
    may_work(MEDIATOR, _task())
    may_work(MEDIATOR, _task("claimed", "m1"))
    with pytest.raises(Forbidden):
        may_work(LAWYER, _task())
    with pytest.raises(Conflict, match="held by m1"):
        may_work(OTHER, _task("claimed", "m1"))
    with pytest.raises(Conflict, match="held by m1"):
        may_work(SUPERVISOR, _task("claimed", "m1"))


def test_release_delegate_and_the_form():
    may_release(MEDIATOR, _task("claimed", "m1"))
    may_release(SUPERVISOR, _task("claimed", "m1"))
    with pytest.raises(Forbidden):
        may_release(OTHER, _task("claimed", "m1"))
    may_delegate(MEDIATOR, _task("claimed", "m1"))
    with pytest.raises(Forbidden):
        may_delegate(SUPERVISOR, _task("claimed", "m1"))
    may_see_form(LAWYER, _task("claimed", "m1", owner="l1"))  # the owner of a delegated task
    with pytest.raises(Forbidden):
        may_see_form(LAWYER, _task())
