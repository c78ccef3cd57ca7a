"""Keeping a case with one person and moving work: continuity, reasons, group reassign, the people picker,
the handover preview and a handover to several colleagues."""

from datetime import UTC, datetime

from sqlalchemy import select

from engine.store.tables import cases
from tests.helpers.api import client_for
from tests.helpers.process_driver import accept_on, review, session
from tests.helpers.tasks import API, assert_4xx, case_events, event_count, setup, task_row
from tests.helpers.ui import lawyer_case, new_case

EXTRA = [("window3", "intake", ["福田社区"]), ("window4", "intake", ["福田社区", "岗厦社区"]),
         ("gone", "intake", ["福田社区"], False)]
NOTE = "王某调岗，在办工作移交"


def _complete(app, who, task_id, data):
    r = client_for(app, who).post(f"{API}/tasks/{task_id}/complete", json={"data": data})
    assert r.status_code == 200, r.text
    return r.json()["open_tasks"]


def test_a_mediator_does_consecutive_steps_without_claiming_again(db):
    app = setup(db)
    case_id, reviewing = lawyer_case(db)
    assert client_for(app, "lawyer1").post(f"{API}/tasks/{reviewing}/claim").status_code == 200
    [accept] = _complete(app, "lawyer1", reviewing, review("people_mediation"))
    assert (accept["element_id"], accept["status"], accept["assignee"]) == ("mediation_accept", "ready", None)
    assert client_for(app, "mediator1").post(f"{API}/tasks/{accept['id']}/claim").status_code == 200
    [meeting] = _complete(app, "mediator1", accept["id"], accept_on(datetime.now(UTC)))
    assert (meeting["element_id"], meeting["status"], meeting["assignee"]) == ("mediation_session", "claimed",
                                                                                "mediator1")
    mine = client_for(app, "mediator1").get(f"{API}/tasks", params={"mine": "true"}).json()["items"]
    assert [t["id"] for t in mine] == [meeting["id"]]
    pool = client_for(app, "mediator2").get(f"{API}/tasks", params={"status": "ready"}).json()["items"]
    assert meeting["id"] not in [t["id"] for t in pool]
    _complete(app, "mediator1", meeting["id"], session("agreement_reached"))  # no claim in between
    kept = case_events(db, case_id, "task_continued")
    assert [(e.task_id, e.actor, e.data["to"], e.data["after"]) for e in kept][0] == (
        meeting["id"], "mediator1", "mediator1", accept["id"])


def test_release_delegate_and_reassign_record_their_reasons(db):
    app = setup(db, EXTRA)
    case_id, task_id = new_case(db)
    window1, boss = client_for(app, "window1"), client_for(app, "super1")
    assert window1.post(f"{API}/tasks/{task_id}/claim").status_code == 200
    assert window1.post(f"{API}/tasks/{task_id}/release", json={"reason": "  需外出培训  "}).json()["status"] == "ready"
    assert window1.post(f"{API}/tasks/{task_id}/claim").status_code == 200
    r = window1.post(f"{API}/tasks/{task_id}/delegate", json={"username": "window3", "reason": "当事人约在周末"})
    assert r.json()["assignee"] == "window3"
    r = boss.post(f"{API}/tasks/{task_id}/assign", json={"username": "window4", "reason": "window3 休假"})
    assert (r.json()["assignee"], r.json()["status"]) == ("window4", "claimed")
    assert window1.post(f"{API}/tasks/{task_id}/release").status_code == 403  # no longer theirs
    assert [e.data.get("reason") for e in case_events(db, case_id) if e.kind in (
        "task_released", "task_delegated", "task_assigned")] == ["需外出培训", "当事人约在周末", "window3 休假"]
    assert client_for(app, "window4").post(f"{API}/tasks/{task_id}/release").status_code == 200  # reason optional
    assert "reason" not in case_events(db, case_id, "task_released")[-1].data


def test_a_supervisor_sends_a_task_to_another_groups_pool(db):
    app = setup(db, EXTRA)
    case_id, task_id = new_case(db)
    boss = client_for(app, "super1")
    assert client_for(app, "window1").post(f"{API}/tasks/{task_id}/claim").status_code == 200
    r = boss.post(f"{API}/tasks/{task_id}/assign", json={"group": "lawyer", "reason": "需律师先行甄别"})
    assert r.status_code == 200, r.text
    assert (r.json()["group"], r.json()["status"], r.json()["assignee"]) == ("lawyer", "ready", None)
    row = task_row(db, task_id)
    assert (row.candidate_group, row.status, row.assignee) == ("lawyer", "ready", None)
    [moved] = case_events(db, case_id, "task_regrouped")
    assert (moved.actor, moved.data) == ("super1", {"group": "lawyer", "previous_group": "intake",
                                                    "previous": "window1", "reason": "需律师先行甄别"})
    lawyer_pool = client_for(app, "lawyer1").get(f"{API}/tasks").json()["items"]
    assert task_id in [t["id"] for t in lawyer_pool]
    before = event_count(db)
    assert_4xx(boss.post(f"{API}/tasks/{task_id}/assign", json={"group": "cook"}), 422, "invalid_data")
    for body in ({}, {"username": "window1", "group": "intake"}, {"reason": "x"}):
        assert "请指定改派给某人或某一组（二选一）" in assert_4xx(
            boss.post(f"{API}/tasks/{task_id}/assign", json=body), 422)["fields"].values()
    assert_4xx(client_for(app, "lawyer1").post(f"{API}/tasks/{task_id}/assign", json={"group": "intake"}), 403)
    assert event_count(db) == before


