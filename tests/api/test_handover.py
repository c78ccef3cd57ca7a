"""Handover of a departing caseworker's work, and the user list supervisors see."""

import pytest
from sqlalchemy import select

from engine.cases import service
from engine.store.tables import cases
from tests.helpers.api import client_for
from tests.helpers.process_driver import intake
from tests.helpers.tasks import API, assert_4xx, case_events, event_count, setup, task_row
from tests.helpers.ui import new_case

EXTRA = [("window3", "intake", ["福田社区"]), ("window4", "intake", ["福田社区"]),
         ("gone", "intake", ["福田社区"], False)]
NOTE = "王某调岗，其在办案件移交李某"


def user_id(app, username: str) -> int:
    listed = client_for(app, "super1").get(f"{API}/users").json()
    return next(u["id"] for u in listed if u["username"] == username)


def owner(db, case_id):
    with db.begin() as conn:
        return conn.execute(select(cases.c.owner).where(cases.c.id == case_id)).scalar_one()


def departing_work(db, app):
    """window1's work: a claimed task, a completed task on an active case, a delegated task, a closed case."""
    held_case, held = new_case(db)
    assert client_for(app, "window1").post(f"{API}/tasks/{held}/claim").status_code == 200
    done_case, done = new_case(db)
    assert client_for(app, "window1").post(f"{API}/tasks/{done}/complete", json={"data": intake()}).status_code == 200
    lent_case, lent = new_case(db, actor="window4")  # owned by window4; window1 delegated the task to window4
    window1 = client_for(app, "window1")
    assert window1.post(f"{API}/tasks/{lent}/claim").status_code == 200
    assert window1.post(f"{API}/tasks/{lent}/delegate", json={"username": "window4"}).status_code == 200
    closed_case, _ = new_case(db)
    with db.begin() as conn:
        service.cancel_case(conn, closed_case, "window1", "当事人撤回申请")
    untouched_case, untouched = new_case(db, actor="window4")
    return {"held": (held_case, held), "done": (done_case, done), "lent": (lent_case, lent),
            "closed": closed_case, "untouched": (untouched_case, untouched)}


def test_handover_moves_open_work_and_keeps_history(db):
    app = setup(db, EXTRA)
    work = departing_work(db, app)
    (held_case, held), (done_case, done), (lent_case, lent) = work["held"], work["done"], work["lent"]
    completed_before = case_events(db, done_case, "task_completed")

    r = client_for(app, "super1").post(f"{API}/users/{user_id(app, 'window1')}/handover",
                                       json={"to_user": "window3", "note": NOTE})
    assert r.status_code == 200, r.text
    assert {k: v for k, v in r.json().items() if k != "moves"} == {
        "from_user": "window1", "to_user": "window3", "to_users": ["window3"], "tasks": 2, "cases": 2}
    assert sorted((m["case_id"], m["to"], m["tasks"], m["case_owner"]) for m in r.json()["moves"]) == [
        (held_case, "window3", [held], True), (done_case, "window3", [], True), (lent_case, "window3", [lent], False)]

    assert (task_row(db, held).assignee, task_row(db, held).status) == ("window3", "claimed")
    assert (task_row(db, lent).assignee, task_row(db, lent).owner) == ("window4", "window3")
    assert owner(db, held_case) == owner(db, done_case) == "window3"
    assert owner(db, work["closed"]) == "window1"  # a closed case keeps its history
    assert owner(db, lent_case) == "window4" and owner(db, work["untouched"][0]) == "window4"
    assert task_row(db, work["untouched"][1]).assignee is None
    # the departing user's completed history is unchanged
    assert task_row(db, done).completed_by == "window1" and task_row(db, done).status == "completed"
    assert case_events(db, done_case, "task_completed") == completed_before
    assert [e.actor for e in case_events(db, held_case, "task_claimed")] == ["window1"]

    for case_id, moved_tasks, moved_case in [(held_case, [held], True), (done_case, [], True),
                                             (lent_case, [lent], False)]:
        timeline = case_events(db, case_id, "handover")
        assert [(e.actor, e.data) for e in timeline] == [
            ("super1", {"from": "window1", "to": "window3", "note": NOTE, "tasks": moved_tasks,
                        "case_owner": moved_case})], case_id
    assert case_events(db, work["closed"], "handover") == []
    assert case_events(db, work["untouched"][0], "handover") == []

    mine = client_for(app, "window3").get(f"{API}/tasks", params={"mine": "true"})
    assert [t["id"] for t in mine.json()["items"]] == [held]
    assert client_for(app, "window3").post(f"{API}/tasks/{held}/complete", json={"data": intake()}).status_code == 200


