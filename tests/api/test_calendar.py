"""The holiday calendar over HTTP: status and the banner (31 October / 1 November), a year, setting a day,
importing a year (roles, bad files), and the 日历未确认 mark on deadlines, the case page and task items,
recomputed when 2027 is entered."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from engine.deadlines import rules
from engine.store import deadlines as store
from tests.helpers.api import client_for
from tests.helpers.engine import complete, deploy, start

API = "/api/v1"
SHANGHAI = ZoneInfo("Asia/Shanghai")
OCT_31 = datetime(2026, 10, 31, 4, 0, tzinfo=UTC)  # 12:00 Shanghai
NOV_1 = datetime(2026, 11, 1, 1, 0, tzinfo=UTC)  # 09:00 Shanghai
NEW_YEAR_EVE = datetime(2026, 12, 31, 2, 0, tzinfo=UTC)
CAL_2027 = "date,kind,name\n2027-01-01,rest,元旦\n2027-01-02,rest,元旦\n2027-01-03,rest,元旦\n"
BANNER = "2027 年节假日安排尚未录入，涉及 2027 年的期限按周一至周五暂算"


def local(iso: str) -> str:
    return datetime.fromisoformat(iso).astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


def upload(client, text: str, source: str | None = None):
    data = {"source": source} if source else {}
    return client.post(f"{API}/calendar/import", files={"file": ("2027.csv", text.encode(), "text/csv")}, data=data)


@pytest.mark.parametrize(("at", "banner"), [(OCT_31, None), (NOV_1, BANNER)])
def test_status_and_banner_from_the_first_of_november(app, at, banner):
    with time_machine.travel(at, tick=False):
        r = client_for(app, "super1").get(f"{API}/calendar/status")
        assert r.status_code == 200
        body = r.json()
        assert body["banner"] == banner and body["this_year_confirmed"] and not body["next_year_confirmed"]
        assert body["banner_year"] == (2027 if banner else None)
        for who in ("super1", "admin1"):
            page = client_for(app, who, cookies=True).get("/")
            assert page.status_code == 200
            assert ('data-testid="calendar-banner"' in page.text) is bool(banner)
            assert (BANNER in page.text) is bool(banner)
        page = client_for(app, "mediator1", cookies=True).get("/")
        assert 'data-testid="calendar-banner"' not in page.text


def test_banner_in_english_and_gone_once_2027_is_entered(app):
    with time_machine.travel(NOV_1, tick=False):
        page = client_for(app, "admin1", cookies=True).get("/?lang=en")
        assert "The 2027 public holiday calendar is not entered yet" in page.text
        assert 'href="/calendar"' in page.text  # the nav link and the banner's action, for admins
        assert upload(client_for(app, "admin1"), CAL_2027, "国办发明电〔2026〕样例").status_code == 200
        page = client_for(app, "admin1", cookies=True).get("/")
        assert 'data-testid="calendar-banner"' not in page.text
        assert client_for(app, "super1").get(f"{API}/calendar/status").json()["banner"] is None


def test_roles(app):
    mediator, sup, admin = client_for(app, "mediator1"), client_for(app, "super1"), client_for(app, "admin1")
    assert mediator.get(f"{API}/calendar/status").status_code == 403
    assert mediator.get(f"{API}/calendar/2026").status_code == 403
    assert sup.get(f"{API}/calendar/2026").status_code == 200
    assert sup.put(f"{API}/calendar/days/2027-01-01", json={"kind": "rest"}).status_code == 403
    assert upload(sup, CAL_2027).status_code == 403
    assert admin.put(f"{API}/calendar/days/2027-01-01", json={"kind": "rest", "name": "元旦"}).status_code == 200
    page = client_for(app, "super1", cookies=True)
    assert page.get("/calendar").status_code == 200
    assert 'href="/calendar"' not in page.get("/processes").text.split("</nav>")[0]  # the nav link is the admins'
    assert client_for(app, "mediator1", cookies=True).get("/calendar").status_code == 403


def test_show_set_and_import(app):
    admin = client_for(app, "admin1")
    y2026 = admin.get(f"{API}/calendar/2026").json()
    assert y2026["confirmed"] and {"date": "2026-01-04", "kind": "work", "name": "元旦调休上班", "weekday": 7,
                                    "source": "国务院办公厅通知（随软件发布）"} in y2026["days"]
    assert admin.get(f"{API}/calendar/2027").json() | {"days": None} == {
        "year": 2027, "confirmed": False, "origin": "database", "source": None, "entered_by": None,
        "entered_at": None, "days": None}
    r = admin.put(f"{API}/calendar/days/2027-02-06", json={"kind": "work", "name": "春节调休上班"})
    assert r.json() == {"date": "2027-02-06", "kind": "work", "name": "春节调休上班", "recomputed": 0,
                        "year_confirmed": False}
    r = upload(admin, CAL_2027, "国办发明电〔2026〕样例")
    assert r.json() == {"year": 2027, "source": "国办发明电〔2026〕样例", "rest_days": 3, "work_days": 0,
                        "recomputed": 0}
    y2027 = admin.get(f"{API}/calendar/2027").json()
    assert y2027["confirmed"] and y2027["entered_by"] == "admin1"
    assert [d["date"] for d in y2027["days"]] == ["2027-01-01", "2027-01-02", "2027-01-03"]  # replaced


@pytest.mark.parametrize(("text", "field"), [
    ("2027-01-01,rest,元旦\n2027-01-09,work\n2027-01-10,rest\n2027-02-30,rest,春节\n", "第 4 行"),
    ('{"year": 2027, "days": [{"date": "2027-01-01", "kind": "off"}]}', "days[0]"),
])
def test_a_bad_file_is_refused_with_the_line(app, text, field):
    admin = client_for(app, "admin1")
    r = upload(admin, text)
    assert r.status_code == 422 and field in r.json()["fields"], r.json()
    assert field in r.json()["detail"]
    assert admin.get(f"{API}/calendar/2027").json()["days"] == []
    assert admin.put(f"{API}/calendar/days/2027-01-05", json={"kind": "work"}).status_code == 422  # a Tuesday
    assert admin.put(f"{API}/calendar/days/2027-01-05", json={"kind": "holiday"}).status_code == 422


def test_deadline_across_new_year_marked_then_recomputed(app, db):
    deploy(db, "review_v1.bpmn")
    with db.begin() as conn:
        store.insert_rule(conn, {"key": "examine_1wd", "name": "审查（1个工作日）", "kind": "sla",
                                 "process_key": "review", "element_id": "examine", "dispute_type": None,
                                 "duration": 1, "clock": "workdays", "warn_fraction": None,
                                 "warn_before_hours": None, "escalate_after_hours": 24, "source": "test",
                                 "active": True, "updated_by": "test", "updated_at": NEW_YEAR_EVE})
    rules.RULES.clear()
    with time_machine.travel(NEW_YEAR_EVE, tick=False):
        case = start(db, "review", {"community": "福田社区"})
        complete(db, case.open_tasks[0].id, {"amount": 500, "channel": "window"})
        sup = client_for(app, "super1")
        (row,) = [d for d in sup.get(f"{API}/deadlines/cases/{case.id}").json() if d["kind"] == "sla"]
        assert local(row["due_at"]) == "2027-01-01 23:59" and row["calendar_confirmed"] is False
        detail = sup.get(f"{API}/cases/{case.id}").json()
        (task_deadline,) = [d for d in detail["deadlines"] if d["kind"] == "task"]
        assert local(task_deadline["due_at"]) == "2027-01-01 23:59" and task_deadline["calendar_confirmed"] is False
        assert [c["calendar_confirmed"] for c in detail["clocks"] if c["kind"] == "sla"] == [False]
        (item,) = client_for(app, "mediator1").get(f"{API}/tasks").json()["items"]
        assert item["calendar_confirmed"] is False and local(item["due_at"]) == "2027-01-01 23:59"
        task = client_for(app, "mediator1").get(f"{API}/tasks/{item['id']}/form").json()["task"]
        assert task["calendar_confirmed"] is False
        status = sup.get(f"{API}/calendar/status").json()
        assert status["banner"] == BANNER and status["unconfirmed_deadlines"] == 1

        assert upload(client_for(app, "admin1"), CAL_2027).json()["recomputed"] == 1
        (row,) = [d for d in sup.get(f"{API}/deadlines/cases/{case.id}").json() if d["kind"] == "sla"]
        assert local(row["due_at"]) == "2027-01-04 23:59" and row["calendar_confirmed"] is True
        (item,) = client_for(app, "mediator1").get(f"{API}/tasks").json()["items"]
        assert item["calendar_confirmed"] is True and local(item["due_at"]) == "2027-01-04 23:59"
        detail = sup.get(f"{API}/cases/{case.id}").json()
        (ev,) = [e for e in detail["timeline"] if e["kind"] == "deadline_recomputed"]
        assert ev["actor"] == "admin1" and ev["data"]["reason"] == "calendar 2027 entered"
        assert local(ev["data"]["old_due"]) == "2027-01-01 23:59"
        assert local(ev["data"]["new_due"]) == "2027-01-04 23:59"
