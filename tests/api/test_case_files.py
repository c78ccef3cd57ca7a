"""The case file over HTTP: filing, reading, reopening, the PDF, the year's list and archive, roles, and a filed
case refusing every change (409 case_filed) until it is reopened."""

import io
import zipfile
from datetime import date

from pypdf import PdfReader

from tests.helpers.api import client_for
from tests.helpers.case_file_data import add_document, closed_case, paper
from tests.helpers.ui import setup_app

API = "/api/v1"


def test_file_read_pdf_reopen_and_roles(db):
    app = setup_app(db)
    case_id = closed_case(db)
    with db.begin() as conn:
        add_document(conn, case_id, "agreement", "人民调解协议书", pages=2, number="(2026)福田人调字第3号")
    mediator, sup = client_for(app, "mediator1"), client_for(app, "super1")
    assert mediator.post(f"{API}/cases/{case_id}/file").status_code == 403
    assert sup.get(f"{API}/cases/{case_id}/file").status_code == 404  # not filed yet
    r = sup.post(f"{API}/cases/{case_id}/file")
    assert r.status_code == 201, r.text
    filed = r.json()
    assert filed["file_number"].endswith("人调卷第1号") and filed["status"] == "filed" and filed["filed"]
    assert [c["title"] for c in filed["contents"]] == ["人民调解协议书", "卷宗备考表"]
    assert filed["contents"][0]["first_page"] == 3 and filed["contents"][0]["last_page"] == 4
    assert filed["retention_label"] == "短期" and filed["pages"] == 5
    again = sup.post(f"{API}/cases/{case_id}/file")
    assert again.status_code == 409 and again.json()["error"] == "case_already_filed"
    seen = mediator.get(f"{API}/cases/{case_id}/file")
    assert seen.status_code == 200 and seen.json()["file_number"] == filed["file_number"]
    assert client_for(app, "window2").get(f"{API}/cases/{case_id}/file").status_code == 404  # another community

    pdf = mediator.get(f"{API}/cases/{case_id}/file/pdf")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert "filename*=UTF-8''" in pdf.headers["content-disposition"]
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages]
    assert len(pages) == 5 and filed["file_number"] in pages[0] and "卷内目录" in pages[1]
    assert "人民调解协议书" in pages[2]
    assert client_for(app, "leader1").get(f"{API}/cases/{case_id}/file/pdf").status_code == 403

    assert mediator.post(f"{API}/cases/{case_id}/file/reopen", json={"reason": "补充材料需要更正"}).status_code == 403
    short = sup.post(f"{API}/cases/{case_id}/file/reopen", json={"reason": "改"})
    assert short.status_code == 422 and "reason" in short.json()["fields"]
    assert sup.post(f"{API}/cases/{case_id}/file/reopen", json={}).status_code == 422
    r = sup.post(f"{API}/cases/{case_id}/file/reopen", json={"reason": "补充材料需要更正"})
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "reopened" and not r.json()["filed"]
    assert [h["kind"] for h in r.json()["history"]] == ["filed", "reopened"]
    assert r.json()["history"][1]["reason"] == "补充材料需要更正" and r.json()["history"][1]["by"] == "super1"
    twice = sup.post(f"{API}/cases/{case_id}/file/reopen", json={"reason": "补充材料需要更正"})
    assert twice.status_code == 409 and twice.json()["error"] == "case_not_filed"
    timeline = sup.get(f"{API}/cases/{case_id}").json()["timeline"]
    assert [e["kind"] for e in timeline if e["kind"].startswith("case_")][-2:] == ["case_filed", "case_reopened"]


def test_an_open_case_cannot_be_filed(db):
    app = setup_app(db)
    from tests.helpers.ui import lawyer_case

    case_id, _ = lawyer_case(db)
    r = client_for(app, "super1").post(f"{API}/cases/{case_id}/file")
    assert r.status_code == 409 and r.json()["error"] == "case_not_closed"


def test_a_filed_case_refuses_every_change_until_reopened(db):
    app = setup_app(db)
    case_id = closed_case(db)
    sup, mediator = client_for(app, "super1"), client_for(app, "mediator1")
    deadline_id = sup.get(f"{API}/deadlines/cases/{case_id}").json()[0]["id"]
    assert sup.post(f"{API}/cases/{case_id}/file").status_code == 201

    def refused(r):
        assert r.status_code == 409, r.text
        assert r.json()["error"] == "case_filed" and "已立卷归档" in r.json()["message"]

    upload = {"files": {"file": ("证据.pdf", paper("证据"), "application/pdf")}, "data": {"kind": "evidence"}}
    refused(mediator.post(f"{API}/cases/{case_id}/attachments", **upload))
    refused(mediator.patch(f"{API}/cases/{case_id}/dates", json={"received_on": date.today().isoformat()}))
    refused(mediator.post(f"{API}/deadlines/cases/{case_id}/pause", json={"reason": "等待当事人", "kind": "party"}))
    refused(mediator.post(f"{API}/deadlines/cases/{case_id}/resume"))
    refused(sup.post(f"{API}/deadlines/{deadline_id}/extend",
                     json={"amount": 5, "clock": "natural", "reason": "经批准延期"}))
    refused(sup.post(f"{API}/cases/{case_id}/cancel", json={"reason": "重复立案"}))
    refused(sup.post(f"{API}/cases/{case_id}/migrate", json={}))
    en = client_for(app, "mediator1", lang="en").post(f"{API}/cases/{case_id}/attachments", **upload)
    assert en.status_code == 409 and "reopen" in en.json()["message"]
    assert len(sup.get(f"{API}/cases/{case_id}/attachments").json()) == 0  # nothing was stored

    assert sup.post(f"{API}/cases/{case_id}/file/reopen", json={"reason": "补充证据材料"}).status_code == 200
    assert mediator.post(f"{API}/cases/{case_id}/attachments", **upload).status_code == 201
    refiled = sup.post(f"{API}/cases/{case_id}/file")
    assert refiled.status_code == 201 and refiled.json()["contents"][0]["title"] == "证据材料：证据.pdf"
    refused(mediator.post(f"{API}/cases/{case_id}/attachments", **upload))


def test_the_years_list_and_archive(db):
    app = setup_app(db)
    ids = [closed_case(db), closed_case(db)]
    sup = client_for(app, "super1")
    numbers = [sup.post(f"{API}/cases/{i}/file").json()["file_number"] for i in ids]
    year = int(numbers[0][1:5])
    listed = client_for(app, "admin1").get(f"{API}/case-files", params={"year": year})
    assert listed.status_code == 200 and [i["file_number"] for i in listed.json()["items"]] == numbers
    assert "440304" not in listed.text
    assert client_for(app, "mediator1").get(f"{API}/case-files", params={"year": year}).status_code == 403
    assert sup.get(f"{API}/case-files", params={"year": "x"}).status_code == 422
    r = sup.get(f"{API}/case-files/archive", params={"year": year})
    assert r.status_code == 200 and r.headers["content-type"] == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(r.content)).namelist()
    assert sorted(names) == sorted([f"{n}.pdf" for n in numbers] + ["索引.xlsx"])
    assert client_for(app, "leader1").get(f"{API}/case-files/archive", params={"year": year}).status_code == 403
