"""A supervisor's changes to a running case, within their scope: preview and migrate to a version, cancel.

A case outside the user's communities is "not found" (supervisors see all today; the check keeps
the rule in one place should that change).
"""

from sqlalchemy import Connection

from engine.cases import migration, service
from engine.cases.access import check_visible
from engine.cases.read import task_item
from engine.core.types import User


def preview_migration(conn: Connection, user: User, case_id: int, version: int | None) -> dict:
    """What moving the case to ``version`` (default: latest) would do, and whether it is safe."""
    check_visible(conn, user, case_id, must_exist=False)
    plan = migration.preview(conn, case_id, version)
    return {"case_id": case_id, "version": version, "safe": plan.safe, "reasons": plan.reasons,
            "added": plan.added, "removed": plan.removed, "changed": plan.changed}


def migrate(conn: Connection, user: User, case_id: int, version: int | None) -> dict:
    check_visible(conn, user, case_id, must_exist=False)
    case = migration.migrate_case(conn, case_id, version, actor=user.username)
    return {"id": case.id, "case_number": case.case_number, "status": case.status,
            "version": case.definition_version, "open_tasks": [task_item(t) for t in case.open_tasks]}


def cancel(conn: Connection, user: User, case_id: int, reason: str) -> dict:
    check_visible(conn, user, case_id, must_exist=False)
    case = service.cancel_case(conn, case_id, user.username, reason)
    return {"id": case.id, "case_number": case.case_number, "status": case.status}
