"""Case endpoints: start with intake, list, case page, migrate, cancel; scoping, masking, bad input."""

import json
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import event, func, select

from engine import processes
from engine.store.tables import case_counters, case_parties, cases, events
from tests.helpers.api import USERS, client_for, make_app
from tests.helpers.process_driver import APPLICANT, RESPONDENT, bundle, intake

# the `app` fixture (tests/api/conftest.py) deploys the shipped process set first
pytestmark = pytest.mark.process_set

URL = "/api/v1/cases"
OTHER = {"role": "applicant", "name": "王某", "id_type": "resident_id", "id_number": "440304197707103456",
         "phone": "13900000003"}


def count(db, table) -> int:
    with db.begin() as c:
        return c.execute(select(func.count()).select_from(table)).scalar_one()


def start(client, status=201, **over):
    r = client.post(URL, json={"data": intake(**over)})
    assert r.status_code == status, r.text
    return r.json()


def ids(client, **params) -> list[int]:
    r = client.get(URL, params=params)
    assert r.status_code == 200, r.text
    return [i["id"] for i in r.json()["items"]]


# ----------------------------------------------------------------------------- POST /cases
def test_intake_starts_the_case_and_completes_the_intake_task(app, db):
    window = client_for(app, "window1")
    body = start(window)
    assert re.fullmatch(r"福田调〔\d{4}〕0001号", body["case_number"])
    assert body["status"] == "active" and body["related_cases"] == [] and body["repeat_petitioner"] is False
    assert [(t["element_id"], t["group"]) for t in body["open_tasks"]] == [("lawyer_review", "lawyer")]
    assert body["open_tasks"][0]["due_at"].endswith("Z")
    page = window.get(f"{URL}/{body['id']}").json()
    done = [e for e in page["timeline"] if e["kind"] == "task_completed"]
    assert done[0]["element"] == "intake" and done[0]["actor"] == "window1"
    assert page["timeline"][0]["kind"] == "case_started" and page["timeline"][0]["actor"] == "window1"
    assert page["community"] == "福田社区" and page["dispute_type"] == "neighbourhood"


def test_supervisor_registers_and_the_intake_task_stays_for_the_window(app, db):
    body = start(client_for(app, "super1"), community="岗厦社区")
    assert [t["element_id"] for t in body["open_tasks"]] == ["intake"]
    assert ids(client_for(app, "window2")) == [body["id"]]  # community is on the case row
    bad = client_for(app, "super1").post(URL, json={"data": intake(risk_level="purple", parties=[OTHER])})
    assert bad.status_code == 422 and "risk_level" in bad.json()["fields"]


@pytest.mark.parametrize("over, field", [
    ({"risk_level": "purple"}, "risk_level"), ({"parties": []}, "parties"), ({"amount": -1}, "amount"),
    ({"surprise": 1}, "surprise"), ({"amount": 10**15}, "amount"), ({"people_count": 2**40}, "people_count"),
    ({"summary": "a\x00b"}, "summary"), ({"amount": "NaN"}, "amount"), ({"amount": "Infinity"}, "amount"),
])
def test_invalid_intake_data_is_422_and_writes_nothing(app, db, over, field):
    if over.get("amount") in ("NaN", "Infinity"):  # JSON extensions Python's parser accepts
        raw = json.dumps({"data": intake()}).replace('"amount": 3000', f'"amount": {over["amount"]}')
        r = client_for(app, "window1").post(URL, content=raw, headers={"Content-Type": "application/json"})
    else:
        r = client_for(app, "window1").post(URL, json={"data": intake(**over)})
    assert r.status_code == 422, r.text
    assert field in r.json()["fields"] and r.json()["message"] == "提交的数据不符合要求"
    assert count(db, cases) == count(db, events) == count(db, case_parties) == count(db, case_counters) == 0


def test_who_may_start_cases_and_where(app, db):
    for user in ("mediator1", "lawyer1", "leader1"):
        r = client_for(app, user).post(URL, json={"data": intake()})
        assert r.status_code == 403 and r.json()["error"] == "forbidden"
    other = client_for(app, "window1").post(URL, json={"data": intake(community="岗厦社区")})
    assert other.status_code == 403
    assert client_for(app).post(URL, json={"data": intake()}).status_code == 401
    assert count(db, cases) == 0


