"""The document templates page in Chromium: a supervisor uploads a broken template and sees the unknown fields
named, previews and uploads a good one, sees version 1 in use, retires it."""

from playwright.sync_api import expect

from tests.helpers.browser import login, shot

BROKEN = "<h1>{{ doc.title }}</h1>\n<p>{{ case.foo }}</p>\n<p>{{ form.no_such_field }}</p>"
GOOD = ("<html><head></head><body><h1>{{ doc.title }}</h1>{% for p in parties %}<p>{{ p.role_label }}：{{ p.name }}"
        "</p>{% endfor %}<p>{{ form.terms|d('') }}</p></body></html>")


def _only_refused_calls(errors: list[str]) -> list[str]:
    return [e for e in errors if "status of 422" not in e]


def test_supervisor_uploads_a_broken_then_a_good_template(new_page, live, tmp_path):
    broken = tmp_path / "broken.html"
    broken.write_text(BROKEN, encoding="utf-8")
    good = tmp_path / "协议书.html"
    good.write_text(GOOD, encoding="utf-8")
    page = new_page()
    login(page, "super1", "/templates")
    row = page.locator('tr[data-kind="agreement"]')
    expect(row).to_contain_text("人民调解协议书")
    expect(row.get_by_test_id("template-active")).to_contain_text("内置模板")

    form = page.get_by_test_id("template-upload")
    form.get_by_label("文书").select_option("agreement")
    form.get_by_label("模板文件（HTML，UTF-8）").set_input_files(str(broken))
    form.get_by_role("button", name="上传", exact=True).click()
    errors = page.get_by_test_id("template-errors")
    expect(errors).to_contain_text("case.foo")
    expect(errors).to_contain_text("form.no_such_field")
    expect(errors).to_contain_text("第3行")
    expect(row.get_by_test_id("template-active")).to_contain_text("内置模板")

    form.get_by_label("模板文件（HTML，UTF-8）").set_input_files(str(good))
    form.get_by_test_id("template-try").click()
    frame = page.frame_locator('[data-testid="template-preview"]')
    expect(frame.locator("h1")).to_have_text("人民调解协议书")
    expect(frame.locator("body")).to_contain_text("申请人：张三")
    form.get_by_label("说明").fill("试行格式")
    form.get_by_role("button", name="上传", exact=True).click()
    row = page.locator('tr[data-kind="agreement"]')
    expect(row.get_by_test_id("template-active")).to_contain_text("第1版")
    expect(row.locator('li[data-version="1"]')).to_contain_text("试行格式")
    shot(page, "15-templates")

    row.get_by_test_id("template-retire").click()
    row = page.locator('tr[data-kind="agreement"]')
    expect(row.get_by_test_id("template-active")).to_contain_text("内置模板")
    expect(row.locator('li[data-version="1"]')).to_contain_text("已停用")
    assert _only_refused_calls(page.errors) == []


def test_caseworkers_do_not_get_the_page(new_page, live):
    page = new_page()
    login(page, "mediator1", "/templates")
    expect(page.locator("main")).not_to_contain_text("上传新版本")
    assert page.locator('a[href="/templates"]').count() == 0
