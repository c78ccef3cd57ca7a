"""Case attachments (调解协议书, 笔录, evidence): rows with their bytes, so any API host can serve them."""

from sqlalchemy import Connection, select

from engine.store.tables import attachments, cases

_META = (attachments.c.id, attachments.c.case_id, attachments.c.task_id, attachments.c.kind,
         attachments.c.filename, attachments.c.content_type, attachments.c.size, attachments.c.sha256,
         attachments.c.uploaded_by, attachments.c.uploaded_at)


def insert(conn: Connection, values: dict) -> None:
    conn.execute(attachments.insert().values(**values))


def for_case(conn: Connection, case_id: int) -> list:
    """The case's attachments without their content, oldest first."""
    return list(conn.execute(select(*_META).where(attachments.c.case_id == case_id)
                             .order_by(attachments.c.uploaded_at, attachments.c.id)))


def get(conn: Connection, attachment_id: str, communities: list[str] | None):
    """One attachment with its content, if its case is in ``communities`` (None: any); else None."""
    q = (select(*_META, attachments.c.content).join(cases, cases.c.id == attachments.c.case_id)
         .where(attachments.c.id == attachment_id))
    if communities is not None:
        q = q.where(cases.c.community.in_(communities or ["-"]))
    return conn.execute(q).first()


def of_case(conn: Connection, case_id: int, ids: list[str]) -> set[str]:
    """Those of ``ids`` that are attachments of ``case_id``."""
    if not ids:
        return set()
    return set(conn.execute(select(attachments.c.id)
                            .where(attachments.c.case_id == case_id, attachments.c.id.in_(ids))).scalars())