def test_bad_bodies_are_4xx_never_500(app, db):
    window = client_for(app, "window1")
    bad = window.post(URL, content=b'{"data": {', headers={"Content-Type": "application/json"})
    assert bad.status_code == 422 and bad.json()["error"] == "malformed_json"
    for body, field in [({"data": "x"}, "data"), ({"data": {}, "admin": True}, "admin"), ({}, "data"),
                        ({"data": intake(), "process_key": 5}, "process_key"),
                        ({"data": intake(), "process_key": "x' OR 1=1"}, "process_key")]:
        r = window.post(URL, json=body)
        assert r.status_code == 422 and field in r.json()["fields"], (body, r.text)
    missing = window.post(URL, json={"data": intake(), "process_key": "no_such_process"})
    assert missing.status_code == 404 and missing.json()["message"] == "未找到所请求的对象"
    deep = window.post(URL, content=b'{"data": {"x": ' + b"[" * 5000 + b"]" * 5000 + b"}}",
                       headers={"Content-Type": "application/json"})
    assert 400 <= deep.status_code < 500
    assert count(db, cases) == 0


def test_an_identical_open_matter_is_not_registered_twice_but_visited_again(app, db):
    window = client_for(app, "window1")
    first = start(window)
    assert first["repeat_visit"] is False and first["visit_count"] == 1
    dup = window.post(URL, json={"data": intake()})
    assert dup.status_code == 200, dup.text  # not 201: no case was created; the visit is on the open matter
    assert dup.json()["repeat_visit"] is True and dup.json()["visit_count"] == 2
    assert (dup.json()["id"], dup.json()["case_number"]) == (first["id"], first["case_number"])
    assert [t["element_id"] for t in dup.json()["open_tasks"]] == ["lawyer_review"]
    # same person found by name + phone (no ID match), and by ID number alone
    by_phone = dict(APPLICANT, id_type="passport", id_number="E12345678")
    again = window.post(URL, json={"data": intake(parties=[by_phone])})
    assert again.status_code == 200 and again.json()["visit_count"] == 3
    by_id = dict(RESPONDENT, name="李某某", phone="13111111111")
    assert window.post(URL, json={"data": intake(parties=[by_id])}).json()["id"] == first["id"]
    assert count(db, cases) == 1 and count(db, case_parties) == 2
    with db.begin() as conn:
        assert conn.execute(select(cases.c.visit_count)).scalar_one() == 4
        kinds = list(conn.execute(select(events.c.kind).where(events.c.kind == "repeat_visit")).scalars())
    assert kinds == ["repeat_visit"] * 3
    page = window.get(f"{URL}/{first['id']}").json()
    assert (page["visit_count"], page["over_level"], page["leader"]) == (4, False, None)
    assert [e["kind"] for e in page["timeline"]].count("repeat_visit") == 3
    # the same matter brought to a window of another community: the visit is recorded on the open matter, and
    # that window learns its number only (not its tasks)
    outside = client_for(app, "window2").post(URL, json={"data": intake(community="岗厦社区")})
    assert outside.status_code == 200 and outside.json()["repeat_visit"] is True, outside.text
    assert (outside.json()["case_number"], outside.json()["open_tasks"]) == (first["case_number"], [])
    assert outside.json()["visit_count"] == 5
    assert client_for(app, "window2").get(f"{URL}/{first['id']}").status_code == 404
    # another dispute type is a new matter: accepted, with the first case as related (no personal data)
    other = window.post(URL, json={"data": intake(dispute_type="contract")})
    assert other.status_code == 201
    assert other.json()["related_cases"] == [
        {"id": first["id"], "case_number": first["case_number"], "status": "active",
         "dispute_type": "neighbourhood", "created_at": other.json()["related_cases"][0]["created_at"]}]
    assert APPLICANT["id_number"] not in other.text and APPLICANT["phone"] not in other.text
    # once the first is closed, the same matter may come again
    assert client_for(app, "super1").post(f"{URL}/{first['id']}/cancel", json={"reason": "撤回"}).status_code == 200
    assert start(window)["related_cases"][0]["id"] in (first["id"], other.json()["id"])


