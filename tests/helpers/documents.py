"""Documents in tests: a people's-mediation case at its agreement task, PDF text, a tiny signed scan."""

import io

from engine.core.types import User
from tests.helpers.process_driver import ACCEPT, APPLICANT, RESPONDENT, drive, intake, open_tasks, session

MEDIATOR = User(2, "mediator1", "mediator", ["福田社区"])
SUPERVISOR = User(3, "super1", "supervisor", [])
LEADER = User(4, "leader1", "leader", [])
OUTSIDER = User(5, "mediator9", "mediator", ["南山社区"])
FULL_IDS = (APPLICANT["id_number"], RESPONDENT["id_number"])
# the smallest PDF a scanner might send (the type is checked by its first bytes)
SIGNED_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def at_agreement(db):
    """(case, the open mediation_agreement task) of a people's-mediation case with two parties."""
    case, _ = drive(db, "people_mediation", [("mediation_accept", ACCEPT),
                                             ("mediation_session", session("agreement_reached"))],
                    data=intake())
    task = next(t for t in open_tasks(db, case.id) if t.element_id == "mediation_agreement")
    return case, task


def pdf_text(content: bytes) -> str:
    """The text of every page, lines joined (a long line wraps anywhere in Chinese)."""
    from pypdf import PdfReader

    return "".join(page.extract_text().replace("\n", "") for page in PdfReader(io.BytesIO(content)).pages)


def mark_filed(db, case_id: int) -> None:
    """The case put in its case file (立卷归档), as the case-file service does: cases.filed_at set."""
    from sqlalchemy import update

    from engine.core import clock
    from engine.store.tables import cases

    with db.begin() as conn:
        conn.execute(update(cases).where(cases.c.id == case_id).values(filed_at=clock.now()))


def access_rows(db) -> list:
    from sqlalchemy import select

    from engine.store.tables import pii_access

    with db.begin() as conn:
        return list(conn.execute(select(pii_access).order_by(pii_access.c.id)))


def this_year() -> int:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo("Asia/Shanghai")).year


def agreement_case_api(db):
    """(case id, open mediation_agreement task id) of a dispute case in people's mediation, made as the API
    tests make cases (tests.helpers.ui)."""
    from engine.cases import service
    from tests.helpers.process_driver import session
    from tests.helpers.ui import session_case

    case_id, session_id = session_case(db)
    with db.begin() as conn:
        case = service.complete_task(conn, session_id, session("agreement_reached"), actor="mediator1")
    [task] = [t for t in case.open_tasks if t.element_id == "mediation_agreement"]
    return case_id, task.id
