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
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