def test_related_cases_outside_the_users_communities_are_not_listed(app, db):
    start(client_for(app, "window2"), community="岗厦社区", parties=[APPLICANT], dispute_type="contract")
    mine = start(client_for(app, "window1"), parties=[APPLICANT])
    assert mine["related_cases"] == []
    assert len(client_for(app, "lawyer1").get(f"{URL}/{mine['id']}").json()["related_cases"]) == 1
    assert client_for(app, "window1").get(f"{URL}/{mine['id']}").json()["related_cases"] == []


def test_repeat_petitioner_is_flagged_within_twelve_months(app, db):
    t0 = datetime.now(UTC) - timedelta(days=400)
    with time_machine.travel(t0, tick=False):  # a petition 13 months ago does not count
        assert start(client_for(app, "window1"), request_kind="petition", dispute_type="contract",
                     parties=[OTHER])["repeat_petitioner"] is False
    window = client_for(app, "window1")
    first = start(window, request_kind="petition", parties=[OTHER])
    assert first["repeat_petitioner"] is False
    second = start(window, request_kind="petition", dispute_type="labour", parties=[OTHER, RESPONDENT])
    assert second["repeat_petitioner"] is True
    assert start(window, request_kind="petition", parties=[APPLICANT])["repeat_petitioner"] is False
    assert start(window, dispute_type="consumer", parties=[OTHER])["repeat_petitioner"] is False  # not a petition
    listed = {i["id"]: i["repeat_petitioner"] for i in window.get(URL).json()["items"]}
    assert listed[second["id"]] is True and listed[first["id"]] is False
    page = window.get(f"{URL}/{second['id']}").json()
    assert page["repeat_petitioner"] is True
    flagged = [e for e in page["timeline"] if e["kind"] == "repeat_petitioner_flagged"]
    assert flagged[0]["actor"] == "window1" and flagged[0]["data"]["petitions_12_months"] == 2


def test_racing_identical_intakes_make_one_case_and_three_visits(pg_db):
    with pg_db.begin() as c:
        processes.deploy(c, bundle())
    app = make_app(pg_db)
    clients = [client_for(app, "window1") for _ in range(4)]
    barrier = threading.Barrier(len(clients))

    def post(client):
        barrier.wait()
        return client.post(URL, json={"data": intake()}).status_code

    with ThreadPoolExecutor(len(clients)) as pool:
        codes = sorted(pool.map(post, clients))
    # one case; the other three are repeat visits recorded on it (serialized by the party lock)
    assert codes == [200, 200, 200, 201] and count(pg_db, cases) == 1
    with pg_db.begin() as c:
        assert c.execute(select(cases.c.visit_count)).scalar_one() == 4


# ----------------------------------------------------------------------------- GET /cases
def test_list_filters(app, db):
    window = client_for(app, "window1")
    a = start(window, summary="邻居噪音扰民 100% 属实", parties=[APPLICANT])["id"]
    b = start(window, dispute_type="contract", channel="online", summary="合同_纠纷", parties=[OTHER])["id"]
    c = start(client_for(app, "super1"), community="岗厦社区", dispute_type="labour", parties=[RESPONDENT])["id"]
    sup = client_for(app, "super1")
    assert ids(sup) == [c, b, a]
    assert ids(sup, dispute_type="contract") == [b] and ids(sup, channel="online") == [b]
    assert ids(sup, community="岗厦社区") == [c] and ids(sup, status="active") == [c, b, a]
    assert ids(sup, status="completed") == []
    assert ids(sup, q="王某") == [b] and ids(sup, q="噪音") == [a]  # party name, summary
    assert ids(sup, q="%") == [a] and ids(sup, q="_") == [b] and ids(sup, q="\\") == []  # wildcards are literal
    today = datetime.now(UTC).date()
    assert ids(sup, created_from=str(today - timedelta(days=1)), created_to=str(today + timedelta(days=1))) == [c, b, a]
    assert ids(sup, created_to=str(today - timedelta(days=2))) == []
    assert ids(sup, overdue="true") == [] and ids(sup, overdue="false") == [c, b, a]
    for evil in ("'; DROP TABLE cases;--", "x' OR '1'='1", '" OR ""="', "1) OR (1=1"):
        assert ids(sup, q=evil) == [] and ids(sup, community=evil) == [] and ids(sup, dispute_type=evil) == []
    assert ids(sup) == [c, b, a]  # nothing broken
    item = sup.get(URL, params={"q": "噪音"}).json()["items"][0]
    assert item["open_task_count"] == 1 and item["summary"].startswith("邻居") and "parties" not in item


