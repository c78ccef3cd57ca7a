"""SLA rules (时限规则) from the office: roles, a change previewed then saved moves the open deadline, history,
retiring, a new rule, who is alerted."""

from datetime import datetime

from tests.helpers.api import client_for

BASE = "/api/v1/deadlines/sla-rules"
RULE = "examine_10d"  # the review case's 10-day rule (tests.helpers.deadlines)


def _due(app, case_id):
    rows = client_for(app, "super1").get(f"/api/v1/deadlines/cases/{case_id}").json()
    (sla,) = [r for r in rows if r["rule_key"] == RULE]
    return datetime.fromisoformat(sla["due_at"])


def test_only_supervisors_change_rules_leaders_and_admins_read_them(deadline_setup):
    app, _, _ = deadline_setup
    new = {"key": "examine_extra", "name": "补充审查（5个工作日）", "process_key": "review", "element_id": "examine",
           "duration": "5 个工作日"}
    for user, read in [("super1", 200), ("leader1", 200), ("admin1", 200), ("mediator1", 403), ("window1", 403),
                       (None, 401)]:
        c = client_for(app, user)
        assert c.get(BASE).status_code == read, user
        assert c.get(f"{BASE}/{RULE}/history").status_code == read, user
    for user in ("leader1", "admin1", "mediator1", "lawyer1"):
        c = client_for(app, user)
        assert c.post(f"{BASE}/{RULE}/preview", json={"duration": 12}).status_code == 403, user
        assert c.put(f"{BASE}/{RULE}", json={"duration": 12}).status_code == 403, user
        assert c.post(BASE, json=new).status_code == 403, user
    assert client_for(app, None).post(f"{BASE}/{RULE}/preview", json={"duration": 12}).status_code == 401


def test_a_change_is_previewed_then_saved_and_moves_the_open_deadline(deadline_setup):
    app, case, sla = deadline_setup
    sup = client_for(app, "super1")
    before = _due(app, case.id)
    r = sup.post(f"{BASE}/{RULE}/preview", json={"duration": "20 日"})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["open"] == 1 and body["old"] == {"duration": 10} and body["new"] == {"duration": 20}
    (move,) = body["moves"]
    assert move["case_number"] == case.case_number and move["case_id"] == case.id
    assert datetime.fromisoformat(move["old_due"]) == before
    # started Monday 2 March: 20 days end Sunday 22 March, a rest day, so the end of Monday 23 March (Shanghai)
    assert move["new_due"] == "2026-03-23T15:59:59.999999Z" and before.day == 12
    assert _due(app, case.id) == before  # a preview writes nothing

    r = sup.put(f"{BASE}/{RULE}", json={"duration": "20 日", "reason": "区司法局通知延长"})
    assert r.status_code == 200, r.text
    assert r.json()["limit_text"] == "20 日" and len(r.json()["moved"]) == 1
    assert _due(app, case.id) == datetime.fromisoformat(move["new_due"])
    timeline = sup.get(f"/api/v1/cases/{case.id}").json()["timeline"]
    (ev,) = [e for e in timeline if e["kind"] == "deadline_recomputed"]
    assert ev["data"]["new_due"] == move["new_due"].replace("Z", "+00:00") and ev["data"]["rule"] == RULE

    (version,) = sup.get(f"{BASE}/{RULE}/history").json()
    assert (version["action"], version["old"], version["new"]) == ("changed", {"duration": 10}, {"duration": 20})
    assert (version["reason"], version["moved"], version["changed_by"]) == ("区司法局通知延长", 1, "super1")


def test_a_change_of_the_warning_alone_moves_no_due_time(deadline_setup):
    app, case, _ = deadline_setup
    sup = client_for(app, "super1")
    before = _due(app, case.id)
    r = sup.post(f"{BASE}/{RULE}/preview", json={"warn_before_hours": 48})
    (move,) = r.json()["moves"]
    assert move["old_due"] == move["new_due"] and move["new_warn"] != move["old_warn"]
    sup.put(f"{BASE}/{RULE}", json={"warn_before_hours": 48})
    assert _due(app, case.id) == before


