"""Process definition endpoints: list, upload, validate, versions, XML, diff; roles; hostile uploads."""

import json

import pytest
from lxml import etree
from sqlalchemy import func, select

from engine.processes.deploy import check, load_dir
from engine.processes.diff import Bundle, diff
from engine.store.tables import definitions
from engine.validation import xmlsafe
from tests.helpers.api import client_for, make_app
from tests.helpers.paths import BPMN_DIR, FIXTURES

API = "/api/v1/processes"
FORMS = ("register.json", "review.json")


def _files(*names: str, **extra: bytes) -> list:
    """Multipart parts: fixture files by name, then ``extra`` {file name: content}."""
    parts = [("files", (n, (FIXTURES / n).read_bytes(), "application/octet-stream")) for n in (*names, *FORMS)]
    parts += [("files", (n, data, "application/octet-stream")) for n, data in extra.items()]
    return parts


def _rows(db) -> int:
    with db.begin() as conn:
        return conn.execute(select(func.count()).select_from(definitions)).scalar_one()


def test_upload_lists_and_keeps_identical_content_as_its_version(db, app, sup):
    r = sup.post(API, files=_files("review_v1.bpmn"))
    assert r.status_code == 201, r.text
    [d] = r.json()["definitions"]
    assert (d["key"], d["version"], d["is_new"], d["name"]) == ("review", 1, True, "审查流程")

    again = sup.post(API, files=_files("review_v1.bpmn"))
    assert again.status_code == 201
    assert [(d["version"], d["is_new"]) for d in again.json()["definitions"]] == [(1, False)]
    assert _rows(db) == 1

    v2 = sup.post(API, files=_files("review_v2.bpmn"))
    assert [(d["version"], d["is_new"]) for d in v2.json()["definitions"]] == [(2, True)]

    listed = client_for(app, "mediator1").get(API)  # any logged-in user reads
    assert listed.status_code == 200
    [p] = listed.json()
    assert (p["key"], p["version"], p["versions"], p["created_by"]) == ("review", 2, 2, "super1")

    versions = client_for(app, "window1").get(f"{API}/review/versions").json()
    assert [v["version"] for v in versions] == [1, 2]
    assert versions[0]["content_hash"] != versions[1]["content_hash"]


def test_version_detail_has_user_tasks_with_lanes_groups_and_forms(app, sup):
    sup.post(API, files=_files("review_v1.bpmn"))
    sup.post(API, files=_files("review_v2.bpmn"))
    r = client_for(app, "mediator1").get(f"{API}/review/versions/2")
    assert r.status_code == 200
    body = r.json()
    assert (body["key"], body["version"], body["file"]) == ("review", 2, "review_v2.bpmn")
    tasks = {t["element_id"]: (t["lane"], t["group"], t["form"]) for t in body["user_tasks"]}
    assert tasks == {
        "register": ("窗口受理", "intake", "register.json"),
        "examine": ("调解员", "mediator", "review.json"),
        "notify": ("调解员", "mediator", None),
        "overdue": ("司法所", "supervisor", None),
    }
    assert set(body["forms"]) == {"register.json", "review.json"}
    assert body["forms"]["register.json"]["required"] == ["amount", "channel"]
    v1 = client_for(app, "mediator1").get(f"{API}/review/versions/1").json()
    assert "notify" not in {t["element_id"] for t in v1["user_tasks"]}


def test_xml_is_the_file_that_defines_the_process(app, sup):
    sup.post(API, files=_files("review_v1.bpmn"))
    sup.post(API, files=_files("review_v2.bpmn"))
    reader = client_for(app, "lawyer1")
    r = reader.get(f"{API}/review/versions/2/xml")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/xml")
    root, problems = xmlsafe.parse_xml("x", r.content)
    assert problems == [] and root.find("{*}process").get("id") == "review"
    assert root.find(".//{*}userTask[@id='notify']") is not None
    v1 = etree.fromstring(reader.get(f"{API}/review/versions/1/xml").content, xmlsafe._parser())
    assert v1.find(".//{*}userTask[@id='notify']") is None


