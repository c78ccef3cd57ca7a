"""Documents over HTTP: make (文号), list, copies as PDF/DOCX/HTML by role, preview, signed scans, the filed case,
the signed-agreement rule at completion, OpenAPI."""

from datetime import date

from tests.helpers.api import client_for
from tests.helpers.documents import FULL_IDS, agreement_case_api, mark_filed, pdf_text, this_year
from tests.helpers.process_driver import APPLICANT, RESPONDENT, SIGNED_SCAN, agreement
from tests.helpers.ui import setup_app

API = "/api/v1"


def make(client, case_id, task_id, **extra):
    return client.post(f"{API}/cases/{case_id}/documents",
                       json={"kind": "agreement", "task_id": task_id, "data": agreement(), **extra})


def sign(client, doc_id, content=SIGNED_SCAN, name="签署件.pdf"):
    return client.post(f"{API}/documents/{doc_id}/signed", files={"file": (name, content, "application/pdf")})


def test_make_list_and_print_copies_by_role(db):
    app = setup_app(db)
    case_id, task_id = agreement_case_api(db)
    mediator, leader = client_for(app, "mediator1"), client_for(app, "leader1")
    r = make(mediator, case_id, task_id)
    assert r.status_code == 201, r.text
    doc = r.json()
    number = f"({this_year()})福田人调字第1号"
    assert (doc["number"], doc["version"], doc["current"], doc["kind"], doc["task_id"]) == \
        (number, 1, True, "agreement", task_id)
    assert doc["urls"] == {"pdf": f"{API}/documents/{doc['id']}/pdf", "docx": f"{API}/documents/{doc['id']}/docx",
                           "preview": f"{API}/documents/{doc['id']}/preview"}
    assert [c["copy"] for c in doc["copies"]][:2] == ["file", "masked"] and doc["signed"] == []
    assert date.fromisoformat(doc["issued_on"]).year == this_year()
    assert [d["id"] for d in mediator.get(f"{API}/cases/{case_id}/documents").json()] == [doc["id"]]
    on_task = mediator.get(f"{API}/tasks/{task_id}/documents").json()
    assert on_task["offered"][0] == {"kind": "agreement", "title": "人民调解协议书",
                                     "title_en": "People's mediation agreement", "made": True}
    assert [d["id"] for d in on_task["documents"]] == [doc["id"]]
    assert mediator.get(f"{API}/documents/{doc['id']}").json() == doc

    kept = mediator.get(doc["urls"]["pdf"])  # the default for a mediator: the kept copy, in full
    assert kept.status_code == 200 and kept.headers["content-type"] == "application/pdf"
    assert "inline" in kept.headers["content-disposition"] and kept.headers["cache-control"] == "private, no-store"
    text = pdf_text(kept.content)
    assert number in text and all(i in text for i in FULL_IDS)
    party = mediator.get(doc["urls"]["pdf"], params={"copy": doc["copies"][2]["copy"]})
    text = pdf_text(party.content)
    assert APPLICANT["id_number"] in text and RESPONDENT["id_number"] not in text
    masked = leader.get(doc["urls"]["pdf"])  # a leader's default: masked
    assert masked.status_code == 200 and not any(i in pdf_text(masked.content) for i in FULL_IDS)
    refused = leader.get(doc["urls"]["pdf"], params={"copy": "file"})
    assert refused.status_code == 403 and refused.json()["error"] == "forbidden"
    docx = mediator.get(doc["urls"]["docx"], params={"copy": "masked"})
    assert docx.status_code == 200 and docx.content.startswith(b"PK") and "attachment" in \
        docx.headers["content-disposition"]
    html = mediator.get(doc["urls"]["preview"], params={"copy": "all"})
    assert html.status_code == 200 and html.headers["content-type"].startswith("text/html")
    assert html.text.count("收执") == 2
    assert mediator.get(doc["urls"]["pdf"], params={"copy": "nobody"}).status_code == 422


def test_who_may_make_and_see_papers(db):
    app = setup_app(db)
    case_id, task_id = agreement_case_api(db)
    assert make(client_for(app, "leader1"), case_id, task_id).status_code == 403
    assert make(client_for(app, "admin1"), case_id, task_id).status_code == 403
    other = client_for(app, "window2")  # another community
    assert make(other, case_id, task_id).status_code == 404
    doc = make(client_for(app, "window1"), case_id, task_id).json()
    assert other.get(f"{API}/documents/{doc['id']}").status_code == 404
    assert other.get(f"{API}/documents/{doc['id']}/pdf").status_code == 404
    assert other.get(f"{API}/cases/{case_id}/documents").status_code == 404
    assert client_for(app, "lawyer1").get(f"{API}/documents/{doc['id']}/pdf").status_code == 200
    assert client_for(app).get(f"{API}/documents/{doc['id']}").status_code == 401


