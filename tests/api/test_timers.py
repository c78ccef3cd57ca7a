"""The version diff with old and new values (issue 17): a changed timer, a DMN cell and a form's field each come
with their old and new value in GET /processes/{key}/versions/{a}/diff/{b}; any logged-in role may read a diff."""

import json

from engine.processes.deploy import load_dir
from engine.processes.diff import value_changes
from tests.helpers.api import client_for
from tests.helpers.paths import BPMN_DIR

API = "/api/v1/processes"
ROLES = ("window1", "lawyer1", "mediator1", "super1", "leader1", "admin1")


def _parts(files: dict[str, bytes]) -> list:
    return [("files", (n, data, "application/octet-stream")) for n, data in sorted(files.items())]


def _bundle() -> dict[str, bytes]:
    return dict(load_dir(BPMN_DIR))


def _two_versions(sup):
    """dispute_case v1 as shipped; v2 with a DMN cell, a form field's title and a required field changed."""
    files = _bundle()
    r = sup.post(API, files=_parts(files))
    assert r.status_code == 201, r.text
    dmn = files["screening.dmn"].decode()
    assert '<text>"当事人仅需法律咨询"</text>' in dmn
    files["screening.dmn"] = dmn.replace('<text>"当事人仅需法律咨询"</text>', '<text>"仅需法律咨询"</text>').encode()
    form_name = next(n for n in files if n.endswith("intake.json"))
    form = json.loads(files[form_name])
    first = next(iter(form["properties"]))
    old_title = form["properties"][first].get("title")
    form["properties"][first]["title"] = "新的标题"
    files[form_name] = json.dumps(form, ensure_ascii=False).encode()
    r = sup.post(API, files=_parts(files))
    assert r.status_code == 201, r.text
    versions = {d["key"]: d["version"] for d in r.json()["definitions"]}
    assert versions["dispute_case"] == 2
    return form_name, first, old_title


def test_the_diff_gives_each_changed_value_old_and_new(app, sup):
    form_name, field, old_title = _two_versions(sup)
    for user in ROLES:
        r = client_for(app, user).get(f"{API}/dispute_case/versions/1/diff/2")
        assert r.status_code == 200, (user, r.text)
    d = r.json()
    changed = {c["id"]: c["changes"] for c in d["changed"]}
    assert changed["rule_01_out_reason"] == {"text": ['"当事人仅需法律咨询"', '"仅需法律咨询"']}
    assert d["forms"]["changed"] == [form_name]
    assert d["forms"]["values"] == {form_name: [{"path": f"properties.{field}.title", "old": old_title,
                                                 "new": "新的标题"}]}


def test_value_changes_walk_the_schema():
    old = {"title": "登记", "required": ["a"], "properties": {"a": {"type": "string"}, "b": {"type": "integer"}},
           "allOf": [{"if": {"x": 1}}]}
    new = {"title": "登记", "required": ["a", "c"], "properties": {"a": {"type": "string", "maxLength": 20},
                                                                 "c": {"type": "string"}}, "allOf": [{"if": {"x": 2}}]}
    assert value_changes(old, new) == [
        {"path": "required", "old": ["a"], "new": ["a", "c"]},
        {"path": "properties.a.maxLength", "old": None, "new": 20},
        {"path": "properties.c.type", "old": None, "new": "string"},
        {"path": "allOf[0].if.x", "old": 1, "new": 2},
        {"path": "properties.b.type", "old": "integer", "new": None},
    ]
