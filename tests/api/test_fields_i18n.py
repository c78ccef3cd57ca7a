"""Field errors from a task's form come back in the user's language."""

from tests.helpers.api import client_for, make_app
from tests.helpers.engine import deploy, start


def test_form_field_errors_are_translated(db):
    app = make_app(db)
    deploy(db, "review_v1.bpmn")
    task = start(db).open_tasks[0]
    url = f"/api/v1/tasks/{task.id}/complete"
    data = {"amount": -1, "channel": "fax", "received_on": "2026-13-45", "summary": "x\u0000y"}
    zh = client_for(app, "super1").post(url, json={"data": data})
    assert zh.status_code == 422
    assert zh.json()["fields"] == {"summary": "含有非法字符"}  # unsafe values are refused before the schema
    data["summary"] = "ok"
    zh = client_for(app, "super1").post(url, json={"data": data}).json()
    assert zh["fields"] == {"amount": "数值过小", "channel": "取值不在允许范围内", "received_on": "格式不正确"}
    en = client_for(app, "super1", lang="en").post(url, json={"data": data}).json()
    assert en["fields"] == {"amount": "too small", "channel": "not one of the allowed values",
                            "received_on": "wrong format"}
    assert "minimum" in en["detail"] or "-1" in en["detail"]  # the specific reason stays available
