"""决策表 endpoints: list, open, check, try, publish, versions and the cell diff; supervisors and admins only; errors
as problem JSON in the user's language."""

import pytest

from tests.helpers.api import client_for

API = "/api/v1/decisions"
ID = "screening_route"
OLD_CELL = '<outputEntry id="rule_08_out_route"><text>"labour_mediation"</text></outputEntry>'
NEW_CELL = '<outputEntry id="rule_08_out_route"><text>"people_mediation"</text></outputEntry>'
LABOUR = {"request_kind": "mediation", "dispute_type": "labour", "arbitration_clause": False,
          "source": "party_application"}
pytestmark = pytest.mark.process_set


def test_a_supervisor_edits_tries_publishes_and_diffs_the_screening_table(app, sup):
    [row] = sup.get(API).json()
    assert (row["id"], row["rules"], [p["key"] for p in row["processes"]]) == (ID, 10, ["dispute_case"])
    d = sup.get(f"{API}/{ID}").json()
    assert d["process"] == {"key": "dispute_case", "name": d["process"]["name"], "version": 1}
    assert [f["name"] for f in d["fields"]] == ["request_kind", "dispute_type", "arbitration_clause", "source"]
    xml = d["xml"].replace(OLD_CELL, NEW_CELL)

    tried = sup.post(f"{API}/{ID}/try", json={"xml": xml, "inputs": LABOUR})
    assert tried.status_code == 200, tried.text
    assert tried.json()["matched"] == [{"id": "rule_08", "row": 8, "annotation": "劳动争议调解"}]
    assert tried.json()["outputs"]["route"] == "people_mediation"
    assert tried.json()["output_labels"] == {"route": "建议分流", "route_reason": "分流理由"}

    assert sup.post(f"{API}/{ID}/validate", json={"xml": xml}).json()["ok"] is True
    published = sup.post(f"{API}/{ID}/publish", json={"xml": xml})
    assert published.status_code == 201, published.text
    assert [(p["key"], p["version"]) for p in published.json()["definitions"] if p["is_new"]] == [("dispute_case", 2)]

    admin = client_for(app, "admin1")
    versions = admin.get(f"{API}/{ID}/versions").json()
    assert [v["version"] for v in versions["versions"]] == [1, 2] and versions["versions"][1]["created_by"] == "super1"
    diff = admin.get(f"{API}/{ID}/versions/1/diff/2").json()
    assert diff["rules_changed"][0]["cells"] == [{"column": "建议分流", "kind": "output", "old": '"labour_mediation"',
                                                 "new": '"people_mediation"'}]


def test_a_broken_edit_is_refused_with_located_problems_in_the_users_language(sup):
    xml = sup.get(f"{API}/{ID}").json()["xml"].replace("<text>True</text>", "<text>True ==</text>", 1)
    for path in ("validate", "publish"):
        r = sup.post(f"{API}/{ID}/{path}", json={"xml": xml}, headers={"Accept-Language": "zh-CN"})
        assert r.status_code == 422, r.text
        body = r.json()
        assert body["error"] == "definition_rejected" and body["message"] == "流程定义校验未通过"
        assert body["problems"][0]["file"] == "screening.dmn"
    assert [v["version"] for v in sup.get(f"{API}/{ID}/versions").json()["versions"]] == [1]  # nothing published
    bad = sup.post(f"{API}/{ID}/try", json={"xml": "<definitions", "inputs": {}})
    assert bad.status_code == 422 and bad.json()["error"] == "definition_rejected"


def test_a_cell_failing_on_the_sample_input_is_a_clear_422(sup):
    xml = sup.get(f"{API}/{ID}").json()["xml"].replace(
        '<text>"consultation"</text></inputEntry>', "<text>? > 3</text></inputEntry>", 1)
    r = sup.post(f"{API}/{ID}/try", json={"xml": xml, "inputs": {"request_kind": "mediation"}})
    assert r.status_code == 422
    assert r.json()["error"] == "decision_failed" and r.json()["message"].startswith("决策表在该输入上求值出错")


def test_requests_are_checked_by_their_schema(sup):
    xml = sup.get(f"{API}/{ID}").json()["xml"]
    assert sup.post(f"{API}/{ID}/try", json={"xml": xml, "inputs": {"source": "x" * 201}}).status_code == 422
    assert sup.post(f"{API}/{ID}/try", json={"xml": xml, "inputs": {"source": {"x": 1}}}).status_code == 422
    assert sup.post(f"{API}/{ID}/try", json={"xml": xml, "extra": 1}).status_code == 422
    assert sup.post(f"{API}/{ID}/publish", json={}).status_code == 422
    assert sup.get(f"{API}/no_such_table").status_code == 404
    assert sup.get(f"{API}/{ID}/versions/1/diff/9").status_code == 404


@pytest.mark.parametrize("user", ["window1", "mediator1", "lawyer1", "leader1"])
def test_only_supervisors_and_admins_reach_the_decision_tables(app, sup, user):
    xml = sup.get(f"{API}/{ID}").json()["xml"]
    client = client_for(app, user)
    assert client.get(API).status_code == 403
    assert client.get(f"{API}/{ID}").status_code == 403
    assert client.post(f"{API}/{ID}/validate", json={"xml": xml}).status_code == 403
    assert client.post(f"{API}/{ID}/try", json={"xml": xml, "inputs": {}}).status_code == 403
    assert client.post(f"{API}/{ID}/publish", json={"xml": xml}).status_code == 403
    assert client.get(f"{API}/{ID}/versions").status_code == 403
    assert client.get(f"{API}/{ID}/versions/1/diff/1").status_code == 403
    assert client_for(app).get(API).status_code == 401