def test_xml_of_a_process_picks_its_file_from_the_whole_bundle(db):
    """Every version stores all files of its bundle; the endpoint returns the defining one."""
    app = make_app(db)
    sup = client_for(app, "super1")
    parts = [("files", (name, data, "application/octet-stream")) for name, data in load_dir(BPMN_DIR).items()]
    r = sup.post(API, files=parts)
    assert r.status_code == 201, r.text
    assert {d["key"] for d in r.json()["definitions"]} >= {"dispute_case", "leader_case", "people_mediation"}
    xml = sup.get(f"{API}/leader_case/versions/1/xml")
    assert 'id="leader_case"' in xml.text and 'id="dispute_case"' not in xml.text
    detail = sup.get(f"{API}/dispute_case/versions/1").json()
    assert detail["file"] == "dispute_case.bpmn"
    by_id = {t["element_id"]: t for t in detail["user_tasks"]}
    # tasks of called processes are listed with the process they belong to
    assert by_id["leader_take_charge"]["process"] == "leader_case"
    assert by_id["leader_take_charge"]["group"] == "leader"
    assert by_id["labour_session"]["process"] == "labour_term"  # embedded subprocess
    assert by_id["labour_accept"]["process"] == "labour_mediation"


def test_bundle_has_the_files_in_scope_and_redeploys_as_the_same_version(db):
    """The editor validates and publishes an edit with the files of the version's bundle endpoint."""
    app = make_app(db)
    sup = client_for(app, "super1")
    parts = [("files", (name, data, "application/octet-stream")) for name, data in load_dir(BPMN_DIR).items()]
    assert sup.post(API, files=parts).status_code == 201
    pm = sup.get(f"{API}/people_mediation/versions/1/bundle")
    assert pm.status_code == 200, pm.text
    body = pm.json()
    assert (body["file"], list(body["sources"])) == ("people_mediation.bpmn", ["people_mediation.bpmn"])
    assert "jc_apply.json" in body["forms"] and "intake.json" not in body["forms"]
    dc = sup.get(f"{API}/dispute_case/versions/1/bundle").json()
    assert {"dispute_case.bpmn", "leader_case.bpmn", "people_mediation.bpmn", "screening.dmn"} <= set(dc["sources"])
    assert "leader_take_charge.json" in dc["forms"]

    files = [("files", (n, t.encode(), "application/xml")) for n, t in dc["sources"].items()]
    files += [("files", (n, json.dumps(f).encode(), "application/json")) for n, f in dc["forms"].items()]
    assert sup.post(f"{API}/validate", files=files).json()["ok"] is True
    again = sup.post(API, files=files).json()["definitions"]
    assert all(not d["is_new"] for d in again), again  # unchanged: every process keeps its version
    assert client_for(app, "mediator1").get(f"{API}/people_mediation/versions/1/bundle").status_code == 403
    assert sup.get(f"{API}/people_mediation/versions/9/bundle").status_code == 404


def test_user_tasks_read_from_xml_match_the_compiler():
    """The XML reading of user tasks (lanes, forms, subprocesses) agrees with SpiffWorkflow's parse."""
    for cp in check(load_dir(BPMN_DIR)):
        mine = Bundle(cp.sources).user_tasks(cp.key)
        key = lambda ts: sorted((t["process"], t["element_id"], t["name"], t["lane"], t["form"]) for t in ts)  # noqa: E731
        assert key(mine) == key(cp.user_tasks), cp.key


def test_diff_names_added_task_and_changed_timer(app, sup):
    sup.post(API, files=_files("review_v1.bpmn"))
    sup.post(API, files=_files("review_v2.bpmn"))
    reader = client_for(app, "mediator1")
    r = reader.get(f"{API}/review/versions/1/diff/2")
    assert r.status_code == 200
    d = r.json()
    assert {"id": "notify", "type": "bpmn:userTask", "name": "告知"} in d["added"]
    assert {e["id"] for e in d["added"]} == {"notify", "f_notify"}
    assert d["removed"] == []
    changed = {c["id"]: c for c in d["changed"]}
    assert changed["td"]["type"] == "bpmn:timerEventDefinition"
    assert changed["td"]["changes"] == {"timeDuration": ['"P30D"', '"P20D"']}
    assert changed["f_review"]["changes"] == {"targetRef": ["decide", "notify"]}
    assert changed["Lane_mediator"]["changes"] == {"flowNodeRef": [["examine"], ["examine", "notify"]]}
    assert set(changed) == {"td", "f_review", "Lane_mediator"}  # nothing else moved
    assert d["forms"] == {"added": [], "removed": [], "changed": [], "values": {}}

    back = reader.get(f"{API}/review/versions/2/diff/1").json()
    assert {e["id"] for e in back["removed"]} == {"notify", "f_notify"} and back["added"] == []
    same = reader.get(f"{API}/review/versions/2/diff/2").json()
    assert same["added"] == same["removed"] == same["changed"] == []

    for url in (f"{API}/review/versions/1/diff/9", f"{API}/nope/versions/1/diff/2", f"{API}/review/versions/7",
                f"{API}/nope/versions", f"{API}/review/versions/3/xml"):
        missing = reader.get(url)
        assert missing.status_code == 404 and missing.json()["error"] == "not_found", url


