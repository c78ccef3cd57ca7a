"""Web page shells (no browser): login redirects, roles, language, security headers, escaping."""

import json
import re

from fastapi.testclient import TestClient

from tests.helpers.api import client_for, make_app


def _browser(app, username: str | None = None, lang: str | None = None) -> TestClient:
    """A client that logs in like the web page does: session and CSRF cookies, no bearer."""
    return client_for(app, username, lang, cookies=True)


def _page_data(html: str) -> dict:
    block = re.search(r'<script type="application/json" id="page-data">(.*?)</script>', html, re.S)
    assert block, "page data block missing"
    return json.loads(block.group(1))


def test_pages_redirect_to_login_with_the_target(db):
    client = _browser(make_app(db))
    for path in ["/", "/cases/12", "/tasks/abc", "/dashboard", "/processes"]:
        r = client.get(path, follow_redirects=False)
        assert r.status_code == 303, path
        assert r.headers["location"] == "/login?next=" + path, r.headers
    r = client.get("/cases/12?x=1", follow_redirects=False)
    assert r.headers["location"] == "/login?next=/cases/12%3Fx%3D1"


def test_queue_page_shows_the_user_in_chinese_by_default(db):
    client = _browser(make_app(db), "mediator1", lang="en-US,en;q=0.9")
    client.cookies.set("tiaojie_lang", "zh")
    r = client.get("/")
    assert r.status_code == 200
    assert 'lang="zh-CN"' in r.text and "我的待办" in r.text and "调解员" in r.text and "福田社区" in r.text
    data = _page_data(r.text)
    assert data["user"] == {"username": "mediator1", "role": "mediator", "communities": ["福田社区"]}
    assert data["t"]["nav_queue"] == "我的待办"


def test_language_switch_is_remembered(db):
    client = _browser(make_app(db), "mediator1")
    r = client.get("/?lang=en")
    assert 'lang="en"' in r.text and "My work" in r.text
    assert client.cookies.get("tiaojie_lang") == "en"
    assert "My work" in client.get("/").text


def test_supervisor_pages_refuse_other_roles(db):
    app = make_app(db)
    assert _browser(app, "mediator1").get("/processes").status_code == 403
    assert _browser(app, "mediator1").get("/dashboard").status_code == 403
    assert _browser(app, "leader1").get("/dashboard").status_code == 200
    assert _browser(app, "leader1").get("/processes/dispute_case/editor").status_code == 403
    assert _browser(app, "super1").get("/processes/dispute_case/editor").status_code == 200
    assert _browser(app, "mediator1").get("/cases/new").status_code == 403
    assert _browser(app, "window1").get("/cases/new").status_code == 200


def test_pages_carry_a_strict_content_security_policy(db):
    client = _browser(make_app(db), "super1")
    for path in ["/login", "/", "/processes", "/static/app.js"]:
        r = client.get(path)
        csp = r.headers["content-security-policy"]
        assert "script-src 'self';" in csp and "unsafe-eval" not in csp, path
        assert "frame-ancestors 'none'" in csp
        assert r.headers["x-content-type-options"] == "nosniff"
    html = client.get("/").text
    # every script is an external file of our own or an inert JSON block
    for tag in re.findall(r"<script[^>]*>", html):
        assert 'src="/static/' in tag or 'type="application/json"' in tag, tag
    assert "no-store" in client.get("/").headers["cache-control"]


def test_user_text_cannot_break_out_of_the_page_data():
    from api.web.pages import _json_block

    block = str(_json_block({"x": "</script><script>alert(1)</script>&"}))
    assert "</script>" not in block and "<" not in block and "&" not in block
    assert json.loads(block) == {"x": "</script><script>alert(1)</script>&"}


def test_logged_out_session_cookie_is_sent_to_login(db):
    app = make_app(db)
    client = _browser(app, "mediator1")
    csrf = client.cookies.get("tiaojie_csrf")
    assert client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": csrf}).status_code == 204
    client.cookies.set("tiaojie_session", "stale-token")
    assert client.get("/", follow_redirects=False).status_code == 303


def test_static_bundles_are_compressed_but_api_responses_are_not(db):
    client = _browser(make_app(db), "super1")
    r = client.get("/static/app.js", headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200 and r.headers["content-encoding"] == "gzip" and "window.tj" in r.text
    api = client.get("/api/v1/processes", headers={"Accept-Encoding": "gzip"})
    assert api.status_code == 200 and "content-encoding" not in api.headers


def test_the_office_hub_shows_each_role_the_pages_it_may_open(db):
    app = make_app(db)
    assert _browser(app, "mediator1").get("/admin").status_code == 403
    supervisor = _browser(app, "super1", lang="zh-CN").get("/admin")
    assert supervisor.status_code == 200 and "办公室管理" in supervisor.text
    links = set(re.findall(r'data-testid="admin-([a-z-]+)"', supervisor.text))
    assert links == {"ledger", "reports", "dashboard", "sla-rules", "calendar", "exceptions", "handover",
                     "processes", "decisions", "forms", "templates"}  # 用户与权限 is the admin's
    leader = _browser(app, "leader1").get("/admin")
    assert set(re.findall(r'data-testid="admin-([a-z-]+)"', leader.text)) == {"ledger", "reports", "dashboard",
                                                                              "sla-rules"}
    assert "<h2>人员与运行</h2>" not in leader.text and "<h2>时限</h2>" in leader.text  # no empty group headings
    assert 'href="/admin"' in _browser(app, "leader1").get("/").text  # the header links the hub
    assert 'href="/admin"' not in _browser(app, "mediator1").get("/").text