def test_preview_takes_no_number(db):
    app = setup_app(db)
    case_id, task_id = agreement_case_api(db)
    mediator = client_for(app, "mediator1")
    r = mediator.post(f"{API}/cases/{case_id}/documents/preview",
                      json={"kind": "agreement", "task_id": task_id, "data": dict(agreement(), terms="预览条款")})
    assert r.status_code == 200 and "（文号待编）" in r.text and "预览条款" in r.text
    assert not any(i in r.text for i in FULL_IDS)
    assert make(mediator, case_id, task_id).json()["number"].endswith("第1号")
    bad = mediator.post(f"{API}/cases/{case_id}/documents/preview", json={"kind": "agreement", "extra": 1})
    assert bad.status_code == 422
    wrong = mediator.post(f"{API}/cases/{case_id}/documents", json={"kind": "guidance_letter", "task_id": task_id})
    assert wrong.status_code == 422 and wrong.json()["fields"] == {"kind": "该任务不制作这种文书"}


def test_the_signed_scan_and_the_rule_at_completion(db):
    app = setup_app(db)
    case_id, task_id = agreement_case_api(db)
    mediator = client_for(app, "mediator1")
    assert mediator.post(f"{API}/tasks/{task_id}/claim").status_code == 200
    refused = mediator.post(f"{API}/tasks/{task_id}/complete", json={"data": agreement()})
    assert refused.status_code == 422
    body = refused.json()
    assert body["error"] == "signed_agreement_missing" and body["message"] == "书面调解协议书尚未上传签署件，不能办结"
    assert body["fields"] == {"agreement_files": "请先制作调解协议书，经当事人签署后上传签署件"}
    english = client_for(app, "mediator1", lang="en").post(f"{API}/tasks/{task_id}/complete",
                                                           json={"data": agreement()})
    assert english.json()["fields"] == {"agreement_files": "make the agreement, have it signed and upload the "
                                                           "signed scan first"}
    doc = make(mediator, case_id, task_id).json()
    bad = sign(mediator, doc["id"], b"MZ not a scan", "x.exe")
    assert bad.status_code == 422 and bad.json()["fields"] == {"file": "签署件须为 PDF、JPEG 或 PNG 文件"}
    assert sign(client_for(app, "leader1"), doc["id"]).status_code == 403
    r = sign(mediator, doc["id"])
    assert r.status_code == 201, r.text
    scan = r.json()
    assert (scan["kind"], scan["signs_document_id"], scan["filename"]) == ("signed", doc["id"], "签署件.pdf")
    assert mediator.get(scan["url"]).content == SIGNED_SCAN
    assert [s["id"] for s in mediator.get(f"{API}/documents/{doc['id']}").json()["signed"]] == [scan["id"]]
    done = mediator.post(f"{API}/tasks/{task_id}/complete", json={"data": agreement()})
    assert done.status_code == 200, done.text


def test_a_filed_case_refuses_a_new_paper(db):
    app = setup_app(db)
    case_id, task_id = agreement_case_api(db)
    mediator = client_for(app, "mediator1")
    doc = make(mediator, case_id, task_id).json()
    mark_filed(db, case_id)
    r = make(mediator, case_id, task_id)
    assert r.status_code == 409 and r.json()["error"] == "case_filed"
    assert r.json()["message"].startswith("案件已立卷归档")
    assert sign(mediator, doc["id"]).status_code == 409
    assert mediator.get(f"{API}/documents/{doc['id']}/pdf").status_code == 200  # still printable


def test_the_kinds_and_the_openapi_document(db):
    app = setup_app(db)
    client = client_for(app, "mediator1")
    kinds = {k["kind"]: k for k in client.get(f"{API}/document-kinds").json()}
    assert kinds["agreement"] == {"kind": "agreement", "title": "人民调解协议书",
                                  "title_en": "People's mediation agreement", "numbered": True,
                                  "tasks": ["mediation_agreement", "labour_agreement"], "copies": "parties"}
    assert kinds["session_record"]["numbered"] is False
    spec = client.get(f"{API}/openapi.json").json()
    assert {"DocumentOut", "DocumentIn", "TaskDocumentsOut", "SignedOut"} <= set(spec["components"]["schemas"])
    out = spec["paths"]["/api/v1/cases/{case_id}/documents"]["post"]["responses"]["201"]
    assert out["content"]["application/json"]["schema"]["$ref"].endswith("/DocumentOut")
    assert "application/pdf" in spec["paths"]["/api/v1/documents/{doc_id}/pdf"]["get"]["responses"]["200"]["content"]