def test_dates_are_shanghai_days_and_overdue_follows_the_clock(app, db):
    # 2025-03-02 17:30 UTC is already 3 March in Shanghai
    with time_machine.travel(datetime(2025, 3, 2, 17, 30, tzinfo=UTC), tick=False):
        early = start(client_for(app, "window1"))["id"]
    sup = client_for(app, "super1")
    assert ids(sup, created_from="2025-03-03", created_to="2025-03-03") == [early]
    assert ids(sup, created_to="2025-03-02") == []
    assert ids(sup, overdue="true") == [early]  # the lawyer's screening deadline passed long ago
    late = sup.get(f"{URL}/{early}").json()["deadlines"]
    assert late and all(d["overdue"] and d["seconds_remaining"] < 0 for d in late)
    fresh = start(client_for(app, "window1"), dispute_type="contract")["id"]
    assert ids(sup, overdue="false") == [fresh]


def test_summary_is_truncated_in_lists(app, db):
    window = client_for(app, "window1")
    start(window, summary="长" * 500)
    assert len(window.get(URL).json()["items"][0]["summary"]) <= 201


def test_pagination_returns_every_case_exactly_once(app, db):
    window = client_for(app, "window1")
    with time_machine.travel(datetime.now(UTC), tick=False):  # equal created_at: the id breaks ties
        made = [start(window, dispute_type=t)["id"] for t in
                ("contract", "labour", "consumer", "medical", "other", "internet", "tourism")]
    seen, cursor, pages = [], None, 0
    while True:
        r = window.get(URL, params={"limit": 3, **({"cursor": cursor} if cursor else {})}).json()
        seen += [i["id"] for i in r["items"]]
        pages += 1
        cursor = r["next_cursor"]
        if cursor is None:
            break
    assert pages == 3 and seen == sorted(made, reverse=True)


def test_bad_list_parameters_are_422(app, db):
    window = client_for(app, "window1")
    start(window)
    good = window.get(URL, params={"limit": 1}).json()
    start(window, dispute_type="contract")
    cursor = window.get(URL, params={"limit": 1}).json()["next_cursor"]
    tampered = cursor[:-1] + ("0" if cursor[-1] != "0" else "1")
    assert good["next_cursor"] is None
    for params, field in [({"cursor": "garbage"}, "cursor"), ({"cursor": tampered}, "cursor"),
                          ({"cursor": "e30." + "0" * 32}, "cursor"), ({"limit": 0}, "limit"),
                          ({"limit": 101}, "limit"), ({"limit": "x"}, "limit"), ({"status": "open"}, "status"),
                          ({"created_from": "yesterday"}, "created_from"), ({"created_to": "0001-01-01"}, "created_to"),
                          ({"overdue": "maybe"}, "overdue"), ({"q": "a\x00"}, "q"), ({"q": "x" * 101}, "q")]:
        r = window.get(URL, params=params)
        assert r.status_code == 422 and field in r.json().get("fields", {}), (params, r.text)
        assert r.json()["message"] in ("请求数据不合法", "提交的数据不符合要求")
    en = client_for(app, "window1", lang="en").get(URL, params={"limit": 0}).json()
    assert en["message"] == "the request is invalid" and en["fields"] == {"limit": "too small"}


