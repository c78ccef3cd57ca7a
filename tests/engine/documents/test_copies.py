"""Copies of a paper (PIPL): the masked one for anyone who sees the case, the kept one and each party's with full
details only for the roles that work with the parties, each party shown logged; DOCX and HTML; signed scans."""

import io

import pytest

from engine import documents
from engine.core.errors import Forbidden, InvalidData, NotFound
from tests.helpers.documents import (
    LEADER,
    MEDIATOR,
    OUTSIDER,
    access_rows,
    pdf_text,
)
from tests.helpers.engine import events
from tests.helpers.process_driver import APPLICANT, RESPONDENT, SIGNED_SCAN

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(32))


def copy(db, doc, which, fmt="pdf", user=MEDIATOR):
    with db.begin() as conn:
        return documents.render_copy(conn, user, doc["id"], which, fmt)


def test_the_copies_a_parties_paper_offers(db, made):
    _, doc = made
    refs = [c["copy"] for c in doc["copies"]]
    assert refs[:2] == ["file", "masked"] and refs[-1] == "all" and len(refs) == 5
    assert [c["label"] for c in doc["copies"][2:4]] == ["申请人 张某 收执", "被申请人 李某 收执"]


def test_the_masked_copy_has_no_full_number_and_logs_nothing(db, made):
    _, doc = made
    content, ctype, name = copy(db, doc, "masked")
    text = pdf_text(content)
    assert ctype == "application/pdf" and name.endswith("-隐去个人信息.pdf") and doc["number"] in name
    assert APPLICANT["id_number"] not in text and RESPONDENT["id_number"] not in text
    assert "440304********1234" in text and "张某" in text
    assert access_rows(db) == []


def test_a_party_copy_shows_that_party_in_full_and_the_other_masked_logged(db, made):
    case, doc = made
    applicant = doc["copies"][2]["copy"]
    content, _, name = copy(db, doc, applicant)
    text = pdf_text(content)
    assert "申请人 张某 收执" in text and name.endswith("申请人 张某 收执.pdf")
    assert APPLICANT["id_number"] in text and APPLICANT["phone"] in text
    assert RESPONDENT["id_number"] not in text and "440304********2345" in text
    rows = access_rows(db)
    assert [(r.actor, r.case_id, r.party_ref, r.reason) for r in rows] == [
        ("mediator1", case.id, applicant, "文书副本 (document copy)")]
    assert APPLICANT["id_number"] not in rows[0].what


def test_the_kept_copy_and_all_copies_show_everyone_in_full(db, made):
    _, doc = made
    kept = pdf_text(copy(db, doc, "file")[0])
    assert "存档" in kept and APPLICANT["id_number"] in kept and RESPONDENT["id_number"] in kept
    assert len(access_rows(db)) == 2
    every = pdf_text(copy(db, doc, "all")[0])
    assert all(label in every for label in ("申请人 张某 收执", "被申请人 李某 收执", "存档"))
    assert every.count(doc["number"]) == 3
    assert len(access_rows(db)) == 2 + 1 + 1 + 2


def test_docx_and_html_copies(db, made):
    _, doc = made
    import docx

    content, ctype, name = copy(db, doc, "masked", "docx")
    assert ctype.endswith("wordprocessingml.document") and name.endswith(".docx")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(content)).paragraphs)
    assert "人民调解协议书" in text and doc["number"] in text and APPLICANT["id_number"] not in text
    html, ctype, _ = copy(db, doc, "file", "html")
    assert ctype.startswith("text/html") and APPLICANT["id_number"] in html and "存档" in html
    every, _, _ = copy(db, doc, "all", "html")
    assert every.count("收执") == 2 and every.count("page-break-before") == 2


def test_who_may_print_which_copy(db, made):
    _, doc = made
    assert copy(db, doc, None, user=LEADER)[2].endswith("-隐去个人信息.pdf")  # the default for a leader
    assert copy(db, doc, None)[2].endswith("-存档.pdf")  # and for the mediator
    for which in ("file", "all", doc["copies"][2]["copy"]):
        with pytest.raises(Forbidden):
            copy(db, doc, which, user=LEADER)
    with pytest.raises(NotFound):
        copy(db, doc, "masked", user=OUTSIDER)
    with pytest.raises(InvalidData):
        copy(db, doc, "someone-else")
    with pytest.raises(InvalidData):
        copy(db, doc, "masked", "exe")


def test_a_signed_scan_links_to_its_paper(db, made):
    case, doc = made
    with db.begin() as conn:
        signed = documents.attach_signed(conn, MEDIATOR, doc["id"], "C:\\scans\\签署件.png", PNG)
        again = documents.get_document(conn, MEDIATOR, doc["id"])
    assert (signed["kind"], signed["signs_document_id"], signed["content_type"], signed["filename"]) == \
        ("signed", doc["id"], "image/png", "签署件.png")
    assert [s["id"] for s in again["signed"]] == [signed["id"]]
    [event] = [e for e in events(db, case.id) if e.kind == "document_signed"]
    assert event.data == {"document_id": doc["id"], "attachment_id": signed["id"]}
    with pytest.raises(InvalidData) as err, db.begin() as conn:
        documents.attach_signed(conn, MEDIATOR, doc["id"], "x.docx", b"PK\x03\x04 not a scan")
    assert set(err.value.errors) == {"file"}
    with pytest.raises(Forbidden), db.begin() as conn:
        documents.attach_signed(conn, LEADER, doc["id"], "scan.pdf", SIGNED_SCAN)