def test_retiring_a_rule_moves_nothing_and_is_in_its_history(deadline_setup):
    app, case, _ = deadline_setup
    sup = client_for(app, "super1")
    before = _due(app, case.id)
    assert sup.post(f"{BASE}/{RULE}/preview", json={"active": False}).json()["moves"] == []
    r = sup.put(f"{BASE}/{RULE}", json={"active": False, "reason": "并入新规则"})
    assert r.status_code == 200 and r.json()["active"] is False and r.json()["open_deadlines"] == 1
    assert _due(app, case.id) == before
    r = sup.put(f"{BASE}/{RULE}", json={"active": True})
    assert [v["action"] for v in sup.get(f"{BASE}/{RULE}/history").json()] == ["restored", "retired"]


def test_a_new_rule_is_listed_with_its_history_and_a_key_is_taken_once(deadline_setup):
    app, _, _ = deadline_setup
    sup = client_for(app, "super1")
    new = {"key": "examine_extra", "name": "补充审查（5个工作日）", "process_key": "review", "element_id": "examine",
           "duration": "5 个工作日", "starts_from": "accepted_on", "alerts": ["supervisor"], "reason": "新增"}
    r = sup.post(BASE, json=new)
    assert r.status_code == 201, r.text
    got = r.json()
    assert (got["duration"], got["clock"], got["limit_text"]) == (5, "workdays", "5 个工作日")
    assert (got["starts_from"], got["alerts"], got["active"], got["kind"]) == ("accepted_on", ["supervisor"], True, "sla")
    assert "examine_extra" in {x["key"] for x in sup.get(BASE).json()}
    (version,) = sup.get(f"{BASE}/examine_extra/history").json()
    assert version["action"] == "created" and version["new"]["duration"] == 5 and version["reason"] == "新增"
    r = sup.post(BASE, json=new)
    assert r.status_code == 409 and r.json()["message"] == "已有同一编码的时限规则", r.text


def test_who_is_alerted_is_rule_data(deadline_setup):
    app, _, _ = deadline_setup
    sup = client_for(app, "super1")
    listed = {x["key"]: x for x in sup.get(BASE).json()}
    assert listed[RULE]["alerts"] == ["assignee", "supervisor", "leader"]
    r = sup.put(f"{BASE}/{RULE}", json={"alerts": ["leader", "assignee"]})
    assert r.json()["alerts"] == ["assignee", "leader"]
    assert sup.put(f"{BASE}/{RULE}", json={"alerts": ["mayor"]}).status_code == 422


def test_bad_changes_are_refused_with_reasons(deadline_setup):
    app, _, _ = deadline_setup
    sup = client_for(app, "super1")
    for body in [{"starts_from": "birthday"}, {"duration": "3 个月"}, {"key": "x"}, {"process_key": "other"}]:
        r = sup.post(f"{BASE}/{RULE}/preview", json=body)
        assert r.status_code == 422, (body, r.text)
    assert sup.post(f"{BASE}/no_such_rule/preview", json={"duration": 2}).status_code == 404
    assert sup.get(f"{BASE}/no_such_rule/history").status_code == 404
    r = sup.post(BASE, json={"key": "k", "name": "n", "process_key": "review", "element_id": "examine"})
    assert r.status_code == 422 and "duration" in r.json()["fields"], r.text


def test_the_rules_page_is_for_supervisors_leaders_and_admins(deadline_setup):
    app, _, _ = deadline_setup
    for user, status in [("super1", 200), ("leader1", 200), ("admin1", 200), ("mediator1", 403), ("window1", 403)]:
        r = client_for(app, user, cookies=True).get("/sla-rules")
        assert r.status_code == status, user
    page = client_for(app, "super1", cookies=True).get("/sla-rules").text
    assert "时限规则" in page and "/static/sla-rules.js" in page
