"""案件查询 (GET /cases/search, /cases/search/export): every filter, 案号 spellings, phone and ID exact and logged,
scope, roles, sort, pages, the xlsx export."""

import io
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update

from engine.store.tables import cases, pii_access, tasks
from tests.helpers.api import client_for
from tests.helpers.process_driver import APPLICANT, RESPONDENT, intake

pytestmark = pytest.mark.process_set

URL = "/api/v1/cases/search"
WANG = {"role": "applicant", "name": "王小明", "id_type": "resident_id", "id_number": "44030419770718345X",
        "phone": "13900000003"}
LANDLINE = {"role": "respondent", "name": "深圳市某某物业公司", "party_kind": "legal_person", "id_type": "uscc",
            "id_number": "914403001922038216", "phone": "0755-83123456"}


def start(client, **over) -> dict:
    r = client.post("/api/v1/cases", json={"data": intake(**over)})
    assert r.status_code == 201, r.text
    return r.json()


def found(client, expect=200, **params):
    r = client.get(URL, params=params)
    assert r.status_code == expect, r.text
    return [i["id"] for i in r.json()["items"]] if expect == 200 else r.json()


def log_rows(db):
    with db.begin() as c:
        return list(c.execute(select(pii_access).where(pii_access.c.action == "search").order_by(pii_access.c.id)))


def three(app):
    """Three cases: a (张某/李某, 福田, neighbourhood, yellow), b (王小明 + a company, contract, red, 6 people,
    online), c (岗厦, labour, registered by the supervisor)."""
    window = client_for(app, "window1")
    a = start(window, parties=[APPLICANT, RESPONDENT])
    b = start(window, dispute_type="contract", channel="online", summary="欠薪六人 =SUM(A1)", risk_level="red",
              people_count=6, parties=[WANG, LANDLINE], received_on="2025-05-06")
    c = start(client_for(app, "super1"), community="岗厦社区", dispute_type="labour", parties=[RESPONDENT])
    return a, b, c


def test_case_number_in_any_spelling(app, db):
    a, b, _c = three(app)
    sup = client_for(app, "super1")
    number = b["case_number"]  # 福田调〔2026〕0002号
    year, seq = number.split("〔")[1].split("〕")[0], int(number.split("〕")[1].rstrip("号"))
    for spelling in (number, f"福田调[{year}]{seq}号", f"福田调({year}){seq:04d}", f"（{year}）福田调{seq}号",
                     f"【{year}】{seq}", f"{year}-{seq}", f"{seq:04d}", str(seq), f" 福田调 〔{year}〕 {seq} "):
        assert found(sup, q=spelling) == [b["id"]], spelling
        assert found(sup, case_number=spelling) == [b["id"]], spelling
    assert found(sup, q=f"{int(year) - 1}-{seq}") == []
    assert found(sup, case_number=a["case_number"]) == [a["id"]]


def test_phone_and_id_number_match_exactly_and_are_logged(app, db):
    a, b, _c = three(app)
    window = client_for(app, "window1")
    assert found(window, q="13900000003") == [b["id"]]
    assert found(window, q="139 0000 0003") == [b["id"]] and found(window, q="+86 139-0000-0003") == [b["id"]]
    assert found(window, phone="13900000003") == [b["id"]]
    assert found(window, q="1390000000") == []  # a part of a number finds nothing
    assert found(window, q="075583123456") == [b["id"]]  # the landline written without its dash
    assert found(window, q="44030419770718345x") == [b["id"]] and found(window, id_number="440304199001031234") == [a["id"]]
    assert found(window, q="440304") == []  # not a full number: read as a number, finds no case
    rows = log_rows(db)
    assert len(rows) == 8 and all(r.actor == "window1" and r.reason == "案件查询 (case search)" for r in rows)
    assert rows[0].what == "phone 139****0003" and rows[0].case_id == b["id"]
    assert "13900000003" not in " ".join(r.what for r in rows)
    assert any(r.case_id is None for r in rows)  # a search that found nothing is logged too
    assert [r.what for r in rows if r.what.startswith("id_number")][0] == "id_number 440304********345X"


