"""异常 API (issue 17): the lists and the actions for supervisors and admins only (403 for the other roles); a
failed step retried once its draft is fixed; reasons required; a suspended case refuses its tasks."""

from datetime import UTC, datetime

from engine.store.tables import outbox
from tests.helpers.api import client_for
from tests.helpers.engine import start
from tests.helpers.scripts import deploy_script
from tests.helpers.tasks import API, assert_4xx, setup

OTHERS = ["window1", "mediator1", "lawyer1", "leader1"]


def scripted_app(db):
    """The app, and a process whose script divides by the submitted ``people``."""
    app = setup(db)
    deploy_script(db, "share = amount / people")
    return app


def failed_step(db, app):
    case = start(db, "scripted", {"community": "福田社区"}, actor="window1")
    task_id = case.open_tasks[0].id
    window = client_for(app, "window1")
    assert window.post(f"{API}/tasks/{task_id}/claim").status_code == 200
    r = window.post(f"{API}/tasks/{task_id}/complete", json={"data": {"amount": 100, "people": 0}})
    assert_4xx(r, 409, "step_failed")
    return case, task_id, r.json()["incident"]


def test_only_supervisors_and_admins_see_and_act_on_exceptions(db):
    app = scripted_app(db)
    case, _, incident = failed_step(db, app)
    calls = [("get", f"{API}/exceptions", None), ("get", f"{API}/cases/{case.id}/exceptions", None),
             ("post", f"{API}/incidents/{incident}/retry", None),
             ("post", f"{API}/incidents/{incident}/skip", {"reason": "跳过"}),
             ("post", f"{API}/cases/{case.id}/suspend", {"reason": "挂起"}),
             ("post", f"{API}/cases/{case.id}/reactivate", {"reason": "恢复"}),
             ("post", f"{API}/cases/{case.id}/end", {"reason": "结束"}),
             ("post", f"{API}/emails/1/retry", None), ("post", f"{API}/emails/1/drop", {"reason": "放弃"})]
    for username in OTHERS:
        client = client_for(app, username)
        for method, url, body in calls:
            r = client.request(method.upper(), url, json=body)
            assert_4xx(r, 403, "forbidden")
    for username in ("super1", "admin1"):
        listed = client_for(app, username).get(f"{API}/exceptions").json()
        assert [i["id"] for i in listed["incidents"]] == [incident]


def test_a_failed_step_is_retried_after_its_draft_is_fixed(db):
    app = scripted_app(db)
    case, task_id, incident = failed_step(db, app)
    boss = client_for(app, "super1")
    [item] = boss.get(f"{API}/exceptions").json()["incidents"]
    assert item["element_id"] == "boom" and "division by zero" in item["message"] and item["task_name"] == "第一步"
    assert_4xx(boss.post(f"{API}/incidents/{incident}/retry"), 409, "step_failed")
    assert boss.get(f"{API}/cases/{case.id}/exceptions").json()["incidents"][0]["attempts"] == 2
    window = client_for(app, "window1")
    assert window.put(f"{API}/tasks/{task_id}/draft", json={"data": {"amount": 100, "people": 4}}).status_code == 200
    r = boss.post(f"{API}/incidents/{incident}/retry")
    assert r.status_code == 200, r.text
    assert [t["name"] for t in r.json()["open_tasks"]] == ["第二步"]
    assert boss.get(f"{API}/exceptions").json()["incidents"] == []
    actions = boss.get(f"{API}/cases/{case.id}/exceptions").json()["actions"]
    assert [a["action"] for a in actions] == ["retry", "retry"] and actions[0]["actor"] == "super1"


def test_every_action_but_a_retry_needs_a_reason(db):
    app = scripted_app(db)
    case, _, incident = failed_step(db, app)
    boss = client_for(app, "super1")
    for url in (f"incidents/{incident}/skip", f"cases/{case.id}/suspend", f"cases/{case.id}/end",
                "emails/1/drop"):
        assert_4xx(boss.post(f"{API}/{url}", json={"reason": "   "}), 422)
        assert_4xx(boss.post(f"{API}/{url}", json={}), 422)
    r = boss.post(f"{API}/incidents/{incident}/skip", json={"reason": "人数待核实"})
    assert r.status_code == 200 and r.json()["skipped"] is True


def test_a_suspended_case_refuses_its_task_until_reactivated(db):
    app = scripted_app(db)
    case = start(db, "scripted", {"community": "福田社区"}, actor="window1")
    task_id = case.open_tasks[0].id
    boss, window = client_for(app, "super1"), client_for(app, "window1")
    assert boss.post(f"{API}/cases/{case.id}/suspend", json={"reason": "等待上级意见"}).json()["status"] == "suspended"
    assert window.post(f"{API}/tasks/{task_id}/claim").status_code == 200
    assert_4xx(window.post(f"{API}/tasks/{task_id}/complete", json={"data": {"amount": 1, "people": 1}}), 409)
    assert_4xx(boss.post(f"{API}/cases/{case.id}/suspend", json={"reason": "again"}), 409)
    assert boss.post(f"{API}/cases/{case.id}/reactivate", json={"reason": "已答复"}).json()["status"] == "active"
    r = window.post(f"{API}/tasks/{task_id}/complete", json={"data": {"amount": 1, "people": 1}})
    assert r.status_code == 200, r.text
    assert boss.post(f"{API}/cases/{case.id}/end", json={"reason": "撤回"}).json()["status"] == "cancelled"


def test_a_failed_email_is_sent_again_or_dropped(db):
    app = scripted_app(db)
    now = datetime.now(UTC)
    with db.begin() as conn:
        ids = [conn.execute(outbox.insert().values(
            dedupe_key=f"k{i}", to_address="x@example.org", template="digest", context={}, status="failed",
            attempts=5, next_attempt_at=now, last_error="550 no such user", message_id=f"<m{i}@x>", created_at=now)
            .returning(outbox.c.id)).scalar_one() for i in range(2)]
    boss = client_for(app, "admin1")
    assert [e["error"] for e in boss.get(f"{API}/exceptions").json()["emails"]] == ["550 no such user"] * 2
    assert boss.post(f"{API}/emails/{ids[0]}/retry").json() == {"id": ids[0], "status": "pending"}
    assert boss.post(f"{API}/emails/{ids[1]}/drop", json={"reason": "地址已停用"}).json()["status"] == "dropped"
    assert_4xx(boss.post(f"{API}/emails/{ids[1]}/retry"), 409)
    assert boss.get(f"{API}/exceptions").json()["emails"] == []
