"""Template uploads: supervisors and admins only, UTF-8, a size limit, checked against the kind's forms (a refused
template is not stored), versions per office, activate / retire, the text of a version, a preview."""

import threading

import pytest

from engine.core.errors import Forbidden, InvalidData, NotFound, TooLarge
from engine.core.types import User
from engine.documents import (
    KINDS,
    MAX_TEMPLATE_BYTES,
    activate_template,
    list_templates,
    office_codes,
    preview_template,
    retire_template,
    sample_context,
    template_text,
    upload_template,
)
from engine.documents.fields import active_content
from engine.documents.render import default_template, render_html

SUPER = User(id=1, username="super1", role="supervisor")
ADMIN = User(id=2, username="admin1", role="admin")
GOOD = "<html><body><h1>{{ doc.title }}</h1><p>{{ form.terms|d('') }}</p>{% for p in parties %}{{ p.name }}{% endfor %}</body></html>"


def _entry(rows, kind):
    return next(r for r in rows if r["kind"] == kind)


def test_upload_versions_and_the_one_in_use(db):
    with db.begin() as conn:
        v1 = upload_template(conn, SUPER, "agreement", "协议书.html", GOOD.encode(), note="第一版")
        v2 = upload_template(conn, ADMIN, "agreement", "协议书2.html", ("\ufeff" + GOOD + "<!-- 2 -->").encode())
        assert (v1["version"], v1["active"], v1["office"], v1["note"]) == (1, True, "", "第一版")
        assert v2["version"] == 2 and v2["uploaded_by"] == "admin1"
        entry = _entry(list_templates(conn, SUPER), "agreement")
        assert entry["active_version"] == 2 and [v["version"] for v in entry["versions"]] == [2, 1]
        assert _entry(list_templates(conn, SUPER), "registration")["active_version"] == 0  # packaged
        assert template_text(conn, SUPER, "agreement", 1)["text"] == GOOD
        assert template_text(conn, SUPER, "agreement", 2)["text"].endswith("<!-- 2 -->")  # BOM dropped
        assert template_text(conn, SUPER, "agreement")["version"] == 2  # the one in use
        assert template_text(conn, SUPER, "agreement", 0)["text"] == default_template("agreement")
        retired = retire_template(conn, SUPER, "agreement", 2)
        assert retired["active"] is False
        assert _entry(list_templates(conn, SUPER), "agreement")["active_version"] == 1
        retire_template(conn, SUPER, "agreement", 1)
        assert _entry(list_templates(conn, SUPER), "agreement")["active_version"] == 0
        activate_template(conn, SUPER, "agreement", 2)
        assert _entry(list_templates(conn, SUPER), "agreement")["active_version"] == 2
        with pytest.raises(NotFound):
            retire_template(conn, SUPER, "agreement", 9)
        with pytest.raises(NotFound):
            template_text(conn, SUPER, "agreement", 9)


def test_an_office_uses_its_own_version_else_every_office_s(db):
    office = office_codes()[0]
    with db.begin() as conn:
        upload_template(conn, SUPER, "guidance_letter", "all.html", GOOD.replace("form.terms", "form.advice").encode())
        assert _entry(list_templates(conn, SUPER, office), "guidance_letter")["active_office"] == ""
        mine = upload_template(conn, SUPER, "guidance_letter", "mine.html",
                               GOOD.replace("form.terms", "form.target_body").encode(), office=office)
        assert mine["version"] == 1 and mine["office"] == office  # versions count per office
        entry = _entry(list_templates(conn, SUPER, office), "guidance_letter")
        assert (entry["active_office"], entry["active_version"]) == (office, 1)
        with pytest.raises(InvalidData) as e:
            upload_template(conn, SUPER, "guidance_letter", "x.html", GOOD.encode(), office="火星")
        assert "office" in e.value.errors


def test_only_supervisors_and_admins(db):
    with db.begin() as conn:
        for role in ("intake", "mediator", "lawyer", "leader"):
            user = User(id=9, username="u", role=role)
            with pytest.raises(Forbidden):
                upload_template(conn, user, "agreement", "a.html", GOOD.encode())
            with pytest.raises(Forbidden):
                list_templates(conn, user)
            with pytest.raises(Forbidden):
                preview_template(conn, user, "agreement", text=GOOD)
            with pytest.raises(Forbidden):
                template_text(conn, user, "agreement", 0)