def test_roles_outside_the_parties_work_may_not_search_by_phone(app, db):
    _a, b, _c = three(app)
    leader = client_for(app, "leader1")
    assert found(leader, 403, phone="13900000003")["error"] == "forbidden"
    assert found(leader, 403, id_number="44030419770718345X")["error"] == "forbidden"
    assert found(leader, q="13900000003") == []  # read as a name or number, not as a phone
    assert log_rows(db) == []
    item = leader.get(URL, params={"q": "王小明"}).json()["items"][0]
    assert item["applicant"] == "王**"  # masked for a leader
    assert client_for(app, "window1").get(URL, params={"q": "王小明"}).json()["items"][0]["applicant"] == "王小明"


def test_names_summaries_and_every_filter(app, db):
    a, b, c = three(app)
    sup = client_for(app, "super1")
    assert found(sup) == [c["id"], b["id"], a["id"]]
    assert found(sup, q="王小明") == [b["id"]] and found(sup, name="小明") == []  # short names match from the start
    assert found(sup, name="王小") == [b["id"]] and found(sup, name="物业公司") == [b["id"]]
    assert found(sup, q="王小") == [b["id"]] and found(sup, q="某某物业") == [b["id"]]  # the search box: names
    assert found(sup, q="欠薪") == [] and found(sup, q="%") == [] and found(sup, q="_") == []  # not the summary
    assert found(sup, community="岗厦社区") == [c["id"]] and found(sup, dispute_type="contract") == [b["id"]]
    assert found(sup, channel="online") == [b["id"]] and found(sup, status="completed") == []
    assert found(sup, risk_level=["red", "orange"]) == [b["id"]] and found(sup, group="true") == [b["id"]]
    assert found(sup, group="false") == [c["id"], a["id"]]
    assert found(sup, received_from="2025-05-01", received_to="2025-05-06") == [b["id"]]
    assert found(sup, received_to="2025-05-05") == [c["id"], a["id"]]
    today = datetime.now(UTC).date()
    assert found(sup, created_from=str(today - timedelta(days=1))) == [c["id"], b["id"], a["id"]]
    assert found(sup, accepted_from="2025-05-01", accepted_to="2025-05-31") == [b["id"]] and found(sup, closed_to="2100-01-01") == []
    assert found(sup, overdue="true") == [] and found(sup, overdue="false") == [c["id"], b["id"], a["id"]]
    stages = [i["stage"] for i in sup.get(URL).json()["items"]]
    assert stages == ["受理登记", "律师甄别确认分流", "律师甄别确认分流"]  # c's intake waits for the window
    assert found(sup, stage="律师甄别确认分流") == [b["id"], a["id"]] and found(sup, stage="无此环节") == []
    with db.begin() as conn:
        conn.execute(update(cases).where(cases.c.id == a["id"]).values(leader="leader1"))
    assert found(sup, leader="leader1") == [a["id"]]
    for evil in ("'; DROP TABLE cases;--", "x' OR '1'='1"):
        assert found(sup, q=evil) == [] and found(sup, community=evil) == []
    item = sup.get(URL, params={"q": "王小明"}).json()["items"][0]
    assert item["group_case"] and item["risk_level"] == "red" and item["people_count"] == 6
    assert item["received_on"] == "2025-05-06" and item["due_at"] and item["summary"] == "欠薪六人 =SUM(A1)"