def test_nothing_to_hand_over_is_zero(db):
    app = setup(db, EXTRA)
    r = client_for(app, "super1").post(f"{API}/users/{user_id(app, 'window4')}/handover",
                                       json={"to_user": "window3", "note": NOTE})
    assert r.status_code == 200 and (r.json()["tasks"], r.json()["cases"]) == (0, 0)


@pytest.mark.parametrize(("to_user", "reason"), [
    ("ghost", "没有此用户"), ("mediator1", "须为该任务所需角色的用户"), ("gone", "该用户已停用"),
    ("window1", "不能交接给离岗人员本人"), ("window2", "不负责福田社区"),
])  # in Chinese: a Chinese page shows these next to the field
def test_the_target_must_exist_share_the_role_and_serve_the_communities(db, to_user, reason):
    app = setup(db, EXTRA)
    work = departing_work(db, app)
    before = event_count(db)
    r = client_for(app, "super1").post(f"{API}/users/{user_id(app, 'window1')}/handover",
                                       json={"to_user": to_user, "note": NOTE})
    assert assert_4xx(r, 422, "invalid_data")["fields"] == {"to_user": reason}
    assert event_count(db) == before  # nothing moved, nothing logged
    assert task_row(db, work["held"][1]).assignee == "window1" and owner(db, work["held"][0]) == "window1"
    assert task_row(db, work["lent"][1]).owner == "window1"


def test_only_supervisors_hand_over(db):
    app = setup(db, EXTRA)
    uid = user_id(app, "window1")
    for who in ("window1", "mediator1", "leader1", "admin1"):
        r = client_for(app, who).post(f"{API}/users/{uid}/handover", json={"to_user": "window3", "note": NOTE})
        assert_4xx(r, 403, "forbidden")
    boss = client_for(app, "super1")
    assert_4xx(boss.post(f"{API}/users/999999/handover", json={"to_user": "window3", "note": NOTE}), 404)
    assert_4xx(boss.post(f"{API}/users/abc/handover", json={"to_user": "window3", "note": NOTE}), 422)
    assert boss.post(f"{API}/users/{uid}/handover", json={"to_user": "window3"}).json()["fields"] == {
        "note": "必填项"}
    assert boss.post(f"{API}/users/{uid}/handover", json={"to_user": "window3", "note": NOTE, "force": 1}
                     ).json()["fields"] == {"force": "不允许的字段"}
    assert_4xx(boss.post(f"{API}/users/{uid}/handover", content=b"{", headers={"Content-Type": "application/json"}),
               422, "malformed_json")
    sup = user_id(app, "super1")
    r = boss.post(f"{API}/users/{sup}/handover", json={"to_user": "window3", "note": NOTE})
    assert "user" in assert_4xx(r, 422)["fields"]  # a supervisor's work is not handed over this way


def test_user_list_and_detail(db):
    app = setup(db, EXTRA)
    listed = client_for(app, "super1").get(f"{API}/users")
    assert listed.status_code == 200
    by_name = {u["username"]: u for u in listed.json()}
    assert by_name["lawyer1"]["communities"] == ["岗厦社区", "福田社区"]
    assert by_name["gone"]["active"] is False and by_name["super1"]["communities"] == []
    assert set(by_name["window1"]) == {"id", "username", "display_name", "role", "communities", "active", "email",
                                       "groups", "must_change_password", "created_at", "last_login_at"}
    assert client_for(app, "admin1").get(f"{API}/users").status_code == 200
    assert_4xx(client_for(app, "window1").get(f"{API}/users"), 403)
    one = client_for(app, "admin1").get(f"{API}/users/{by_name['lawyer1']['id']}")
    assert one.json() == by_name["lawyer1"]
    assert_4xx(client_for(app, "super1").get(f"{API}/users/424242"), 404, "not_found")
    assert_4xx(client_for(app, "mediator1").get(f"{API}/users/{by_name['lawyer1']['id']}"), 403)
    en = client_for(app, "super1", lang="en").get(f"{API}/users/x")
    assert en.status_code == 422 and en.json()["fields"] == {"user_id": "must be an integer"}
