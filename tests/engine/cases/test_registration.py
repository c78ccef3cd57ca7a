"""Case registration (engine.cases.register_case): checks, community, repeat visits, the intake task."""

import pytest

from engine.cases import register_case
from engine.core.errors import Forbidden, InvalidData
from engine.core.types import User
from tests.helpers.process_driver import intake

WINDOW = User(1, "window1", "intake", ["福田社区"])
MEDIATOR = User(2, "m1", "mediator", ["福田社区"])
pytestmark = pytest.mark.usefixtures("process_bundle")


def _nested(depth: int) -> dict:
    value = 1
    for _ in range(depth):
        value = [value]
    return {"x": value}


def register(db, data=None, user=WINDOW, **kw):
    with db.begin() as conn:
        return register_case(conn, "dispute_case", data if data is not None else intake(), user=user, **kw)


@pytest.mark.parametrize("data, field", [
    ({"summary": "a\x00b"}, "summary"), ({"amount": float("inf")}, "amount"), ({"amount": 10**15}, "amount"),
    ({"people_count": 2**31}, "people_count"), (_nested(25), "x" + ".0" * 20),
])
def test_values_a_column_cannot_hold_are_refused(db, data, field):
    with pytest.raises(InvalidData) as err:
        register(db, intake(**data))
    assert field in err.value.errors


def test_caseworkers_register_in_their_communities_only(db):
    with pytest.raises(InvalidData, match="needs a community"):
        register(db, intake(community=""))
    with pytest.raises(Forbidden, match="not one of yours"):
        register(db, intake(community="南山社区"))


def test_the_intake_task_is_completed_for_its_group_and_checked_for_others(db):
    done = register(db)
    assert [t.group for t in done.case.open_tasks] == ["lawyer"]
    with pytest.raises(InvalidData):  # a mediator's registration still has to fit the intake form
        register(db, intake(dispute_type="contract", channel="pigeon"), user=MEDIATOR)


def test_an_identical_open_matter_is_not_registered_twice_for_a_user_and_an_operator(db):
    first = register(db).case
    again = register(db)
    assert again.repeat_visit is True and again.case.id == first.id and again.visit_count == 2
    by_cli = register(db, user=None, actor="cli")
    assert by_cli.repeat_visit is True and by_cli.case.case_number == first.case_number
    assert by_cli.visit_count == 3


def test_an_operator_has_no_community_rule_and_leaves_the_intake_task_open(db):
    done = register(db, {"community": "南山社区"}, user=None, actor="cli")
    assert [t.group for t in done.case.open_tasks] == ["intake"]
    assert done.case.open_tasks[0].assignee is None


def test_related_cases_are_those_the_registrar_sees_and_repeat_petitions_are_flagged(db):
    first = register(db, intake(request_kind="petition")).case
    again = register(db, intake(request_kind="petition", dispute_type="contract"))
    assert again.repeat_petitioner is True
    assert [r.case_number for r in again.related] == [first.case_number]
    elsewhere = User(3, "window9", "intake", ["南山社区"])
    hidden = register(db, intake(dispute_type="labour", community="南山社区"), user=elsewhere)
    assert hidden.related == []


def test_intake_data_refused_by_the_remembered_version_is_checked_on_the_version_read_afresh(db, monkeypatch):
    """Another process may have deployed a version since this one remembered the latest: its refusal is not final."""
    from engine.processes import catalog
    from engine.store import definitions as def_store

    real = catalog.start_form
    refused_by_remembered = []
    with db.begin() as conn:
        slot = (conn.engine.url, "dispute_case")
        remembered = def_store._LATEST[slot] = def_store.get(conn, "dispute_case")  # noqa: SLF001

    def start_form(conn, user, key):  # the remembered version's form asks for a field the latest one dropped
        form = real(conn, user, key)
        if def_store._LATEST.get(slot) is remembered:  # noqa: SLF001
            refused_by_remembered.append(key)
            return {**form, "schema": {"type": "object", "required": ["dropped_field"]}}
        return form

    monkeypatch.setattr(catalog, "start_form", start_form)
    case = register(db).case
    assert refused_by_remembered == ["dispute_case"]
    assert case.status == "active" and [t.element_id for t in case.open_tasks] != ["intake"]
