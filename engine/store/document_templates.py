"""Document templates uploaded per office (versioned; office "" = every office) and the forms of the deployed
processes that a template's fields are checked against."""

from datetime import datetime

from sqlalchemy import Connection, func, select, update

from engine.store.tables import definitions
from engine.store.tables import document_templates as t

_META = (t.c.id, t.c.office, t.c.kind, t.c.version, t.c.filename, t.c.sha256, t.c.note, t.c.active,
         t.c.uploaded_by, t.c.uploaded_at)


def lock(conn: Connection, office: str, kind: str) -> None:
    """Serialize uploads of one (office, kind) so two never take the same version (PostgreSQL advisory lock)."""
    if conn.dialect.name == "postgresql":
        conn.execute(select(func.pg_advisory_xact_lock(func.hashtext(f"doctpl:{office}:{kind}"))))


def insert(conn: Connection, *, office: str, kind: str, filename: str, content: str, sha256: str,
           note: str | None, uploaded_by: str, at: datetime):
    """A new version (the last + 1) of (office, kind), active."""
    version = conn.execute(select(func.coalesce(func.max(t.c.version), 0))
                           .where(t.c.office == office, t.c.kind == kind)).scalar_one() + 1
    return conn.execute(t.insert().values(office=office, kind=kind, version=version, filename=filename,
                                          content=content, sha256=sha256, note=note, active=True,
                                          uploaded_by=uploaded_by, uploaded_at=at).returning(*_META)).one()


def versions(conn: Connection, kind: str | None = None, office: str | None = None) -> list:
    """Every stored version (without the text), by kind, office, newest first."""
    q = select(*_META)
    if kind is not None:
        q = q.where(t.c.kind == kind)
    if office is not None:
        q = q.where(t.c.office == office)
    return list(conn.execute(q.order_by(t.c.kind, t.c.office, t.c.version.desc())))


def get(conn: Connection, kind: str, version: int, office: str):
    """One version with its text, or None."""
    return conn.execute(select(*_META, t.c.content)
                        .where(t.c.kind == kind, t.c.version == version, t.c.office == office)).first()


def set_active(conn: Connection, kind: str, version: int, office: str, active: bool) -> bool:
    return conn.execute(update(t).where(t.c.kind == kind, t.c.version == version, t.c.office == office)
                        .values(active=active)).rowcount > 0


def newest_active(conn: Connection, office: str, kind: str):
    """The newest active version of (office, kind) with its text, or None."""
    return conn.execute(select(*_META, t.c.content)
                        .where(t.c.office == office, t.c.kind == kind, t.c.active.is_(True))
                        .order_by(t.c.version.desc()).limit(1)).first()


def deployed_forms(conn: Connection) -> tuple[dict[str, str], dict[str, dict]]:
    """Of the latest version of every deployed process: (user task element id -> form file, form file -> schema)."""
    latest = select(definitions.c.key, func.max(definitions.c.version).label("v")).group_by(definitions.c.key) \
        .subquery()
    rows = conn.execute(select(definitions.c.forms, definitions.c.user_tasks)
                        .join(latest, (definitions.c.key == latest.c.key) & (definitions.c.version == latest.c.v)))
    tasks: dict[str, str] = {}
    forms: dict[str, dict] = {}
    for row in rows:
        forms.update(row.forms or {})
        for task in row.user_tasks or []:
            if task.get("form"):
                tasks.setdefault(task["element_id"], task["form"])
    return tasks, forms