def test_diff_ignores_layout_and_sees_properties_and_scripts():
    v1 = (FIXTURES / "review_v1.bpmn").read_text(encoding="utf-8")
    di = ('<bpmndi:BPMNDiagram xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" id="dia">'
          '<bpmndi:BPMNPlane id="plane" bpmnElement="review"/></bpmndi:BPMNDiagram>')
    moved = v1.replace("</bpmn:definitions>", di + "</bpmn:definitions>")
    edited = (v1.replace('value="review.json"', 'value="review2.json"')
              .replace('outcome = "big"', 'outcome = "large"'))
    base = Bundle({"a.bpmn": v1})
    assert diff(base, Bundle({"a.bpmn": moved}), "review") == {"added": [], "removed": [], "changed": []}
    # an attribute at its BPMN default, written or omitted (bpmn-js omits it), is no change
    defaults = v1.replace('<bpmn:userTask id="examine"', '<bpmn:userTask startQuantity="1" id="examine"')
    assert 'startQuantity="1"' in defaults
    assert diff(base, Bundle({"a.bpmn": defaults}), "review")["changed"] == []
    changed = {c["id"]: c["changes"] for c in diff(base, Bundle({"b.bpmn": edited}), "review")["changed"]}
    assert changed == {"examine": {"property:formJsonSchemaFilename": ["review.json", "review2.json"]},
                       "big": {"script": ['outcome = "big"', 'outcome = "large"']}}


def test_validate_is_a_dry_run(db, app, sup):
    r = sup.post(f"{API}/validate", files=_files("review_v2.bpmn"))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["ok"] is True
    [p] = body["processes"]
    assert (p["key"], p["name"]) == ("review", "审查流程")
    assert {t["element_id"]: t["group"] for t in p["user_tasks"]}["notify"] == "mediator"
    assert _rows(db) == 0
    bad = sup.post(f"{API}/validate", files=_files("review_v1.bpmn", **{"x.bpmn": b"<not xml"}))
    assert bad.status_code == 422 and bad.json()["problems"][0]["file"] == "x.bpmn"
    assert _rows(db) == 0


def test_role_boundaries(app):
    assert client_for(app, "mediator1").post(API, files=_files("review_v1.bpmn")).status_code == 403
    assert client_for(app, "admin1").post(API, files=_files("review_v1.bpmn")).status_code == 403
    assert client_for(app, "mediator1").post(f"{API}/validate", files=_files("review_v1.bpmn")).status_code == 403
    anon = client_for(app)
    assert anon.post(API, files=_files("review_v1.bpmn")).status_code == 401
    for url in (API, f"{API}/review/versions", f"{API}/review/versions/1", f"{API}/review/versions/1/xml",
                f"{API}/review/versions/1/diff/2"):
        assert anon.get(url).status_code == 401, url
    sup = client_for(app, "super1")
    assert sup.post(API, files=_files("review_v1.bpmn")).status_code == 201
    for user in ("window1", "mediator1", "lawyer1", "leader1", "admin1"):
        c = client_for(app, user)
        assert c.get(API).status_code == 200
        assert c.get(f"{API}/review/versions/1").status_code == 200


LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">&lol3;</bpmn:definitions>"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">&xxe;</bpmn:definitions>"""
DEEP = (b'<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">'
        + b"<a>" * 10_000 + b"</a>" * 10_000 + b"</bpmn:definitions>")
SCRIPT = (FIXTURES / "review_v1.bpmn").read_bytes().replace(b'outcome = "big"', b"import os")
NO_START = (FIXTURES / "review_v1.bpmn").read_bytes().replace(b'<bpmn:startEvent id="start"/>', b"")

