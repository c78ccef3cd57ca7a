"""Making a case's papers: numbered in the transaction, stored masked as a PDF, versions, previews, sources of
the form data, who may make them, and the filed case that refuses."""

import pytest
from sqlalchemy import func, select

from engine import documents
from engine.cases import CaseFiled, service
from engine.core.errors import Forbidden, InvalidData, NotFound
from engine.store.tables import attachments, document_numbers, document_templates
from engine.store.tables import documents as documents_table
from tests.helpers.documents import (
    FULL_IDS,
    LEADER,
    MEDIATOR,
    OUTSIDER,
    SUPERVISOR,
    at_agreement,
    mark_filed,
    pdf_text,
    this_year,
)
from tests.helpers.engine import events
from tests.helpers.process_driver import SIGNED_SCAN, agreement

TERMS = "被申请人于3月15日前一次性支付维修费用2500元。"


def make(db, case_id, task_id=None, kind="agreement", user=MEDIATOR, data=None, note=None):
    with db.begin() as conn:
        return documents.generate(conn, user, case_id, kind, task_id, data, note)


def stored_pdf(db, doc) -> bytes:
    with db.begin() as conn:
        return bytes(conn.execute(select(attachments.c.content).where(attachments.c.id == doc["attachment_id"]))
                     .scalar_one())


def test_the_agreement_is_numbered_stored_masked_and_on_the_timeline(db):
    case, task = at_agreement(db)
    doc = make(db, case.id, task.id, data=dict(agreement(), terms=TERMS))
    number = f"({this_year()})福田人调字第1号"
    assert (doc["number"], doc["version"], doc["current"], doc["task_id"]) == (number, 1, True, task.id)
    assert doc["title"] == "人民调解协议书" and doc["created_by"] == "mediator1"
    text = pdf_text(stored_pdf(db, doc)).replace("\n", "")
    assert number in text and "张某" in text and "李某" in text and TERMS in text
    assert "申请人：张某" in text and "居民身份证" in text  # enum labels from the intake form
    assert not any(i in text for i in FULL_IDS) and "440304********1234" in text
    with db.begin() as conn:
        row = conn.execute(select(documents_table)).one()
        att = conn.execute(select(attachments.c.kind, attachments.c.sha256, attachments.c.content_type)).one()
    assert att == ("document", doc["sha256"], "application/pdf")
    assert row.data["doc"]["number"] == number and [p["name"] for p in row.data["parties"]] == ["张某", "李某"]
    assert not any(i in str(row.data) for i in FULL_IDS)
    [issued] = [e for e in events(db, case.id) if e.kind == "document_issued"]
    assert issued.data == {"document_id": doc["id"], "kind": "agreement", "title": "人民调解协议书", "number": number,
                           "version": 1, "issued_on": doc["issued_on"].isoformat()}
    assert issued.actor == "mediator1" and issued.task_id == task.id


def test_making_it_again_is_a_new_version_with_the_same_number(db):
    case, task = at_agreement(db)
    first = make(db, case.id, task.id, data=agreement())
    second = make(db, case.id, task.id, data=dict(agreement(), terms=TERMS), note="更正履行期限")
    assert (second["number"], second["version"], second["current"], second["note"]) == \
        (first["number"], 2, True, "更正履行期限")
    with db.begin() as conn:
        listed = documents.documents_of_case(conn, MEDIATOR, case.id)
        last = conn.execute(select(document_numbers.c.last)).scalar_one()
    assert [(d["id"], d["version"], d["current"]) for d in listed] == [(second["id"], 2, True),
                                                                       (first["id"], 1, False)]
    assert last == 1  # the correction took no new number
    assert TERMS in pdf_text(stored_pdf(db, second)) and TERMS not in pdf_text(stored_pdf(db, first))


def test_a_rolled_back_paper_gives_its_number_back(db):
    case, task = at_agreement(db)
    with pytest.raises(RuntimeError), db.begin() as conn:
        doc = documents.generate(conn, MEDIATOR, case.id, "agreement", task.id, agreement())
        assert doc["number"].endswith("第1号")
        raise RuntimeError("the request failed after the paper was made")
    assert make(db, case.id, task.id, data=agreement())["number"].endswith("第1号")


def test_the_form_data_is_the_submitted_one_else_the_draft(db):
    case, task = at_agreement(db)
    from engine.core import clock
    from engine.store import drafts

    with db.begin() as conn:
        drafts.save(conn, task.id, dict(agreement(), terms="草稿中的协议内容"), "mediator1", clock.now())
    draft = make(db, case.id, task.id)  # no data passed: the saved draft
    assert "草稿中的协议内容" in pdf_text(stored_pdf(db, draft))
    with db.begin() as conn:
        documents.attach_signed(conn, MEDIATOR, draft["id"], "scan.pdf", SIGNED_SCAN)
        service.complete_task(conn, task.id, dict(agreement(), terms=TERMS), actor="mediator1")
    done = make(db, case.id, task.id, data=dict(agreement(), terms="提交后不再采用"))
    text = pdf_text(stored_pdf(db, done))
    assert TERMS in text and "提交后不再采用" not in text and done["version"] == 2
    # from the case page (no task named): the newest task offering the kind
    assert make(db, case.id, None)["task_id"] == task.id


