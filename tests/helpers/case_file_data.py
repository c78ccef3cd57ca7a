"""Case-file test data: closed cases, documents and attachments stored as the documents code stores them.

Until documents are made by ``engine.documents.generate`` in these tests, a document is an ``attachments`` row
(kind "document") holding a real WeasyPrint PDF whose pages carry its title, and a ``documents`` row naming it.
"""

import hashlib
import uuid
from datetime import date

from engine.cases import register_case, service
from engine.core import clock
from engine.core.types import User
from engine.documents.render import html_to_pdf
from engine.store.tables import attachments, documents
from tests.helpers.process_driver import APPLICANT, RESPONDENT, intake

WINDOW = User(1, "window1", "intake", ["福田社区", "岗厦社区"])


def paper(title: str, pages: int = 1) -> bytes:
    """A PDF of ``pages`` pages, each headed by ``title`` (and its page within the paper)."""
    body = "".join(f'<h1>{title}</h1><p>第 {n} 页</p>' + ('<div style="page-break-after: always"></div>'
                                                         if n < pages else "") for n in range(1, pages + 1))
    return html_to_pdf(f'<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>{body}</body></html>')


def closed_case(db, community: str = "福田社区", **over) -> int:
    """A dispute case registered and then closed (withdrawn by the parties: status cancelled)."""
    with db.begin() as conn:
        case = register_case(conn, "dispute_case", intake(community=community, parties=[APPLICANT, RESPONDENT],
                                                          **over), user=WINDOW).case
        service.cancel_case(conn, case.id, "mediator1", "当事人撤回申请")
    return case.id


def add_attachment(conn, case_id: int, content: bytes, *, kind: str = "evidence", filename: str = "证据.pdf",
                   content_type: str = "application/pdf", signs: str | None = None) -> str:
    att_id = str(uuid.uuid4())
    conn.execute(attachments.insert().values(
        id=att_id, case_id=case_id, task_id=None, kind=kind, filename=filename, content_type=content_type,
        size=len(content), sha256=hashlib.sha256(content).hexdigest(), content=content, uploaded_by="mediator1",
        uploaded_at=clock.now(), signs_document_id=signs))
    return att_id


def add_document(conn, case_id: int, kind: str, title: str, *, pages: int = 1, number: str | None = None,
                 version: int = 1, current: bool = True, office: str = "福田", issued_on: date | None = None) -> str:
    """A document row and its stored rendering (a PDF of ``pages`` pages headed by ``title``)."""
    pdf = paper(title, pages)
    att_id = add_attachment(conn, case_id, pdf, kind="document", filename=f"{title}.pdf")
    doc_id = str(uuid.uuid4())
    conn.execute(documents.insert().values(
        id=doc_id, case_id=case_id, kind=kind, title=title, office=office, year=2026,
        serial=int(number.split("第")[1].rstrip("号")) if number else None, number=number, version=version,
        current=current, task_id=None, issued_on=issued_on or date(2026, 3, 5), template_id=None,
        template_sha256=hashlib.sha256(kind.encode()).hexdigest(), data={"kind": kind}, attachment_id=att_id,
        created_by="mediator1", created_at=clock.now(), note=None))
    return doc_id