BAD_UPLOADS = {
    # case: (multipart parts, file the problem is in, words in its reason)
    "billion laughs": (_files(**{"lol.bpmn": LAUGHS}), "lol.bpmn", "DOCTYPE"),
    "external entity": (_files(**{"xxe.bpmn": XXE}), "xxe.bpmn", "DOCTYPE"),
    "10k-deep nesting": (_files(**{"deep.bpmn": DEEP}), "deep.bpmn", "malformed XML"),
    "malformed": (_files(**{"bad.bpmn": b"<bpmn:definitions"}), "bad.bpmn", "malformed XML"),
    "utf-16 doctype": (_files(**{"u.bpmn": XXE.decode().encode("utf-16")}), "u.bpmn", "DOCTYPE"),
    "not a model": (_files(**{"notes.txt": b"hello"}), "notes.txt", "unsupported file type"),
    "empty": (_files(**{"empty.bpmn": b""}), "empty.bpmn", "empty"),
    "oversize file": (_files(**{"big.bpmn": b"<x/>" + b" " * 2_000_001}), "big.bpmn", "too large"),
    "import in a script": (_files(**{"s.bpmn": SCRIPT}), "s.bpmn", "import"),
    "no start event": (_files(**{"n.bpmn": NO_START}), "n.bpmn", "start"),
    "missing form": ([("files", ("review_v1.bpmn", (FIXTURES / "review_v1.bpmn").read_bytes(), "text/xml"))],
                     "review_v1.bpmn", "register.json"),
    # a good model next to a hostile file: all or nothing
    "good with hostile": (_files("review_v1.bpmn", **{"lol.bpmn": LAUGHS}), "lol.bpmn", "DOCTYPE"),
    "duplicate names": (_files("review_v1.bpmn", **{"review_v1.bpmn": b"<x/>"}), "review_v1.bpmn", "two files"),
    "no files": ([("other", ("a.bpmn", b"<x/>", "text/xml"))], None, "no files"),
}


@pytest.mark.parametrize("case", list(BAD_UPLOADS))
def test_bad_uploads_are_422_with_located_problems_and_store_nothing(db, app, sup, case):
    parts, file, words = BAD_UPLOADS[case]
    before = _rows(db)
    r = sup.post(API, files=parts, headers={"Accept-Language": "en"})
    assert r.status_code == 422, r.text
    body = r.json()
    assert body["error"] == "definition_rejected"
    assert body["message"] == "the process definition was refused"
    assert body["problems"], body
    assert all(set(p) == {"message", "message_en", "file", "line", "element"} for p in body["problems"])
    assert all(p["message"] == p["message_en"] for p in body["problems"])  # Accept-Language: en
    located = [p for p in body["problems"] if p["file"] == file]
    assert located, body["problems"]
    assert any(words.lower() in p["message"].lower() for p in located), located
    assert _rows(db) == before == 0
    assert client_for(app, "super1").get(API).json() == []


def test_doctype_problem_is_located_at_its_line(sup):
    r = sup.post(API, files=_files(**{"xxe.bpmn": XXE}))
    [p] = [p for p in r.json()["problems"] if p["file"] == "xxe.bpmn"]
    assert p["line"] == 2 and p["message_en"] == "DOCTYPE is not allowed" and p["message"] == "不允许使用 DOCTYPE"
    assert "root:" not in r.text  # the entity was never resolved


@pytest.mark.parametrize("route", [API, API + "/validate"])
def test_problems_are_in_chinese_by_default_and_in_english_on_request(sup, route):
    parts = _files(**{"n.bpmn": NO_START})
    zh = sup.post(route, files=parts).json()
    en = sup.post(route, files=parts, headers={"Accept-Language": "en"}).json()
    assert zh["error"] == en["error"] == "definition_rejected"
    assert zh["message"] == "流程定义校验未通过"
    [p_zh] = [p for p in zh["problems"] if p["message_en"] == "missing start event"]
    [p_en] = [p for p in en["problems"] if p["message_en"] == "missing start event"]
    assert p_zh["message"] == "缺少开始事件" and p_en["message"] == "missing start event"
    assert {k: v for k, v in p_zh.items() if k != "message"} == {k: v for k, v in p_en.items() if k != "message"}
    assert p_zh["file"] == "n.bpmn" and p_zh["element"]


def test_a_body_over_the_upload_limit_is_413(db, sup):
    r = sup.post(API, files=_files(**{"huge.bpmn": b" " * 9_000_000}))
    assert r.status_code == 413 and r.json()["error"] == "body_too_large"
    assert _rows(db) == 0