def test_a_bad_case_cursor_is_the_same_field_error(app, db):
    window = client_for(app, "window1", lang="en")
    for dispute_type in ("contract", "labour"):
        start(window, dispute_type=dispute_type)
    cursor = window.get(URL, params={"limit": 1}).json()["next_cursor"]
    body, sig = cursor.split(".")
    task_cursor = window.get("/api/v1/tasks", params={"limit": 1}).json()["next_cursor"]
    for bad in (body + "." + sig[::-1], "garbage", task_cursor):
        if bad is None:
            continue
        r = window.get(URL, params={"cursor": bad})
        assert r.status_code == 422, bad
        assert (r.json()["detail"], r.json()["fields"]) == ("invalid cursor", {"cursor": "invalid cursor"})


# ----------------------------------------------------------------------------- scoping and masking
def test_caseworkers_see_only_their_communities(app, db):
    futian = start(client_for(app, "window1"))["id"]
    gangxia = start(client_for(app, "window2"), community="岗厦社区", parties=[OTHER])["id"]
    assert ids(client_for(app, "window1")) == [futian] and ids(client_for(app, "mediator1")) == [futian]
    assert ids(client_for(app, "window2")) == [gangxia]
    assert ids(client_for(app, "lawyer1")) == [gangxia, futian]
    for user in ("leader1", "admin1", "super1"):
        assert ids(client_for(app, user)) == [gangxia, futian]
    hidden = client_for(app, "window2").get(f"{URL}/{futian}")
    nothing = client_for(app, "window2").get(f"{URL}/999999")
    assert hidden.status_code == nothing.status_code == 404
    assert hidden.json()["message"] == nothing.json()["message"] and str(futian) not in hidden.json()["message"]
    assert ids(client_for(app, "window2"), community="福田社区") == []


def test_party_data_is_full_only_for_roles_that_need_it(app, db):
    case_id = start(client_for(app, "window1"))["id"]
    for user, role in USERS.items():
        if user == "window2":
            continue
        page = client_for(app, user).get(f"{URL}/{case_id}")
        assert page.status_code == 200, user
        applicant = page.json()["parties"][0]
        full = role[0] in ("intake", "mediator", "lawyer", "supervisor")
        assert applicant["masked"] is (not full)
        assert applicant["id_number"] == (APPLICANT["id_number"] if full else "440304********1234"), user
        assert applicant["phone"] == (APPLICANT["phone"] if full else "138****0001")
        timeline = str(page.json()["timeline"])  # the event log is masked for everyone
        assert APPLICANT["id_number"] not in timeline and "440304********1234" in timeline
        assert APPLICANT["phone"] not in timeline
    listing = client_for(app, "super1").get(URL).text
    assert APPLICANT["id_number"] not in listing and APPLICANT["phone"] not in listing


def test_case_page(app, db):
    window = client_for(app, "window1")
    first = start(window)["id"]
    second = start(window, dispute_type="contract")["id"]
    page = window.get(f"{URL}/{second}").json()
    assert page["process_key"] == "dispute_case" and page["process_version"] == 1
    assert page["related_cases"][0]["id"] == first and "parties" not in page["related_cases"][0]
    assert [t["element_id"] for t in page["open_tasks"]] == ["lawyer_review"]
    task_deadline = [d for d in page["deadlines"] if d["kind"] == "task"][0]
    assert task_deadline["overdue"] is False and 0 < task_deadline["seconds_remaining"] < 40 * 86400
    assert page["amount"] == 3000.0 and page["people_count"] == 2 and page["request_kind"] == "mediation"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT[\d:.]+(Z|\+00:00)", page["created_at"])
    # a case id is digits (so /cases/lookup and the like are not taken for one); digits out of range: 422
    for bad, status in [("abc", 404), ("0", 422), (str(2**64), 422), ("999999", 404)]:
        r = window.get(f"{URL}/{bad}")
        assert r.status_code == status, (bad, r.text)
    assert client_for(app, "window1", lang="en").get(f"{URL}/999999").json()["message"] == "not found"


def test_every_case_endpoint_needs_a_token(app, db):
    anon = client_for(app)
    for method, path in [("POST", URL), ("GET", URL), ("GET", f"{URL}/1"), ("GET", f"{URL}/1/migration"),
                         ("POST", f"{URL}/1/migrate"), ("POST", f"{URL}/1/cancel")]:
        assert anon.request(method, path).status_code == 401, path


