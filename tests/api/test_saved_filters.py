"""Saved filters of the queue and the case search: each user's own, per page, unique names."""

from tests.helpers.api import client_for

URL = "/api/v1/saved-filters"


def names(client, page: str) -> list[str]:
    r = client.get(URL, params={"page": page})
    assert r.status_code == 200, r.text
    return [i["name"] for i in r.json()["items"]]


def test_save_list_and_delete_a_filter(app, db):
    window = client_for(app, "window1")
    assert names(window, "cases") == []
    r = window.post(URL, json={"page": "cases", "name": "  我的 红色  案件 ", "query": "?risk_level=red&sort=-received"})
    assert r.status_code == 201, r.text
    item = r.json()
    assert set(item) == {"id", "page", "name", "query", "created_at"}
    assert (item["page"], item["name"], item["query"]) == ("cases", "我的 红色 案件", "risk_level=red&sort=-received")
    window.post(URL, json={"page": "cases", "name": "A 逾期", "query": "overdue=true"})
    window.post(URL, json={"page": "queue", "name": "逾期", "query": "overdue=1"})
    assert names(window, "cases") == ["A 逾期", "我的 红色 案件"] and names(window, "queue") == ["逾期"]
    assert window.delete(f"{URL}/{item['id']}").status_code == 204
    assert names(window, "cases") == ["A 逾期"]
    assert window.delete(f"{URL}/{item['id']}").status_code == 404


def test_names_are_unique_per_user_and_page(app, db):
    window, other = client_for(app, "window1"), client_for(app, "mediator1")
    body = {"page": "cases", "name": "红色", "query": "risk_level=red"}
    assert window.post(URL, json=body).status_code == 201
    assert window.post(URL, json={**body, "query": "x=1"}).status_code == 409
    assert window.post(URL, json={**body, "page": "queue"}).status_code == 201  # another page
    assert other.post(URL, json=body).status_code == 201  # another user
    assert names(window, "cases") == ["红色"] and names(other, "cases") == ["红色"]


def test_each_user_sees_and_deletes_only_their_own(app, db):
    window, other = client_for(app, "window1"), client_for(app, "super1")
    mine = window.post(URL, json={"page": "queue", "name": "我的", "query": "mine=1"}).json()
    assert names(other, "queue") == []
    assert other.delete(f"{URL}/{mine['id']}").status_code == 404
    assert names(window, "queue") == ["我的"]


def test_bad_filters_are_422_in_the_users_language(app, db):
    window = client_for(app, "window1")
    for body, field in [({"page": "other", "name": "x", "query": ""}, "page"),
                        ({"page": "cases", "name": "", "query": ""}, "name"),
                        ({"page": "cases", "name": "   ", "query": ""}, "name"),
                        ({"page": "cases", "name": "x" * 101, "query": ""}, "name"),
                        ({"page": "cases", "name": "x", "query": "q=" + "x" * 2000}, "(body)"),
                        ({"page": "cases", "name": "x", "query": "a\x00"}, "query"),
                        ({"page": "cases", "name": "x"}, "(body)")]:  # pydantic: the field "query" is named (body)
        r = window.post(URL, json=body)
        assert r.status_code == 422 and field in r.json()["fields"], (body, r.text)
    assert window.get(URL, params={"page": "nope"}).status_code == 422
    assert window.get(URL).status_code == 422
    en = client_for(app, "window1", lang="en").post(URL, json={"page": "cases", "name": "  ", "query": ""}).json()
    assert en["fields"] == {"name": "required"}


def test_a_user_keeps_at_most_fifty_filters_per_page(app, db):
    window = client_for(app, "window1")
    for i in range(50):
        assert window.post(URL, json={"page": "cases", "name": f"f{i}", "query": ""}).status_code == 201
    r = window.post(URL, json={"page": "cases", "name": "one more", "query": ""})
    assert r.status_code == 422 and r.json()["fields"] == {"name": "已保存的筛选条件过多（每页最多 50 个），请先删除不用的"}
    assert window.post(URL, json={"page": "queue", "name": "one more", "query": ""}).status_code == 201


def test_saved_filters_need_a_login(app, db):
    anon = client_for(app)
    assert anon.get(URL, params={"page": "cases"}).status_code == 401
    assert anon.post(URL, json={"page": "cases", "name": "x", "query": ""}).status_code == 401
    assert anon.delete(f"{URL}/1").status_code == 401
