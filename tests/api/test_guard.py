"""NUL characters and invalid Unicode are refused everywhere with a 422 field error, and nothing is stored.

On PostgreSQL (text cannot hold NUL) each of these used to be a 500 found by schemathesis: a NUL in a JSON
key of case data, in a handover's ``to_user``, in an attachment's ``task_id``.
"""

import json

import pytest
from sqlalchemy import func, select

from engine.store.tables import attachments, cases, events
from tests.helpers.api import client_for
from tests.helpers.process_driver import intake
from tests.helpers.ui import session_case

API = "/api/v1"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
JSON = {"Content-Type": "application/json"}
FORM = {"Content-Type": "multipart/form-data; boundary=BOUNDARY"}


def multipart(file_disposition: bytes, kind_disposition: bytes, kind: bytes = b"agreement") -> bytes:
    return (b"--BOUNDARY\r\nContent-Disposition: form-data; " + file_disposition
            + b"\r\nContent-Type: application/pdf\r\n\r\n" + PDF + b"\r\n--BOUNDARY\r\nContent-Disposition: form-data; "
            + kind_disposition + b"\r\n\r\n" + kind + b"\r\n--BOUNDARY--\r\n")


def count(db, table) -> int:
    with db.begin() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def refused(r, field: str, code: str = "validation") -> None:
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["error"] == code and field in body["fields"], body
    assert set(body) >= {"error", "message", "detail"}


pytestmark = pytest.mark.process_set  # the `app` fixture (tests/api/conftest.py) with the shipped processes


@pytest.mark.parametrize("raw, field", [
    ('{"data": {"summary\\u0000x": "a"}}', "summary?x"),  # NUL in a key of case data
    ('{"data": {"parties": [{"name\\u0000": "张三"}]}}', "parties.0.name?"),  # in a nested key
    ('{"data": {"summary": "\\ud800"}}', "summary"),  # a lone surrogate in a value
    ('{"data": {"\\udfff": 1}}', "?"),  # a lone surrogate in a key
])
def test_bad_text_in_case_data_is_a_field_error(app, db, raw, field):
    body = json.loads(raw)
    body["data"] = {**intake(), **body["data"]}
    r = client_for(app, "window1").post(f"{API}/cases", content=json.dumps(body).encode(), headers=JSON)
    refused(r, field, "invalid_data")
    assert count(db, cases) == count(db, events) == 0


def test_nul_in_handover_to_user(app, db):
    sup = client_for(app, "super1")
    user_id = next(u["id"] for u in sup.get(f"{API}/users").json() if u["username"] == "window1")
    before = count(db, events)
    r = sup.post(f"{API}/users/{user_id}/handover", json={"to_user": "window2\x00", "note": "调岗移交"})
    refused(r, "to_user")
    assert count(db, events) == before


def test_nul_in_attachment_task_id_and_field_names(app, db):
    case_id, _ = session_case(db)
    mediator = client_for(app, "mediator1")
    url = f"{API}/cases/{case_id}/attachments"
    r = mediator.post(url, files={"file": ("a.pdf", PDF, "application/pdf")}, data={"kind": "agreement",
                                                                                      "task_id": "x\x00"})
    refused(r, "task_id")
    # raw bodies: an HTTP client would percent-encode these names
    r = mediator.post(url, content=multipart(b'name="file"; filename="a\x00.pdf"', b'name="kind"'), headers=FORM)
    refused(r, "file")
    r = mediator.post(url, content=multipart(b'name="file"; filename="a.pdf"', b'name="ki\x00nd"'), headers=FORM)
    refused(r, "(form)")
    r = mediator.post(url, content=multipart(b'name="file"; filename="a.pdf"', b'name="kind"', b"agr\xffeement"),
                      headers=FORM)
    refused(r, "kind")
    assert count(db, attachments) == 0


def test_bad_utf8_and_unparsable_bodies(app, db):
    window = client_for(app, "window1")
    good = json.dumps({"data": intake()}, ensure_ascii=False).encode()
    r = window.post(f"{API}/cases", content=good.replace("张".encode(), b"\xff\xfe"), headers=JSON)
    refused(r, "(body)", "malformed_json")
    r = window.post(f"{API}/cases", content=b'{"data": {', headers=JSON)
    refused(r, "(body)", "malformed_json")
    boundary = "----x"
    r = window.post(f"{API}/cases/1/attachments", content=b"------x\r\nnot a part--",
                    headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
    assert r.status_code == 422 and r.json()["fields"] == {"(body)": r.json()["fields"]["(body)"]}
    assert count(db, cases) == 0


def test_bad_text_in_query_path_and_login_form(app, db):
    sup = client_for(app, "super1")
    refused(sup.get(f"{API}/cases?q=a%00b"), "q")
    refused(sup.get(f"{API}/cases?q=%ED%A0%80"), "q")  # an encoded lone surrogate is not UTF-8
    refused(sup.get(f"{API}/cases?q=%FF"), "q")
    refused(sup.get(f"{API}/tasks/ab%00c/form"), "task_id")
    refused(sup.get(f"{API}/processes/%C0%AF/versions"), "key")
    r = client_for(app).post(f"{API}/auth/token", data={"username": "super1\x00", "password": "x"})
    refused(r, "username")
    assert r.headers["content-type"] == "application/json"


def test_field_errors_in_english_on_request(app):
    r = client_for(app, "super1", lang="en").get(f"{API}/cases?q=a%00b")
    assert r.json()["fields"] == {"q": "contains a forbidden character"}
    assert r.json()["message"] == "the request is invalid"