# ----------------------------------------------------------------------------- migrate, cancel
def test_supervisor_migrates_a_case(app, db):
    case = start(client_for(app, "window1"))
    v2 = dict(bundle())
    v2["dispute_case.bpmn"] = v2["dispute_case.bpmn"].replace("律师甄别确认分流".encode(), "律师甄别确认分流（新）".encode())
    with db.begin() as c:
        processes.deploy(c, v2)
    sup = client_for(app, "super1")
    plan = sup.get(f"{URL}/{case['id']}/migration", params={"version": 2})
    assert plan.status_code == 200 and plan.json()["safe"] is True and plan.json()["changed"] == ["lawyer_review"]
    assert client_for(app, "mediator1").post(f"{URL}/{case['id']}/migrate", json={"version": 2}).status_code == 403
    assert client_for(app, "window1").get(f"{URL}/{case['id']}/migration").status_code == 403
    moved = sup.post(f"{URL}/{case['id']}/migrate", json={"version": None})
    assert moved.status_code == 200 and moved.json()["version"] == 2
    assert sup.get(f"{URL}/{case['id']}").json()["process_version"] == 2
    again = sup.post(f"{URL}/{case['id']}/migrate", json={"version": 2})
    assert again.status_code == 409 and again.json()["error"] == "migration_refused"
    assert "already on version 2" in again.json()["detail"]
    assert sup.post(f"{URL}/{case['id']}/migrate", json={"version": 9}).status_code == 404
    assert sup.post(f"{URL}/{case['id']}/migrate", json={"version": "two"}).status_code == 422
    assert sup.post(f"{URL}/{case['id']}/migrate", json={"version": 2**40}).status_code == 422
    migrated = [e for e in sup.get(f"{URL}/{case['id']}").json()["timeline"] if e["kind"] == "case_migrated"]
    assert migrated[0]["actor"] == "super1" and migrated[0]["data"]["to_version"] == 2


def test_supervisor_cancels_a_case(app, db):
    case_id = start(client_for(app, "window1"))["id"]
    assert client_for(app, "window1").post(f"{URL}/{case_id}/cancel", json={"reason": "x"}).status_code == 403
    sup = client_for(app, "super1")
    for body in ({}, {"reason": ""}, {"reason": 5}, {"reason": "x", "force": True}):
        assert sup.post(f"{URL}/{case_id}/cancel", json=body).status_code == 422, body
    assert sup.post(f"{URL}/{case_id}/cancel", json={"reason": "   "}).status_code == 422
    done = sup.post(f"{URL}/{case_id}/cancel", json={"reason": "当事人撤回申请"})
    assert done.status_code == 200 and done.json()["status"] == "cancelled"
    page = sup.get(f"{URL}/{case_id}").json()
    assert page["open_tasks"] == [] and page["status"] == "cancelled"
    assert [(e["actor"], e["data"]["reason"]) for e in page["timeline"] if e["kind"] == "case_cancelled"] == [
        ("super1", "当事人撤回申请")]
    assert sup.post(f"{URL}/{case_id}/cancel", json={"reason": "again"}).status_code == 409
    assert sup.post(f"{URL}/999999/cancel", json={"reason": "x"}).status_code == 404


# ----------------------------------------------------------------------------- statements per request
def _statements(db, fn) -> int:
    seen = []

    def listener(*args):
        seen.append(args[2])

    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        fn()
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return len(seen)


def test_statements_per_request_stay_constant(app, db):
    window = client_for(app, "window1")
    start(window)  # warms the spec and form caches
    post = _statements(db, lambda: start(window, dispute_type="contract"))
    few = _statements(db, lambda: window.get(URL))
    for t in ("labour", "consumer", "medical", "other"):
        start(window, dispute_type=t)
    many = _statements(db, lambda: window.get(URL))
    print(f"\n{db.dialect}: POST /cases {post} statements, GET /cases {few}")
    assert few == many <= 5  # no query per case (SQLite counts its explicit BEGINs)
    assert post <= 20
