"""Deadline endpoints: SLA rules, pause/resume, extensions, a case's deadlines; roles and bad input."""


from tests.helpers.api import client_for

BASE = "/api/v1/deadlines"


def test_sla_rules_read_and_change(deadline_setup):
    app, _, _ = deadline_setup
    for user, status in [("super1", 200), ("leader1", 200), ("admin1", 200), ("mediator1", 403), (None, 401)]:
        r = client_for(app, user).get(f"{BASE}/sla-rules")
        assert r.status_code == status, (user, r.text)
    keys = [r["key"] for r in client_for(app, "super1").get(f"{BASE}/sla-rules").json()]
    assert "intake_register_1wd" in keys
    sup = client_for(app, "super1")
    r = sup.put(f"{BASE}/sla-rules/intake_register_1wd", json={"duration": 2, "escalate_after_hours": 12,
                                                              "warn_fraction": "0.5"})
    assert r.status_code == 200, r.text
    assert (r.json()["duration"], r.json()["escalate_after_hours"], r.json()["updated_by"]) == (2, 12, "super1")
    assert client_for(app, "leader1").put(f"{BASE}/sla-rules/intake_register_1wd",
                                          json={"duration": 3}).status_code == 403
    for body in [{"duration": 0}, {"clock": "weeks"}, {"warn_fraction": 1.5}, {"escalate_after_hours": -1},
                 {"bogus": 1}, {}, {"duration": "x"}]:
        r = sup.put(f"{BASE}/sla-rules/intake_register_1wd", json=body)
        assert r.status_code == 422, (body, r.text)
    assert sup.put(f"{BASE}/sla-rules/no_such_rule", json={"duration": 2}).status_code == 404
    assert sup.put(f"{BASE}/sla-rules/bad key!", json={"duration": 2}).status_code in (404, 422)


def test_sla_rule_limits_written_the_office_way(deadline_setup):
    app, _, _ = deadline_setup
    sup = client_for(app, "super1")
    r = sup.put(f"{BASE}/sla-rules/intake_register_1wd", json={"duration": "20 个工作日"})
    assert r.status_code == 200, r.text
    assert (r.json()["duration"], r.json()["clock"], r.json()["limit_text"]) == (20, "workdays", "20 个工作日")
    r = sup.put(f"{BASE}/sla-rules/intake_register_1wd", json={"duration": "P30D"})
    assert (r.json()["duration"], r.json()["clock"], r.json()["limit_text"]) == (30, "natural", "30 日")
    listed = {x["key"]: x for x in sup.get(f"{BASE}/sla-rules").json()}
    assert listed["intake_register_1wd"]["limit_text"] == "30 日"
    r = sup.put(f"{BASE}/sla-rules/intake_register_1wd", json={"duration": "30 工作"})
    assert r.status_code == 422 and r.json()["fields"]["duration"].startswith("无法识别的期限"), r.text
    assert "unrecognised duration: 30 工作" in r.json()["detail"]
    r = client_for(app, "super1", lang="en").put(f"{BASE}/sla-rules/intake_register_1wd", json={"duration": "3 个月"})
    assert r.status_code == 422
    assert r.json()["fields"]["duration"] == "a rule's limit counts in days, working days or hours"
    assert sup.put(f"{BASE}/sla-rules/intake_register_1wd", json={"duration": "x" * 41}).status_code == 422


def test_pause_resume_and_the_case_deadlines(deadline_setup):
    app, case, sla = deadline_setup
    url = f"{BASE}/cases/{case.id}"
    assert client_for(app, "window2").post(f"{url}/pause", json={"reason": "x"}).status_code == 404  # other community
    assert client_for(app, "leader1").post(f"{url}/pause", json={"reason": "x"}).status_code == 403
    med = client_for(app, "mediator1")
    assert med.post(f"{url}/pause", json={}).status_code == 422
    assert med.post(f"{url}/pause", json={"reason": ""}).status_code == 422
    r = med.post(f"{url}/pause", json={"reason": "等待被申请人到场"})
    assert r.status_code == 200 and r.json()["paused_deadlines"] == 2, r.text
    assert med.post(f"{url}/pause", json={"reason": "again"}).status_code == 409
    rows = med.get(url).json()
    assert {d["status"] for d in rows} == {"paused"}
    r = client_for(app, "super1").post(f"{url}/resume")
    assert r.status_code == 200, r.text
    assert med.post(f"{url}/resume").status_code == 409
    assert {d["status"] for d in med.get(url).json()} == {"pending"}
    assert med.get(f"{BASE}/cases/999999").status_code == 404
    assert med.get(f"{BASE}/cases/0").status_code == 422
    assert client_for(app, "window2").get(url).status_code == 404


def test_extend_by_supervisor_or_leader(deadline_setup):
    app, case, sla = deadline_setup
    url = f"{BASE}/{sla.id}/extend"
    body = {"amount": 5, "clock": "workdays", "reason": "案情复杂，经批准延长"}
    assert client_for(app, "mediator1").post(url, json=body).status_code == 403
    lead = client_for(app, "leader1")
    for bad in [{**body, "amount": 0}, {**body, "clock": "weeks"}, {**body, "reason": ""}, {"amount": 5},
                {**body, "amount": "x"}, {**body, "extra": 1}]:
        assert lead.post(url, json=bad).status_code == 422, bad
    assert lead.post(f"{BASE}/999999/extend", json=body).status_code == 404
    r = lead.post(url, json=body)
    assert r.status_code == 200, r.text
    timer = [d for d in lead.get(f"{BASE}/cases/{case.id}").json() if d["kind"] == "timer"][0]
    assert lead.post(f"{BASE}/{timer['id']}/extend", json=body).status_code == 409
    sla_row = [d for d in lead.get(f"{BASE}/cases/{case.id}").json() if d["kind"] == "sla"][0]
    assert sla_row["due_at"] == r.json()["new_due_at"] and r.json()["old_due_at"] != r.json()["new_due_at"]
