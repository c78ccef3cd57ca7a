"""The form editor in Chromium: a supervisor finds a step's form on /forms, opens it in the process editor, adds a
required field (labels, help text, English texts), moves it with the keyboard, sees it in the live preview and the
engine's checks, publishes the process, and the task of a new case then asks for the field: submitting without it
is refused with the field's error (by the server too)."""

import json

from playwright.sync_api import expect

from engine.store import definitions as store
from tests.helpers.browser import login, mediation_task, shot
from tests.helpers.paths import BPMN_DIR


def test_a_form_edit_adds_a_required_field_the_task_then_asks_for(new_page, live):
    page = new_page()
    login(page, "super1", "/forms")
    row = page.get_by_test_id("form-row-people_mediation-mediation_accept")
    expect(row).to_contain_text("受理调解并告知权利义务")
    expect(row).to_contain_text("mediation_accept.json")
    expect(row.get_by_role("cell").nth(2)).to_have_text("6")  # fields
    shot(page, "forms-list")
    row.get_by_role("link", name="编辑表单：受理调解并告知权利义务").click()
    page.wait_for_url("**/processes/people_mediation/editor?form=mediation_accept")

    dialog = page.get_by_test_id("form-editor")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_test_id("fe-file")).to_have_text("mediation_accept.json")
    expect(dialog.get_by_label("表单标题（中文）")).to_have_value("受理人民调解")
    fields = dialog.get_by_test_id("fe-field")
    expect(fields).to_have_count(6)
    expect(dialog.get_by_test_id("fe-valid")).to_be_visible()

    # a new field: without a label the engine's check names the problem
    dialog.get_by_role("button", name="添加字段").click()
    expect(fields).to_have_count(7)
    new = fields.nth(6)
    expect(new.get_by_label("标签（中文）")).to_be_focused()
    problems = dialog.get_by_test_id("fe-problems")
    expect(problems).to_contain_text("缺少中文标签")
    dialog.get_by_role("button", name="应用到流程").click()
    expect(page.get_by_role("status").filter(has_text="表单有问题，未应用")).to_be_visible()

    new.get_by_label("字段名（数据中的名称）").fill("callback_phone")
    new.get_by_label("字段名（数据中的名称）").press("Tab")
    new.get_by_label("标签（中文）").fill("回访电话")
    new.get_by_label("标签（英文）").fill("Callback phone")
    new.get_by_label("填写说明（中文）").fill("当事人同意接听回访的手机号码")
    new.get_by_label("填写说明（英文）").fill("The mobile number the party agrees to be called back on")
    new.get_by_label("格式校验").select_option(label="手机号码")
    new.get_by_label("必填").check()
    expect(dialog.get_by_test_id("fe-valid")).to_be_visible()
    expect(problems).not_to_contain_text("缺少中文标签")

    # moved up with the keyboard: the focus stays on the button, the order and the preview follow
    up = new.get_by_role("button", name="上移 回访电话")
    up.focus()
    page.keyboard.press("Enter")
    expect(fields.nth(5)).to_contain_text("回访电话")
    expect(fields.nth(5).get_by_role("button", name="上移 回访电话")).to_be_focused()

    preview = dialog.get_by_test_id("fe-preview")
    phone = preview.get_by_label("回访电话")
    expect(phone).to_be_visible()
    expect(preview.get_by_text("当事人同意接听回访的手机号码")).to_be_visible()
    labels = preview.locator(".form-body > .field > label, .form-body > fieldset > legend").all_inner_texts()
    assert labels.index("回访电话 *") == 5, labels
    # the preview is checked by the engine as completing the task would be
    phone.fill("12345")
    dialog.get_by_role("button", name="试填校验").click()
    summary = dialog.get_by_test_id("fe-preview-summary")
    expect(summary).to_contain_text("回访电话")
    expect(phone).to_have_attribute("aria-invalid", "true")
    shot(page, "form-editor")

    dialog.get_by_role("button", name="应用到流程").click()
    expect(dialog).to_have_count(0)
    expect(page.get_by_text("有未发布的修改")).to_be_visible()
    page.get_by_role("button", name="发布").click()
    expect(page.get_by_test_id("published")).to_have_text("已发布为新版本 v2")
    expect(page.get_by_test_id("publish-diff")).to_contain_text("mediation_accept.json")
    with live.db.begin() as conn:
        latest = store.get(conn, "people_mediation")
        schema = store.forms(conn, latest.id)["mediation_accept.json"]
    assert latest.version == 2
    assert schema["properties"]["callback_phone"] == {
        "type": "string", "maxLength": 200, "title": "回访电话", "x-title-en": "Callback phone",
        "description": "当事人同意接听回访的手机号码",
        "x-description-en": "The mobile number the party agrees to be called back on", "format": "cn-mobile"}
    assert "callback_phone" in schema["required"] and schema["x-order"].index("callback_phone") == 5
    assert [e for e in page.errors if "status of 422" not in e] == []  # only the preview's refused try

    # a new case: its mediation acceptance asks for the field, and refuses a submission without it
    case, task = mediation_task(live.db)
    mediator = new_page()
    login(mediator, "mediator1", f"/tasks/{task.id}")
    mediator.get_by_role("button", name="认领").click()
    field = mediator.get_by_label("回访电话")
    expect(field).to_be_visible()
    expect(mediator.get_by_text("当事人同意接听回访的手机号码")).to_be_visible()
    mediator.evaluate("window.tjCheck = null")  # the server's own answer, not the page's check
    mediator.get_by_role("button", name="提交办结").click()
    summary = mediator.get_by_test_id("error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("回访电话：必填项")
    expect(field).to_have_attribute("aria-invalid", "true")
    error_id = field.get_attribute("aria-describedby").split()[0]
    expect(mediator.locator(f"#{error_id}")).to_have_text("必填项")
    shot(mediator, "form-editor-task")
    # a wrong number gets the format's error
    field.fill("12345")
    mediator.get_by_role("button", name="提交办结").click()
    expect(summary).to_contain_text("回访电话：")
    expect(summary).not_to_contain_text("回访电话：必填项")


def test_choices_type_and_removal_in_english_reach_the_bundle(new_page, live):
    page = new_page("en-GB")
    login(page, "super1", "/processes/people_mediation/editor?form=mediation_accept&lang=en")
    dialog = page.get_by_test_id("form-editor")
    expect(dialog.get_by_label("Form title (English)")).to_have_value("Accept people's mediation")
    fields = dialog.get_by_test_id("fe-field")
    expect(fields).to_have_count(6)
    # the last field removed, the focus on the one before it
    last = fields.nth(5)
    last.get_by_role("button", name="Remove field First mediation session date").click()
    expect(fields).to_have_count(5)
    expect(fields.nth(4).get_by_label("Label (Chinese)")).to_be_focused()

    dialog.get_by_role("button", name="Add a field").click()
    new = fields.nth(5)
    new.get_by_label("Label (Chinese)").fill("回访方式")
    new.get_by_label("Label (English)").fill("Follow-up by")
    new.get_by_label("Type").select_option(label="Drop-down choice")
    choices = new.get_by_test_id("fe-choice")
    expect(choices).to_have_count(1)
    new.get_by_label("Value 1").fill("phone")
    new.get_by_label("Chinese label 1").fill("电话")
    new.get_by_label("English label 1").fill("Phone")
    new.get_by_role("button", name="Add a choice").click()
    expect(new.get_by_label("Chinese label 2")).to_be_focused()
    # a second choice with the same value and no label: the engine's check names both problems
    new.get_by_label("Value 2").fill("phone")
    problems = dialog.get_by_test_id("fe-problems")
    expect(problems).to_contain_text("Field “Follow-up by”: has two choices with the same value")
    expect(problems).to_contain_text("every choice needs a Chinese label")
    new.get_by_label("Value 2").fill("visit")
    new.get_by_label("Chinese label 2").fill("上门")
    new.get_by_label("English label 2").fill("Home visit")
    expect(dialog.get_by_test_id("fe-valid")).to_be_visible()
    # the preview draws a drop-down, in English, as the task page would
    select = dialog.get_by_test_id("fe-preview").get_by_label("Follow-up by")
    expect(select.locator("option")).to_have_text(["Choose…", "Phone", "Home visit"])
    # radio buttons keep the choices
    new.get_by_label("Type").select_option(label="Radio buttons")
    expect(dialog.get_by_test_id("fe-preview").get_by_role("radiogroup", name="Follow-up by")
           .get_by_label("Home visit")).to_be_visible()

    dialog.get_by_role("button", name="Apply to the process").click()
    expect(dialog).to_have_count(0)
    schema = page.evaluate("() => window.tjEditor.state.forms['mediation_accept.json']")
    assert "first_session_date" not in schema["properties"]
    assert schema["properties"]["field_6"] == {
        "title": "回访方式", "x-title-en": "Follow-up by", "type": "string", "enum": ["phone", "visit"],
        "x-enumNames": ["电话", "上门"], "x-enumNames-en": ["Phone", "Home visit"], "x-widget": "radio"}
    assert schema["x-order"][-1] == "field_6"
    original = json.loads((BPMN_DIR / "forms" / "mediation_accept.json").read_text("utf-8"))
    for key, prop in original["properties"].items():  # the other fields kept as they were
        assert key == "first_session_date" or schema["properties"][key] == prop, key
    expect(page.get_by_text("Unpublished changes")).to_be_visible()
    assert page.errors == []


def test_a_task_without_a_form_gets_a_new_one_that_validates(new_page, live):
    page = new_page()
    login(page, "super1", "/processes/people_mediation/editor")
    expect(page.locator("#editor-page[data-ready=true]")).to_be_attached()
    page.locator('g.djs-element.djs-shape[data-element-id="mediation_accept"]').click()
    page.get_by_label("表单", exact=True).select_option("")
    page.get_by_role("button", name="新建表单").click()
    dialog = page.get_by_test_id("form-editor")
    expect(dialog.get_by_test_id("fe-file")).to_have_text("mediation_accept_2.json")  # the task's id, not taken
    expect(dialog.get_by_label("表单标题（中文）")).to_have_value("受理调解并告知权利义务")
    dialog.get_by_role("button", name="添加字段").click()
    dialog.get_by_label("标签（中文）").fill("受理意见")
    dialog.get_by_label("类型").select_option(label="多行文本")
    dialog.get_by_label("必填").check()
    expect(dialog.get_by_test_id("fe-preview").locator("textarea")).to_be_visible()
    dialog.get_by_role("button", name="应用到流程").click()
    expect(page.get_by_label("表单", exact=True)).to_have_value("mediation_accept_2.json")
    page.get_by_role("button", name="校验").click()
    expect(page.get_by_test_id("valid")).to_have_text("校验通过，可以发布")
    schema = page.evaluate("() => window.tjEditor.state.forms['mediation_accept_2.json']")
    assert schema["required"] == ["field_1"] and schema["properties"]["field_1"]["x-widget"] == "textarea"
    assert page.errors == []