def test_a_kind_must_be_offered_at_the_task_or_reached_by_the_case(db):
    case, task = at_agreement(db)
    with pytest.raises(InvalidData) as err:
        make(db, case.id, task.id, kind="guidance_letter")
    assert set(err.value.errors) == {"kind"}
    with pytest.raises(InvalidData):
        make(db, case.id, task.id, kind="no_such_kind")
    with pytest.raises(InvalidData) as err:
        make(db, case.id, None, kind="petition_opinion")
    assert set(err.value.errors) == {"kind"}
    unnumbered = make(db, case.id, None, kind="session_record")
    assert unnumbered["number"] is None and unnumbered["task_id"] != task.id


def test_who_may_make_papers(db):
    case, task = at_agreement(db)
    with pytest.raises(Forbidden):
        make(db, case.id, task.id, user=LEADER)
    with pytest.raises(NotFound):
        make(db, case.id, task.id, user=OUTSIDER)
    assert make(db, case.id, task.id, user=SUPERVISOR)["created_by"] == "super1"


def test_a_filed_case_refuses_new_papers_and_signed_scans(db):
    case, task = at_agreement(db)
    doc = make(db, case.id, task.id, data=agreement())
    mark_filed(db, case.id)
    with pytest.raises(CaseFiled):
        make(db, case.id, task.id, data=agreement())
    with pytest.raises(CaseFiled), db.begin() as conn:
        documents.attach_signed(conn, MEDIATOR, doc["id"], "scan.pdf", SIGNED_SCAN)
    with db.begin() as conn:
        assert conn.execute(select(func.count()).select_from(documents_table)).scalar_one() == 1


def test_a_preview_takes_no_number_and_stores_nothing(db):
    case, task = at_agreement(db)
    with db.begin() as conn:
        html = documents.preview(conn, MEDIATOR, case.id, "agreement", task.id, dict(agreement(), terms=TERMS))
        counters = conn.execute(select(func.count()).select_from(document_numbers)).scalar_one()
        stored = conn.execute(select(func.count()).select_from(documents_table)).scalar_one()
    assert "（文号待编）" in html and TERMS in html and "张某" in html
    assert not any(i in html for i in FULL_IDS)
    assert (counters, stored) == (0, 0)


def test_the_office_template_is_used_when_one_is_active(db):
    case, task = at_agreement(db)
    from engine.core import clock

    def upload(office, version, text, active=True):
        with db.begin() as conn:
            conn.execute(document_templates.insert().values(
                office=office, kind="agreement", version=version, filename="a.html", content=text, sha256="x" * 64,
                active=active, uploaded_by="super1", uploaded_at=clock.now()))

    upload("", 1, "<html><body><h1>全街道模板</h1><p>{{ doc.number }}</p></body></html>")
    assert "全街道模板" in pdf_text(stored_pdf(db, make(db, case.id, task.id, data=agreement())))
    upload("福田", 1, "<html><body><h1>福田模板</h1><p>{{ case.case_number }}</p></body></html>")
    upload("福田", 2, "<html><body><h1>停用的模板</h1></body></html>", active=False)
    doc = make(db, case.id, task.id, data=agreement())
    assert "福田模板" in pdf_text(stored_pdf(db, doc))
    with db.begin() as conn:
        copy, _, _ = documents.render_copy(conn, MEDIATOR, doc["id"], "masked", "html")
    assert "福田模板" in copy  # copies are printed with the template the paper was made with
    upload("福田", 3, "<html><body>{{ nothing.here }}</body></html>")
    with pytest.raises(documents.DocumentTemplateError):
        make(db, case.id, task.id, data=agreement())


def test_every_packaged_template_renders_with_a_real_context(db):
    case, task = at_agreement(db)
    make(db, case.id, task.id, data=agreement())
    from engine.documents import render

    with db.begin() as conn:
        context = conn.execute(select(documents_table.c.data)).scalar_one()
    for code, kind in documents.KINDS.items():
        html = render.render_html(render.default_template(code), {**context, "doc": {**context["doc"], "kind": code,
                                                                                      "title": kind.title}})
        assert kind.title in html and "张某" in html, code


def test_a_task_page_offers_its_kinds_and_lists_what_was_made_there(db):
    case, task = at_agreement(db)
    with db.begin() as conn:
        offered = documents.documents_of_task(conn, MEDIATOR, task.id)
    assert [(o["kind"], o["made"]) for o in offered["offered"]] == [("agreement", False), ("oral_agreement", False)]
    make(db, case.id, task.id, data=agreement())
    with db.begin() as conn:
        offered = documents.documents_of_task(conn, MEDIATOR, task.id)
    assert [(o["kind"], o["made"]) for o in offered["offered"]] == [("agreement", True), ("oral_agreement", False)]
    assert [d["kind"] for d in offered["documents"]] == ["agreement"]
