"""Case attachments over HTTP: upload (type by content, size limits), list, download, form references."""

import hashlib
import io
import zipfile

from api.app import create_app
from tests.helpers.api import client_for
from tests.helpers.process_driver import session
from tests.helpers.ui import session_case, setup_app

API = "/api/v1"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(range(64))


def docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, text in (("[Content_Types].xml", "<Types/>"), ("word/document.xml", "<w:document/>")):
            z.writestr(zipfile.ZipInfo(name, date_time=(2025, 3, 3, 10, 0, 0)), text)
    return buf.getvalue()


def upload(client, case_id, content=PDF, name="调解协议书.pdf", kind="agreement", ctype="application/pdf", **extra):
    return client.post(f"{API}/cases/{case_id}/attachments", files={"file": (name, content, ctype)},
                       data={"kind": kind, **extra})


def test_upload_list_download(db):
    app = setup_app(db)
    case_id, task_id = session_case(db)
    mediator = client_for(app, "mediator1")
    r = upload(mediator, case_id, ctype="application/octet-stream", task_id=task_id)
    assert r.status_code == 201, r.text
    att = r.json()
    assert att["content_type"] == "application/pdf" and att["size"] == len(PDF)
    assert att["sha256"] == hashlib.sha256(PDF).hexdigest() and att["task_id"] == task_id
    assert att["filename"] == "调解协议书.pdf" and att["uploaded_by"] == "mediator1"
    r2 = upload(mediator, case_id, docx(), name="../笔录 1.docx", kind="record")
    assert r2.status_code == 201, r2.text
    assert r2.json()["filename"] == "笔录 1.docx"
    assert r2.json()["content_type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert upload(mediator, case_id, PNG, name="evidence.png", kind="evidence").status_code == 201

    listed = client_for(app, "lawyer1").get(f"{API}/cases/{case_id}/attachments")
    assert listed.status_code == 200
    assert [a["id"] for a in listed.json()][:2] == [att["id"], r2.json()["id"]]
    assert [a["kind"] for a in listed.json()] == ["agreement", "record", "evidence"]
    assert all("content" not in a for a in listed.json())

    down = client_for(app, "super1").get(att["url"])
    assert down.status_code == 200
    assert down.content == PDF
    assert down.headers["content-type"] == "application/pdf"
    assert down.headers["x-content-type-options"] == "nosniff"
    assert down.headers["content-disposition"] == (
        "attachment; filename=\"_____.pdf\"; filename*=UTF-8''%E8%B0%83%E8%A7%A3%E5%8D%8F%E8%AE%AE%E4%B9%A6.pdf")
    assert client_for(app, "mediator1").get(r2.json()["url"]).content == docx()

    page = mediator.get(f"{API}/cases/{case_id}").json()
    added = [e for e in page["timeline"] if e["kind"] == "attachment_added"]
    assert [e["data"]["attachment_id"] for e in added] == [a["id"] for a in listed.json()]
    assert [a["id"] for a in page["attachments"]] == [a["id"] for a in listed.json()]


def test_attachment_access_rules(db):
    app = setup_app(db)
    case_id, _ = session_case(db)
    other_case, other_task = session_case(db, "岗厦社区")
    att = upload(client_for(app, "mediator1"), case_id).json()
    assert upload(client_for(app), case_id).status_code == 401
    assert client_for(app).get(att["url"]).status_code == 401
    assert upload(client_for(app, "leader1"), case_id).status_code == 403
    assert upload(client_for(app, "window2"), case_id).status_code == 404
    window2 = client_for(app, "window2")
    assert window2.get(f"{API}/cases/{case_id}/attachments").status_code == 404
    assert window2.get(att["url"]).status_code == 404
    assert client_for(app, "mediator1").get(f"{API}/attachments/no-such-id").status_code == 404
    assert client_for(app, "leader1").get(att["url"]).content == PDF  # leaders read every community
    r = upload(client_for(app, "mediator1"), case_id, task_id=other_task)
    assert r.status_code == 422 and "task_id" in r.json()["fields"]
    assert other_case != case_id


def test_refused_types_and_bad_input(db):
    app = setup_app(db)
    case_id, _ = session_case(db)
    mediator = client_for(app, "mediator1")
    exe = b"MZ\x90\x00" + bytes(200)
    r = upload(mediator, case_id, exe, name="协议.pdf", ctype="application/pdf")
    assert r.status_code == 422 and "file" in r.json()["fields"], r.text
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as z:
        z.writestr("payload.txt", "not a document")
    assert upload(mediator, case_id, zipped.getvalue(), name="a.docx").status_code == 422
    assert upload(mediator, case_id, b"<html><script>x</script>", name="a.png", ctype="image/png").status_code == 422
    assert upload(mediator, case_id, kind="photo").status_code == 422
    assert upload(mediator, case_id, b"", name="empty.pdf").status_code == 422
    assert mediator.post(f"{API}/cases/{case_id}/attachments", data={"kind": "other"}).status_code == 422
    assert mediator.get(f"{API}/cases/{case_id}/attachments").json() == []


def test_size_limits(db, small_limits):
    setup_app(db)
    case_id, _ = session_case(db)
    small_limits()
    app = create_app(db)
    mediator = client_for(app, "mediator1")
    fits = PDF + b"0" * (20000 - len(PDF))  # over the 4000-byte multipart limit of other paths
    r = upload(mediator, case_id, fits)
    assert r.status_code == 201, r.text
    assert mediator.get(r.json()["url"]).content == fits
    r = upload(mediator, case_id, fits + b"0")  # over the attachment limit: refused by the service
    assert r.status_code == 413 and r.json()["error"] == "body_too_large"
    r = upload(mediator, case_id, fits * 5)  # far over: refused before the body is read
    assert r.status_code == 413
    assert len(mediator.get(f"{API}/cases/{case_id}/attachments").json()) == 1


def test_form_references_checked_on_completion(db):
    app = setup_app(db)
    case_id, task_id = session_case(db)
    other_case, _ = session_case(db, "福田社区")
    mediator = client_for(app, "mediator1")
    mine = upload(mediator, case_id, kind="record").json()["id"]
    theirs = upload(mediator, other_case, kind="record").json()["id"]
    assert mediator.post(f"{API}/tasks/{task_id}/claim").status_code == 200
    schema = mediator.get(f"{API}/tasks/{task_id}/form").json()["schema"]
    assert schema["properties"]["record_files"]["format"] == "attachments"
    assert schema["properties"]["record_files"]["x-attachment-kind"] == "record"
    url = f"{API}/tasks/{task_id}/complete"
    for bad in (theirs, "00000000-0000-0000-0000-000000000000"):
        r = mediator.post(url, json={"data": {**session("next_session"), "record_files": [mine, bad]}})
        assert r.status_code == 422, r.text
        assert list(r.json()["fields"]) == ["record_files"]
        assert r.json()["fields"]["record_files"] == "附件不存在或不属于本案"
    r = mediator.post(url, json={"data": {**session("next_session"), "record_files": [mine]}})
    assert r.status_code == 200, r.text
