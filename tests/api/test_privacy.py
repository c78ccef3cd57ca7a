"""Personal data over HTTP: the case page's full view and the search by full ID number are recorded, the log is
the admin's, a missing data key is a 503 with a clear message (never wrong data)."""

import base64

import pytest

from engine.core.settings import get_settings
from tests.helpers.api import client_for
from tests.helpers.process_driver import APPLICANT, intake

API = "/api/v1"
pytestmark = pytest.mark.process_set




def start(app) -> int:
    r = client_for(app, "window1").post(f"{API}/cases", json={"process_key": "dispute_case", "data": intake()})
    assert r.status_code == 201, r.text
    return r.json()["case"]["id"] if "case" in r.json() else r.json()["id"]


def test_full_view_and_lookup_are_in_the_admins_access_log(app):
    case_id = start(app)
    leader = client_for(app, "leader1").get(f"{API}/cases/{case_id}")
    assert leader.json()["parties"][0]["id_number"] == "440304********1234"
    mediator = client_for(app, "mediator1")
    page = mediator.get(f"{API}/cases/{case_id}").json()
    assert page["parties"][0]["id_number"] == APPLICANT["id_number"] and page["parties"][0]["masked"] is False
    found = mediator.post(f"{API}/cases/lookup", json={"id_number": APPLICANT["id_number"], "reason": "核实身份"})
    assert found.status_code == 200, found.text
    assert [(i["case_id"], i["id_masked"]) for i in found.json()["items"]] == [(case_id, "440304********1234")]
    admin = client_for(app, "admin1")
    log = admin.get(f"{API}/privacy/access-log").json()["items"]
    assert [(e["actor"], e["action"], e["case_id"]) for e in log] == [
        ("mediator1", "lookup", case_id), ("mediator1", "view", case_id), ("mediator1", "view", case_id)]
    assert log[0]["reason"] == "核实身份" and APPLICANT["id_number"] not in str(log)
    assert [e["action"] for e in admin.get(f"{API}/privacy/access-log",
                                           params={"actor": "mediator1", "limit": 1}).json()["items"]] == ["lookup"]
    assert mediator.get(f"{API}/privacy/access-log").status_code == 403


@pytest.mark.parametrize("user, body, status", [
    ("mediator1", {"id_number": APPLICANT["id_number"]}, 422),  # no reason
    ("mediator1", {"id_number": APPLICANT["id_number"], "reason": ""}, 422),
    ("mediator1", {"id_number": "4403\x00", "reason": "x"}, 422),
    ("mediator1", {"id_number": "440304********1234", "reason": "x"}, 422),
    ("mediator1", {"id_number": APPLICANT["id_number"], "reason": "   "}, 422),
    ("mediator1", {"id_number": "1" * 65, "reason": "x"}, 422),
    ("leader1", {"id_number": APPLICANT["id_number"], "reason": "x"}, 403),
    (None, {"id_number": APPLICANT["id_number"], "reason": "x"}, 401),
])
def test_bad_lookups_are_refused_and_not_logged(app, user, body, status):
    r = client_for(app, user).post(f"{API}/cases/lookup", json=body)
    assert r.status_code == status, r.text
    assert r.json()["error"]
    assert client_for(app, "admin1").get(f"{API}/privacy/access-log").json()["items"] == []


def test_a_missing_data_key_is_a_503_not_wrong_data(app, monkeypatch):
    case_id = start(app)
    monkeypatch.setenv("TIAOJIE_DATA_KEYS", f"other:{base64.b64encode(b'z' * 32).decode()}")
    get_settings.cache_clear()
    r = client_for(app, "mediator1").get(f"{API}/cases/{case_id}")
    assert r.status_code == 503, r.text
    assert r.json()["error"] == "data_key_missing" and "missing" in r.json()["detail"]
    zh = client_for(app, "mediator1", lang="zh-CN").get(f"{API}/cases/{case_id}").json()
    assert "数据密钥缺失" in zh["message"]
    assert client_for(app, "leader1").get(f"{API}/cases/{case_id}").status_code == 200  # masked: no key needed