@pytest.mark.parametrize(("content", "field"), [
    (b"{{ case.foo }}{{ form.no_such_field }}", "form.no_such_field"),
    (b"{{ ''.__class__ }}", "__class__"),
    ("模板".encode("gb18030"), "file"),
    (b"   ", "file"),
    (b"{% if %}", "template"),
    (b"{% if form.terms %}x{% endif %}", "template"),  # an empty form field would break it
    (b"{{ case.amount / 0 }}", "template"),  # fails with the sample case
])
def test_a_refused_template_is_not_stored(db, content, field):
    with db.begin() as conn:
        with pytest.raises(InvalidData) as e:
            upload_template(conn, SUPER, "agreement", "bad.html", content)
        assert field in e.value.errors
        assert _entry(list_templates(conn, SUPER), "agreement")["versions"] == []


def test_size_limit_and_unknown_kind(db):
    with db.begin() as conn:
        with pytest.raises(TooLarge):
            upload_template(conn, SUPER, "agreement", "big.html", b"x" * (MAX_TEMPLATE_BYTES + 1))
        with pytest.raises(NotFound):
            upload_template(conn, SUPER, "no_such_kind", "a.html", GOOD.encode())


def test_preview_with_the_sample_case(db):
    with db.begin() as conn:
        html = preview_template(conn, SUPER, "agreement", text=GOOD.encode())
        assert "人民调解协议书" in html and "张三" in html and "<style>" in html
        upload_template(conn, SUPER, "agreement", "a.html", GOOD.encode())
        assert "李四" in preview_template(conn, SUPER, "agreement", version=1)
        assert "本协议一式3份" in preview_template(conn, SUPER, "agreement", version=0)
        with pytest.raises(InvalidData) as e:
            preview_template(conn, SUPER, "agreement", text="{{ case.nope }}")
        assert "case.nope" in e.value.errors


@pytest.mark.parametrize(("text", "what"), [
    ("<script>alert(1)</script>", "<script>"),
    ("<html><body>a</body></html><script>alert(1)</script>", "<script>"),
    ("<style>p { background: url(http://example.org/x) }</style>", "<style> url()"),
    ('<p onclick="x()">a</p>', "p@onclick"),
    ('<a href="javascript:alert(1)">a</a>', "a@href"),
    ('<img src="file:///etc/passwd">', "img@src"),
    ('<img src="http://example.org/x.png">', "img@src"),
    ('<link rel="stylesheet" href="http://example.org/a.css">', "<link>"),
    ('<iframe srcdoc="x"></iframe>', "<iframe>"),
    ('<p style="background: url(http://example.org/x)">a</p>', "p@style url()"),
    ("{{ '<script>x</script>'|safe }}", None),
])
def test_active_content_is_refused(db, text, what):
    with db.begin() as conn:
        with pytest.raises(InvalidData) as e:
            upload_template(conn, SUPER, "agreement", "x.html", text.encode())
        assert ("safe" in e.value.errors) if what is None else (what in e.value.errors["html"])
        upload_template(conn, SUPER, "agreement", "ok.html",
                        b'<html><head><meta charset="utf-8"></head><body><img src="data:image/png;base64,iVBORw0KGgo=">'
                        b'<a href="#top">{{ doc.title }}</a></body></html>')


def test_packaged_templates_have_no_active_content():
    for kind in KINDS:
        assert active_content(render_html(default_template(kind), sample_context(kind))) == [], kind


def test_concurrent_uploads_take_distinct_versions(pg_db):
    """Two supervisors uploading the same kind at once on PostgreSQL: versions 1 and 2, no unique violation."""
    barrier = threading.Barrier(2)
    results, errors = [], []

    def upload(n):
        try:
            with pg_db.begin() as conn:
                barrier.wait(timeout=10)
                results.append(upload_template(conn, SUPER, "agreement", f"{n}.html", GOOD.encode())["version"])
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=upload, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == [] and sorted(results) == [1, 2]


def test_case_file_papers_may_name_the_file(db):
    text = b"<h1>{{ file.file_number }}</h1>{% for c in contents %}<p>{{ c.seq }} {{ c.title }}</p>{% endfor %}"
    with db.begin() as conn:
        assert upload_template(conn, SUPER, "file_toc", "toc.html", text)["version"] == 1
        with pytest.raises(InvalidData) as e:
            upload_template(conn, SUPER, "agreement", "a.html", text)
        assert set(e.value.errors) == {"file", "contents"}
        assert "(2026)福田调档字第3号" in preview_template(conn, SUPER, "file_toc", version=1)