def test_the_people_picker_lists_active_colleagues_of_the_group_and_community(db):
    app = setup(db, EXTRA)
    _, task_id = new_case(db)
    r = client_for(app, "super1").get(f"{API}/tasks/{task_id}/assignees")
    assert r.status_code == 200
    assert [p["username"] for p in r.json()] == ["window1", "window3", "window4"]  # not window2 (岗厦), not gone
    assert [p["username"] for p in client_for(app, "window1").get(f"{API}/tasks/{task_id}/assignees").json()] == [
        "window1", "window3", "window4"]
    assert_4xx(client_for(app, "mediator1").get(f"{API}/tasks/{task_id}/assignees"), 403)
    assert_4xx(client_for(app, "window2").get(f"{API}/tasks/{task_id}/assignees"), 404)


def _user_id(app, username):
    return next(u["id"] for u in client_for(app, "super1").get(f"{API}/users").json() if u["username"] == username)


def _owner(db, case_id):
    with db.begin() as conn:
        return conn.execute(select(cases.c.owner).where(cases.c.id == case_id)).scalar_one()


def test_the_handover_preview_lists_open_work_and_colleagues(db, departing):
    app, work = departing
    r = client_for(app, "super1").get(f"{API}/users/{_user_id(app, 'window1')}/handover/preview")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["user"]["username"] == "window1"
    assert [(t["id"], t["case_id"], t["group"], t["assignee"]) for t in body["tasks"]] == [
        (task_id, case_id, "intake", "window1") for case_id, task_id in work]
    assert [c["id"] for c in body["cases"]] == [case_id for case_id, _ in work]
    assert body["cases"][3]["community"] == "岗厦社区" and body["cases"][0]["case_number"]
    assert [c["username"] for c in body["colleagues"]] == ["window2", "window3", "window4"]  # active, same role
    assert_4xx(client_for(app, "window1").get(f"{API}/users/{_user_id(app, 'window1')}/handover/preview"), 403)
    assert_4xx(client_for(app, "super1").get(f"{API}/users/999999/handover/preview"), 404)


def test_a_handover_to_several_colleagues_moves_each_piece_as_chosen(db, departing):
    app, work = departing
    (a, ta), (b, tb), (c, tc), (d, td) = work
    kept_before = case_events(db, a, "task_claimed")
    r = client_for(app, "super1").post(f"{API}/users/{_user_id(app, 'window1')}/handover", json={
        "note": NOTE, "round_robin": ["window3", "window4"], "tasks": {tc: "window4"}, "cases": {d: "window4"}})
    assert r.status_code == 200, r.text
    assert (r.json()["to_user"], r.json()["to_users"], r.json()["tasks"], r.json()["cases"]) == (
        None, ["window3", "window4"], 4, 4)
    # in turn case by case (a→3, b→4, c→3), the task of c and all of d as chosen
    assert [task_row(db, t).assignee for t in (ta, tb, tc, td)] == ["window3", "window4", "window4", "window4"]
    assert [_owner(db, x) for x in (a, b, c, d)] == ["window3", "window4", "window3", "window4"]
    assert [(e.actor, e.data["to"], e.data["note"], e.data["tasks"], e.data["case_owner"])
            for e in case_events(db, c, "handover")] == [("super1", "window3", NOTE, [], True),
                                                        ("super1", "window4", NOTE, [tc], False)]
    assert case_events(db, a, "task_claimed") == kept_before  # earlier history untouched


def test_a_handover_that_cannot_place_everything_moves_nothing(db, departing):
    app, work = departing
    boss = client_for(app, "super1")
    uid = _user_id(app, "window1")
    before = event_count(db)
    r = boss.post(f"{API}/users/{uid}/handover", json={"note": NOTE, "round_robin": ["window3"]})
    assert assert_4xx(r, 422, "invalid_data")["fields"] == {"round_robin": "不负责岗厦社区"}
    r = boss.post(f"{API}/users/{uid}/handover", json={"note": NOTE, "tasks": {work[0][1]: "window3"}})
    assert assert_4xx(r, 422)["fields"] == {"to_user": "必填项"}
    r = boss.post(f"{API}/users/{uid}/handover", json={"note": NOTE, "to_user": "window4", "tasks": {"nope": "x"}})
    assert assert_4xx(r, 422)["fields"] == {"tasks": "不是离岗人员名下的待办任务"}
    r = boss.post(f"{API}/users/{uid}/handover", json={"note": NOTE, "to_user": "window4",
                                                        "cases": {str(work[0][0]): "gone"}})
    assert assert_4xx(r, 422)["fields"] == {"cases": "该用户已停用"}
    assert event_count(db) == before
    assert [task_row(db, t).assignee for _, t in work] == ["window1"] * 4
