"""Moving a running case to another version of its process (explicitly, when safe)."""

from sqlalchemy import Connection

from engine.errors import MigrationRefused, NotFound, StepFailed
from engine.service import _incident, _load, _now, _spec_loader, _Step, _write_step, get_case
from engine.spiff import migration as spiff_migration
from engine.store import definitions as def_store
from engine.types import Case


def _target(conn: Connection, key: str, version: int | None):
    target = def_store.get(conn, key, version)
    if target is None:
        raise NotFound(f"process '{key}' version {version} is not deployed")
    return target


def preview(conn: Connection, case_id: int, version: int | None = None) -> spiff_migration.MigrationPlan:
    """What a migration would do, without doing it."""
    row, run = _load(conn, case_id)
    target = _target(conn, row.process_key, version)
    plan, _ = spiff_migration.plan(run, target.content_hash, _spec_loader(conn, target.id))
    return plan


def migrate_case(conn: Connection, case_id: int, version: int | None = None, actor: str | None = None) -> Case:
    """Migrate to ``version`` (default: latest); MigrationRefused names why when unsafe."""
    row, run = _load(conn, case_id)
    target = _target(conn, row.process_key, version)
    if target.id == row.definition_id:
        raise MigrationRefused(f"case {row.case_number} is already on version {target.version}")
    current = def_store.get_by_id(conn, row.definition_id)
    now = _now()
    before = {t.id: t for t in run.ready_user_tasks()}
    try:
        plan = spiff_migration.migrate(run, target.content_hash, _spec_loader(conn, target.id))
    except StepFailed as err:
        raise _incident(conn, row, err, now) from None
    step = _Step(conn, row.id, row.process_key, actor, now)
    events = [step.event("case_migrated", from_version=current.version, to_version=target.version,
                         added=plan.added, changed=plan.changed)]
    _write_step(step, run, before, row.revision, events, extra={"definition_id": target.id})
    return get_case(conn, row.id)
