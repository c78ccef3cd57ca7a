"""Documents (文书): numbered papers of a case in versions, their stored renderings and signed scans."""

from sqlalchemy import Connection, and_, func, select, update

from engine.store.tables import (
    attachments,
    cases,
    definitions,
    document_templates,
    documents,
    events,
    task_drafts,
    tasks,
)

_SIGNED = (attachments.c.id, attachments.c.case_id, attachments.c.task_id, attachments.c.kind,
           attachments.c.filename, attachments.c.content_type, attachments.c.size, attachments.c.sha256,
           attachments.c.uploaded_by, attachments.c.uploaded_at, attachments.c.signs_document_id)


def _cols():
    return (*documents.c, attachments.c.sha256.label("sha256"))


def _base():
    return select(*_cols()).select_from(documents.join(attachments, attachments.c.id == documents.c.attachment_id))


def case_row(conn: Connection, case_id: int):
    """The case's fields a document names, its data and the forms of its process version; None if none."""
    return conn.execute(
        select(cases.c.id, cases.c.case_number, cases.c.process_key, cases.c.status, cases.c.data, cases.c.channel,
               cases.c.source, cases.c.dispute_type, cases.c.request_kind, cases.c.summary, cases.c.amount,
               cases.c.people_count, cases.c.risk_level, cases.c.community, cases.c.received_on,
               cases.c.accepted_on, cases.c.closed_on, cases.c.mediator, cases.c.outcome, cases.c.guidance_to,
               cases.c.created_at, cases.c.filed_at, definitions.c.forms)
        .select_from(cases.join(definitions, definitions.c.id == cases.c.definition_id))
        .where(cases.c.id == case_id)).first()


def lock_case(conn: Connection, case_id: int) -> None:
    """Hold the case row until the transaction ends, so two makers of one paper take versions in turn."""
    q = select(cases.c.id).where(cases.c.id == case_id)
    if conn.dialect.name == "postgresql":
        q = q.with_for_update()
    conn.execute(q).first()


def task_row(conn: Connection, task_id: str):
    """(id, case_id, element_id, status, form_key, completed_at) of a task, or None."""
    return conn.execute(select(tasks.c.id, tasks.c.case_id, tasks.c.element_id, tasks.c.status, tasks.c.form_key,
                               tasks.c.completed_at).where(tasks.c.id == task_id)).first()


def latest_task_at(conn: Connection, case_id: int, elements: tuple[str, ...]):
    """The case's newest open or completed task at one of ``elements`` (``task_row`` fields), or None."""
    if not elements:
        return None
    return conn.execute(select(tasks.c.id, tasks.c.case_id, tasks.c.element_id, tasks.c.status, tasks.c.form_key,
                               tasks.c.completed_at)
                        .where(tasks.c.case_id == case_id, tasks.c.element_id.in_(elements),
                               tasks.c.status != "cancelled")
                        .order_by(tasks.c.created_at.desc(), tasks.c.id.desc()).limit(1)).first()


def submitted_data(conn: Connection, task_id: str) -> dict | None:
    """The form data the task was completed with (as the timeline keeps it: parties masked), or None."""
    data = conn.execute(select(events.c.data).where(events.c.task_id == task_id, events.c.kind == "task_completed")
                        .order_by(events.c.id.desc()).limit(1)).scalar()
    if not isinstance(data, dict):
        return None
    return data.get("data") if isinstance(data.get("data"), dict) else data


def draft_data(conn: Connection, task_id: str) -> dict | None:
    return conn.execute(select(task_drafts.c.data).where(task_drafts.c.task_id == task_id)).scalar()


def current_of(conn: Connection, case_id: int, kind: str, task_id: str | None = None):
    """The current version of the case's paper of ``kind`` (of that task, if given), or None."""
    q = _base().where(documents.c.case_id == case_id, documents.c.kind == kind, documents.c.current.is_(True))
    if task_id is not None:
        q = q.where(documents.c.task_id == task_id)
    return conn.execute(q.order_by(documents.c.created_at.desc()).limit(1)).first()


def retire(conn: Connection, document_id: str) -> None:
    conn.execute(update(documents).where(documents.c.id == document_id).values(current=False))


def insert(conn: Connection, values: dict) -> None:
    conn.execute(documents.insert().values(**values))


def get(conn: Connection, document_id: str, communities: list[str] | None):
    """A document (with its rendering's sha256) if its case is in ``communities`` (None: any); else None."""
    q = _base().join(cases, cases.c.id == documents.c.case_id).where(documents.c.id == document_id)
    if communities is not None:
        q = q.where(cases.c.community.in_(communities or ["-"]))
    return conn.execute(q).first()


def for_case(conn: Connection, case_id: int) -> list:
    """Every version of every paper of the case, newest first."""
    return list(conn.execute(_base().where(documents.c.case_id == case_id)
                             .order_by(documents.c.created_at.desc(), documents.c.version.desc())))


def for_task(conn: Connection, task_id: str) -> list:
    return list(conn.execute(_base().where(documents.c.task_id == task_id)
                             .order_by(documents.c.created_at.desc(), documents.c.version.desc())))


def signed_for(conn: Connection, document_ids: list[str]) -> list:
    """Signed scans of these documents (no content), oldest first."""
    if not document_ids:
        return []
    return list(conn.execute(select(*_SIGNED).where(attachments.c.signs_document_id.in_(document_ids))
                             .order_by(attachments.c.uploaded_at, attachments.c.id)))


def has_signed_current(conn: Connection, case_id: int, kind: str) -> bool:
    """Whether the case's current paper of ``kind`` has a signed scan attached."""
    return conn.execute(
        select(attachments.c.id)
        .select_from(attachments.join(documents, and_(documents.c.id == attachments.c.signs_document_id,
                                                      documents.c.case_id == attachments.c.case_id)))
        .where(documents.c.case_id == case_id, documents.c.kind == kind, documents.c.current.is_(True),
               attachments.c.kind == "signed").limit(1)).first() is not None


def active_template(conn: Connection, office: str, kind: str):
    """(id, content, sha256) of the newest active uploaded template of (office, kind), or None."""
    return conn.execute(select(document_templates.c.id, document_templates.c.content, document_templates.c.sha256)
                        .where(document_templates.c.office == office, document_templates.c.kind == kind,
                               document_templates.c.active.is_(True))
                        .order_by(document_templates.c.version.desc()).limit(1)).first()


def template_by_id(conn: Connection, template_id: int):
    """(id, content, sha256) of an uploaded template version, or None."""
    return conn.execute(select(document_templates.c.id, document_templates.c.content, document_templates.c.sha256)
                        .where(document_templates.c.id == template_id)).first()


def latest_forms(conn: Connection) -> list[dict]:
    """The forms of the newest version of every deployed process (enum labels of fields a case's own
    version lacks, e.g. the intake form's for a case started on a sub-process)."""
    newest = select(definitions.c.key, func.max(definitions.c.version).label("v")).group_by(definitions.c.key) \
        .subquery()
    return [f for f in conn.execute(select(definitions.c.forms).join(
        newest, and_(newest.c.key == definitions.c.key, newest.c.v == definitions.c.version))
        .order_by(definitions.c.key)).scalars() if isinstance(f, dict)]


def case_id_by_number(conn: Connection, case_number: str) -> int | None:
    return conn.execute(select(cases.c.id).where(cases.c.case_number == case_number)).scalar()
