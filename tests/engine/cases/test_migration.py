"""Explicit migration of a running case to a newer version."""

import pytest
from sqlalchemy import select

from engine.cases import migration
from engine.core.errors import MigrationRefused
from engine.store.tables import cases
from tests.helpers.engine import complete, deploy, events, open_task, start

REGISTER = {"amount": 500, "channel": "window"}


def _case_at_review(db):
    deploy(db, "review_v1.bpmn")
    case = start(db)
    complete(db, case.open_tasks[0].id, REGISTER)
    return case


def test_safe_migration_moves_case_and_keeps_its_clock(db):
    case = _case_at_review(db)
    review = open_task(db, case.id, "examine")
    deploy(db, "review_v2.bpmn")
    with db.begin() as conn:
        plan = migration.preview(conn, case.id)
    assert plan.safe and plan.added == ["notify"] and "term" in plan.changed
    with db.begin() as conn:
        migrated = migration.migrate_case(conn, case.id, actor="supervisor")
    assert migrated.definition_version == 2
    still = open_task(db, case.id, "examine")
    assert still.id == review.id and still.due_at == review.due_at  # the running 30-day clock is kept
    complete(db, review.id, {})
    done = complete(db, open_task(db, case.id, "notify").id, {})
    assert done.status == "completed"
    assert "case_migrated" in [e.kind for e in events(db, case.id)]


def test_unsafe_migration_is_refused_and_changes_nothing(db):
    case = _case_at_review(db)
    deploy(db, "review_v2.bpmn")
    deploy(db, "review_v3.bpmn")
    with db.begin() as conn:
        before = conn.execute(select(cases.c.state, cases.c.definition_id).where(cases.c.id == case.id)).one()
    with pytest.raises(MigrationRefused, match="'examine' is active"), db.begin() as conn:
        migration.migrate_case(conn, case.id, version=3)
    with db.begin() as conn:
        after = conn.execute(select(cases.c.state, cases.c.definition_id).where(cases.c.id == case.id)).one()
    assert after == before


def test_migrating_to_the_same_version_is_refused(db):
    case = _case_at_review(db)
    with pytest.raises(MigrationRefused, match="already on version 1"), db.begin() as conn:
        migration.migrate_case(conn, case.id, version=1)
