"""/api/v1/document-templates: list, upload (422 naming the unknown fields), show, preview (sandboxed HTML),
activate / retire; supervisors and admins only."""

from tests.helpers.api import client_for

API = "/api/v1/document-templates"
GOOD = "<html><head></head><body><h1>{{ doc.title }}</h1>{% for p in parties %}<p>{{ p.name }}</p>{% endfor %}</body></html>"


def _upload(client, kind="agreement", text=GOOD, name="协议书.html", **data):
    content = text.encode() if isinstance(text, str) else text
    return client.post(f"{API}/{kind}", files={"file": (name, content, "text/html")}, data=data)


def test_upload_list_show_retire(sup, app):
    r = _upload(sup, note="新格式")
    assert r.status_code == 201, r.text
    assert r.json()["version"] == 1 and r.json()["note"] == "新格式" and r.json()["office"] == ""
    admin = client_for(app, "admin1")
    assert _upload(admin).json()["version"] == 2
    rows = sup.get(API).json()
    entry = next(e for e in rows if e["kind"] == "agreement")
    assert entry["title"] == "人民调解协议书" and entry["active_version"] == 2 and len(entry["versions"]) == 2
    assert next(e for e in rows if e["kind"] == "registration")["active_version"] == 0
    shown = sup.get(f"{API}/agreement/versions/1")
    assert shown.status_code == 200 and shown.json()["text"] == GOOD
    assert "人民调解协议书" in sup.get(f"{API}/agreement/versions/0").json()["text"]
    assert sup.get(f"{API}/agreement/versions/7").status_code == 404
    r = sup.post(f"{API}/agreement/versions/2/retire")
    assert r.status_code == 200 and r.json()["active"] is False
    assert next(e for e in sup.get(API).json() if e["kind"] == "agreement")["active_version"] == 1
    assert sup.post(f"{API}/agreement/versions/2/activate").json()["active"] is True
    assert sup.get(f"{API}/no_such_kind/versions/0").status_code == 404


def test_a_broken_template_is_refused_naming_the_fields(sup):
    r = _upload(sup, text="{{ case.foo }}\n{{ form.no_such_field }}{% for p in parties %}{{ p.bar }}{% endfor %}")
    assert r.status_code == 422
    body = r.json()
    assert body["error"] == "invalid_data"
    assert set(body["fields"]) == {"case.foo", "form.no_such_field", "parties[].bar"}
    assert "第2行" in body["fields"]["form.no_such_field"]
    r = _upload(sup, text="{{ ''.__class__ }}")
    assert r.status_code == 422 and "__class__" in r.json()["fields"]
    r = _upload(sup, text="{% if %}")
    assert r.status_code == 422 and "第1行" in r.json()["fields"]["template"]
    r = _upload(sup, text="模板".encode("gb18030"))
    assert r.status_code == 422 and "file" in r.json()["fields"]
    assert _upload(sup, text=b"x" * (300 * 1024)).status_code == 413
    assert next(e for e in sup.get(API).json() if e["kind"] == "agreement")["versions"] == []


def test_preview_is_sandboxed_html_of_the_sample_case(sup):
    r = sup.post(f"{API}/agreement/preview", files={"file": ("a.html", (GOOD + "<script>alert(1)</script>").encode(),
                                                                 "text/html")})
    assert r.status_code == 422 and "<script>" in r.json()["fields"]["html"]
    r = sup.post(f"{API}/agreement/preview", files={"file": ("a.html", GOOD.encode(), "text/html")})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "张三" in r.text and "李四" in r.text
    csp = r.headers["content-security-policy"]
    assert csp.startswith("sandbox") and "script-src" not in csp and "default-src 'none'" in csp
    r = sup.post(f"{API}/agreement/preview", data={"version": "0"})
    assert r.status_code == 200 and "本协议一式3份" in r.text
    r = sup.post(f"{API}/agreement/preview", files={"file": ("a.html", b"{{ case.nope }}", "text/html")})
    assert r.status_code == 422 and "case.nope" in r.json()["fields"]
    assert sup.post(f"{API}/agreement/preview").status_code == 422


def test_only_supervisors_and_admins(app):
    for name in ("window1", "mediator1", "lawyer1", "leader1"):
        c = client_for(app, name)
        assert c.get(API).status_code == 403
        assert _upload(c).status_code == 403
        assert c.get(f"{API}/agreement/versions/0").status_code == 403
        assert c.post(f"{API}/agreement/preview", data={"version": "0"}).status_code == 403
        assert c.post(f"{API}/agreement/versions/1/retire").status_code == 403
    assert client_for(app).get(API).status_code == 401
