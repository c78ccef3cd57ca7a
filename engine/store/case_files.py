"""SQL of the case file (卷宗): the case as filed, its papers, the file row, the year's list, retention."""

from datetime import datetime

from sqlalchemy import Connection, select, update

from engine.store.tables import attachments, case_files, cases, documents, events

_CASE = (cases.c.id, cases.c.case_number, cases.c.status, cases.c.process_key, cases.c.request_kind,
         cases.c.outcome, cases.c.difficult, cases.c.community, cases.c.summary, cases.c.dispute_type,
         cases.c.received_on, cases.c.accepted_on, cases.c.closed_on, cases.c.created_at, cases.c.completed_at,
         cases.c.filed_at, cases.c.data)
_ATT = (attachments.c.id, attachments.c.case_id, attachments.c.kind, attachments.c.filename,
        attachments.c.content_type, attachments.c.size, attachments.c.sha256, attachments.c.uploaded_by,
        attachments.c.uploaded_at, attachments.c.signs_document_id)


def case_row(conn: Connection, case_id: int, *, lock: bool = False):
    """The case's fields a file needs (locked for update when filing or reopening), or None."""
    q = select(*_CASE).where(cases.c.id == case_id)
    if lock and conn.dialect.name == "postgresql":
        q = q.with_for_update()
    return conn.execute(q).first()


def set_filed_at(conn: Connection, case_id: int, at: datetime | None) -> None:
    conn.execute(update(cases).where(cases.c.id == case_id).values(filed_at=at))


def get(conn: Connection, case_id: int):
    return conn.execute(select(case_files).where(case_files.c.case_id == case_id)).first()


def insert(conn: Connection, values: dict) -> None:
    conn.execute(case_files.insert().values(**values))


def change(conn: Connection, case_id: int, values: dict) -> None:
    conn.execute(update(case_files).where(case_files.c.case_id == case_id).values(**values))


def current_documents(conn: Connection, case_id: int) -> list:
    """The case's current documents (one version each), oldest first."""
    return list(conn.execute(select(documents).where(documents.c.case_id == case_id, documents.c.current)
                             .order_by(documents.c.created_at, documents.c.id)))


def attachments_of(conn: Connection, case_id: int) -> list:
    """The case's attachments without content (with ``signs_document_id``), oldest first."""
    return list(conn.execute(select(*_ATT).where(attachments.c.case_id == case_id)
                             .order_by(attachments.c.uploaded_at, attachments.c.id)))


def contents_of(conn: Connection, ids: list[str]) -> dict[str, tuple[str, bytes]]:
    """{attachment id: (content type, bytes)} of these attachments."""
    if not ids:
        return {}
    rows = conn.execute(select(attachments.c.id, attachments.c.content_type, attachments.c.content)
                        .where(attachments.c.id.in_(ids)))
    return {r.id: (r.content_type, bytes(r.content)) for r in rows}


def file_events(conn: Connection, case_id: int) -> list:
    """The case's ``case_filed`` and ``case_reopened`` events, oldest first."""
    return list(conn.execute(select(events.c.at, events.c.actor, events.c.kind, events.c.data)
                             .where(events.c.case_id == case_id, events.c.kind.in_(("case_filed", "case_reopened")))
                             .order_by(events.c.id)))


def list_files(conn: Connection, year: int, office: str | None, communities: list[str] | None) -> list:
    """The files of a year (of one office, if given), by serial, with their case's fields."""
    q = (select(case_files, cases.c.case_number, cases.c.summary, cases.c.community, cases.c.received_on,
                cases.c.closed_on, cases.c.completed_at, cases.c.data)
         .join(cases, cases.c.id == case_files.c.case_id).where(case_files.c.year == year)
         .order_by(case_files.c.office, case_files.c.serial))
    if office:
        q = q.where(case_files.c.office == office)
    if communities is not None:
        q = q.where(cases.c.community.in_(communities or ["-"]))
    return list(conn.execute(q))


def retention_of(conn: Connection, case_ids: list[int]) -> dict[int, tuple[str, int | None, datetime]]:
    """{case id: (retention, years or None for permanent, filed_at)} of those cases that have a file."""
    if not case_ids:
        return {}
    rows = conn.execute(select(case_files.c.case_id, case_files.c.retention, case_files.c.retention_years,
                               case_files.c.filed_at).where(case_files.c.case_id.in_(case_ids)))
    return {r.case_id: (r.retention, r.retention_years, r.filed_at) for r in rows}


def shortest_years(conn: Connection) -> int | None:
    """The shortest retention in years of any file (None: no file has a limited retention)."""
    from sqlalchemy import func

    return conn.execute(select(func.min(case_files.c.retention_years))).scalar()
