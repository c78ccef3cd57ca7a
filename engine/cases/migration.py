"""Moving a running case to another version of its process (explicitly, when safe)."""

from sqlalchemy import Connection

from engine.cases import step as steps
from engine.cases.readonly import check_not_filed
from engine.core import clock
from engine.core.errors import MigrationRefused, NotFound, StepFailed
from engine.core.events import event
from engine.core.types import Case
from engine.spiff import migration as spiff_migration
from engine.store import definitions as def_store


def _target(conn: Connection, key: str, version: int | None):
    target = def_store.get(conn, key, version)
    if target is None:
        raise NotFound(f"process '{key}' version {version} is not deployed")
    return target


def preview(conn: Connection, case_id: int, version: int | None = None) -> spiff_migration.MigrationPlan:
    """What a migration would do, without doing it."""
    row, run = steps.load(conn, case_id)
    target = _target(conn, row.process_key, version)
    plan, _ = spiff_migration.plan(run, target.content_hash, steps.spec_loader(conn, target.id))
    return plan


def migrate_case(conn: Connection, case_id: int, version: int | None = None, actor: str | None = None) -> Case:
    """Migrate to ``version`` (default: latest); MigrationRefused names why when unsafe; a filed case is refused."""
    check_not_filed(conn, case_id)
    row, run = steps.load(conn, case_id)
    target = _target(conn, row.process_key, version)
    if target.id == row.definition_id:
        raise MigrationRefused(f"case {row.case_number} is already on version {target.version}")
    at = clock.now()
    before = {t.id: t for t in run.ready_user_tasks()}
    try:
        plan = spiff_migration.migrate(run, target.content_hash, steps.spec_loader(conn, target.id))
    except StepFailed as err:
        raise steps.record_incident(conn, row, err, at) from None
    moved = event(row.id, at, actor, "case_migrated", from_version=row.version, to_version=target.version,
                        added=plan.added, changed=plan.changed)
    return steps.write(conn, row, run, before, actor, at, [moved], extra={"definition_id": target.id},
                       version=target.version)
