"""The form editor's checks (POST /processes/forms/validate, /try): a form as the deploy and the field editor
check it, every problem by field and kind; a preview's data checked as completing a task checks it."""

import json

import pytest

from tests.helpers.api import client_for
from tests.helpers.paths import BPMN_DIR

VALIDATE = "/api/v1/processes/forms/validate"
TRY = "/api/v1/processes/forms/try"


def form(**props) -> dict:
    return {"type": "object", "title": "调解会", "properties": props, "required": [], "x-order": list(props)}


PHONE = {"type": "string", "title": "联系电话", "x-title-en": "Phone", "format": "cn-mobile",
         "description": "手机号码", "x-description-en": "Mobile number"}
CHOICE = {"type": "string", "title": "结果", "enum": ["ok", "failed"], "x-enumNames": ["成功", "失败"],
          "x-enumNames-en": ["Agreed", "Failed"]}


def test_every_shipped_form_passes(app):
    sup = client_for(app, "super1")
    for path in sorted((BPMN_DIR / "forms").glob("*.json")):
        r = sup.post(VALIDATE, json={"schema": json.loads(path.read_text("utf-8"))})
        assert r.status_code == 200, r.text
        assert r.json() == {"ok": True, "problems": []}, path.name


def test_every_problem_is_named_by_field_and_kind(app):
    sup = client_for(app, "super1")
    schema = form(phone=PHONE, result={**CHOICE, "x-enumNames": ["成功"]},
                  empty={"type": "string", "title": "空", "enum": []},
                  twice={"type": "string", "title": "重复", "enum": ["a", "a"], "x-enumNames": ["甲", "乙"]},
                  nolabel={"type": "string"}, **{"1bad": {"type": "string", "title": "坏名"}})
    schema["required"] = ["phone", "missing"]
    schema["x-order"].append("gone")
    r = sup.post(VALIDATE, json={"schema": schema})
    assert r.status_code == 200, r.text
    found = {(p["field"], p["kind"]) for p in r.json()["problems"]}
    assert r.json()["ok"] is False
    assert found == {("result", "choice_label_missing"), ("empty", "choices_empty"), ("twice", "choices_duplicate"),
                     ("nolabel", "title_missing"), ("1bad", "key_invalid"), ("missing", "required_unknown"),
                     ("gone", "order_unknown")}


def test_an_invalid_json_schema_is_refused_as_the_deploy_refuses_it(app):
    sup = client_for(app, "super1")
    r = sup.post(VALIDATE, json={"schema": {"type": "object", "title": "x", "properties": {"a": {"type": "text"}}}})
    [problem] = r.json()["problems"]
    assert problem["kind"] == "schema" and problem["field"] == "properties/a/type"
    r = sup.post(VALIDATE, json={"schema": {"type": "array", "title": "x"}})
    assert r.json()["problems"][0]["kind"] == "schema"


def test_preview_data_is_checked_as_a_task_completion(app):
    sup = client_for(app, "super1")
    schema = form(phone=PHONE, result=CHOICE)
    schema["required"] = ["phone", "result"]
    r = sup.post(TRY, json={"schema": schema, "data": {"phone": "12345"}})
    assert r.status_code == 422, r.text
    fields = r.json()["fields"]
    assert set(fields) == {"phone", "result"}
    assert fields["result"] == "必填项" or "必填" in fields["result"]
    r = sup.post(TRY, json={"schema": schema, "data": {"phone": "+86 138-0013-8000", "result": "ok"}})
    assert r.status_code == 200, r.text
    assert r.json() == {"ok": True, "data": {"phone": "13800138000", "result": "ok"}}
    # a form that is itself wrong is refused before any data is tried
    r = sup.post(TRY, json={"schema": form(x={"type": "string"}), "data": {}})
    assert r.status_code == 422 and r.json()["error"] == "definition_rejected"
    assert r.json()["problems"][0]["element"] == "x"


@pytest.mark.parametrize("user", ["window1", "lawyer1", "mediator1", "leader1"])
def test_only_supervisors_and_admins_check_forms(app, user):
    body = {"schema": form(phone=PHONE)}
    assert client_for(app, user).post(VALIDATE, json=body).status_code == 403
    assert client_for(app, user).post(TRY, json={**body, "data": {}}).status_code == 403


def test_admins_check_forms_and_strangers_are_refused(app):
    body = {"schema": form(phone=PHONE)}
    assert client_for(app, "admin1").post(VALIDATE, json=body).json()["ok"] is True
    assert client_for(app).post(VALIDATE, json=body).status_code == 401
    r = client_for(app, "super1").post(VALIDATE, json={**body, "extra": 1})
    assert r.status_code == 422
