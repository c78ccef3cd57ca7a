"""A written agreement closes the case as 调解成功 only once its signed scan is attached (x-signed-document)."""

import pytest

from engine import documents
from engine.cases import SignedAgreementMissing, service
from tests.helpers.process_driver import (
    ACCEPT,
    FOLLOW_UP,
    LABOUR_ACCEPT,
    LABOUR_AGREEMENT,
    SIGNED_SCAN,
    SIGNER,
    agreement,
    assert_closed,
    drive,
    labour_session,
    open_tasks,
    session,
)

pytestmark = pytest.mark.usefixtures("driver_clock")
AGREED = [("mediation_accept", ACCEPT), ("mediation_session", session("agreement_reached"))]


def _task(db, case_id, element):
    return next(t for t in open_tasks(db, case_id) if t.element_id == element)


def _complete(db, task, form):
    with db.begin() as conn:
        return service.complete_task(conn, task.id, form, actor="test")


def _refused(db, task, form):
    with pytest.raises(SignedAgreementMissing) as err:
        _complete(db, task, form)
    assert err.value.code == "signed_agreement_missing"
    assert set(err.value.errors) == {"agreement_files"}
    assert err.value.kinds == {"agreement_files": "signed_agreement_missing"}


def _make(db, case_id, task, form):
    with db.begin() as conn:
        return documents.generate(conn, SIGNER, case_id, "agreement", task.id, data=form)


def _sign(db, doc_id):
    with db.begin() as conn:
        return documents.attach_signed(conn, SIGNER, doc_id, "signed.pdf", SIGNED_SCAN)


def test_a_written_agreement_needs_the_signed_scan_of_its_current_paper(db):
    case, _ = drive(db, "people_mediation", AGREED, sign_agreements=False)
    task = _task(db, case.id, "mediation_agreement")
    _refused(db, task, agreement())  # nothing made yet
    first = _make(db, case.id, task, agreement())
    _refused(db, task, agreement())  # made, not signed
    _sign(db, first["id"])
    second = _make(db, case.id, task, agreement())  # corrected after signing: the new version is unsigned
    assert second["version"] == 2 and second["number"] == first["number"]
    _refused(db, task, agreement())
    _sign(db, second["id"])
    case = _complete(db, task, agreement())
    assert case.status == "active" and [t.element_id for t in case.open_tasks] == ["follow_up_visit"]
    case = _complete(db, _task(db, case.id, "follow_up_visit"), FOLLOW_UP)
    assert_closed(case, "mediated")


def test_an_oral_agreement_needs_no_signed_paper(db):
    case, _ = drive(db, "people_mediation", [*AGREED, ("mediation_agreement", agreement(form="oral"))],
                    sign_agreements=False)
    assert [t.element_id for t in case.open_tasks] == ["follow_up_visit"]


def test_a_labour_agreement_always_needs_its_signed_paper(db):
    case, _ = drive(db, "labour_mediation", [("labour_accept", LABOUR_ACCEPT),
                                             ("labour_session", labour_session("agreement_reached"))],
                    data={"dispute_type": "labour"}, sign_agreements=False)
    task = _task(db, case.id, "labour_agreement")
    _refused(db, task, LABOUR_AGREEMENT)
    _sign(db, _make(db, case.id, task, LABOUR_AGREEMENT)["id"])
    case = _complete(db, task, LABOUR_AGREEMENT)
    assert [t.element_id for t in case.open_tasks] == ["labour_follow_up"]