def test_overdue_at_a_step(app, db):
    """Overdue at a step: an open task at the step (its name or element id) and any open task or the timer of an
    active case past due, not necessarily the same task; completed tasks count for neither. (PostgreSQL reads it
    as one intersection of case ids, SQLite as two subqueries: the same cases.)"""
    a, b, c = three(app)
    sup, step = client_for(app, "super1"), "律师甄别确认分流"
    past, later = datetime.now(UTC) - timedelta(hours=1), datetime.now(UTC) + timedelta(days=3)
    is_open = tasks.c.status.in_(["ready", "claimed"])
    with db.begin() as conn:
        at_step = conn.execute(select(tasks).where(tasks.c.case_id == a["id"], tasks.c.name == step)).one()._asdict()
        conn.execute(update(tasks).where(is_open).values(due_at=later))
        conn.execute(update(tasks).where(tasks.c.case_id == a["id"], is_open).values(due_at=past))  # a: late at the step
        conn.execute(update(cases).where(cases.c.id == b["id"]).values(next_timer_at=past))  # b: on time, its timer past
        conn.execute(update(tasks).where(tasks.c.case_id == c["id"], is_open).values(due_at=past))  # c: late elsewhere
        c_at_step = str(uuid.uuid4())  # … and on time at the step too
        conn.execute(tasks.insert().values({**at_step, "id": c_at_step, "case_id": c["id"], "due_at": later}))
    for name in (step, at_step["element_id"]):
        assert found(sup, stage=name, overdue="true") == [c["id"], b["id"], a["id"]], name
    assert found(sup, stage=step, overdue="false") == [] and found(sup, stage="无此环节", overdue="true") == []
    assert found(client_for(app, "window1"), stage=step, overdue="true") == [b["id"], a["id"]]  # 福田社区
    assert found(client_for(app, "window2"), stage=step, overdue="true") == [c["id"]]  # 岗厦社区
    with db.begin() as conn:
        conn.execute(update(tasks).where(tasks.c.id == c_at_step).values(status="completed"))  # c: no longer at the step
        conn.execute(update(cases).where(cases.c.id == b["id"]).values(status="suspended"))  # b's timer: not active
        conn.execute(update(tasks).where(tasks.c.case_id == a["id"]).values(status="claimed"))  # still open
    assert found(sup, stage=step, overdue="true") == [a["id"]]
    assert found(sup, stage=step, overdue="false") == [b["id"]] and found(sup, stage=step) == [b["id"], a["id"]]
    assert sup.get(URL, params={"stage": step, "overdue": "true"}).json()["total"] == 1


def test_caseworkers_find_only_their_communities(app, db):
    a, b, c = three(app)
    assert found(client_for(app, "window1")) == [b["id"], a["id"]]
    assert found(client_for(app, "window2")) == [c["id"]]
    assert found(client_for(app, "window2"), q=c["case_number"]) == [c["id"]]
    assert found(client_for(app, "window2"), q=b["case_number"]) == []
    assert found(client_for(app, "window2"), q="13900000003") == []


def test_sort_and_pages(app, db):
    a, b, c = three(app)
    sup = client_for(app, "super1")
    assert found(sup, sort="created_at") == [a["id"], b["id"], c["id"]]
    assert found(sup, sort="-received_on")[0] == b["id"]
    assert found(sup, sort="case_number") == [a["id"], b["id"], c["id"]]
    assert found(sup, sort="-case_number") == [c["id"], b["id"], a["id"]]
    pages = [sup.get(URL, params={"limit": 2, "page": p}).json() for p in (1, 2, 3)]
    assert [[i["id"] for i in p["items"]] for p in pages] == [[c["id"], b["id"]], [a["id"]], []]
    assert pages[0]["total"] == 3 and not pages[0]["total_capped"]
    for params in ({"sort": "summary"}, {"page": 0}, {"limit": 101}, {"page": 5001, "limit": 2},
                   {"risk_level": "purple"}, {"received_from": "yesterday"}, {"q": "x" * 101}):
        r = sup.get(URL, params=params)
        assert r.status_code == 422, (params, r.text)


def test_export_is_the_result_as_xlsx(app, db):
    _a, b, _c = three(app)
    window = client_for(app, "window1")
    r = window.get(f"{URL}/export", params={"q": "13900000003"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in r.headers["content-disposition"]
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0][:4] == ["案号", "申请人", "纠纷简要", "纠纷类型"] and len(rows) == 2
    assert rows[1][:5] == [b["case_number"], "王小明", "欠薪六人 =SUM(A1)", "合同", "福田社区"]
    assert rows[1][6] == "办理中" and rows[1][8] == "红色" and rows[1][9] == "是"
    assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)  # text, never a formula
    assert "13900000003" not in r.content.decode("latin-1")
    assert len(log_rows(db)) == 1
    leader = load_workbook(io.BytesIO(client_for(app, "leader1", lang="en").get(f"{URL}/export").content)).active
    lrows = [[c.value for c in row] for row in leader.iter_rows()]
    assert lrows[0][0] == "Case number" and len(lrows) == 4 and "王**" in [r[1] for r in lrows]


def test_search_needs_a_login(app, db):
    anon = client_for(app)
    assert anon.get(URL).status_code == 401 and anon.get(f"{URL}/export").status_code == 401
