"""Intake in Chromium: a bad ID number and a bad phone get their field errors at once, next to their fields and
in the summary at the top (focused), in the page's language; the server answers the same when the page's own
check is bypassed."""

from playwright.sync_api import expect
from sqlalchemy import func, select

from engine.store.tables import cases
from tests.helpers.browser import login
from tests.helpers.leaks import english_words


def test_a_bad_id_number_and_a_bad_phone_are_both_shown_in_chinese(live, new_page):
    page = new_page()
    login(page, "window1", "/cases/new")
    page.get_by_role("radiogroup", name="来件渠道").get_by_label("综合服务大厅窗口").check()
    page.get_by_label("纠纷简要情况").fill("楼上漏水致楼下天花板受损")
    party = page.get_by_role("group", name="当事人 1")
    party.get_by_label("证件类型").select_option(label="居民身份证")
    party.get_by_label("证件号码").fill("123")
    party.get_by_label("联系电话").fill("abc")
    party.get_by_label("姓名/名称").fill("张某")
    page.get_by_role("button", name="登记受理").click()

    summary = page.get_by_test_id("error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("证件号码：证件号码格式不正确")
    expect(summary).to_contain_text("联系电话：电话号码格式不正确")
    expect(summary).to_contain_text("当事人请求事项：必填项")  # every problem at once, not one at a time
    id_field = party.get_by_label("证件号码")
    expect(id_field).to_have_attribute("aria-invalid", "true")
    error_id = id_field.get_attribute("aria-describedby").split()[0]
    expect(page.locator(f"#{error_id}")).to_have_text("证件号码格式不正确")
    expect(party.get_by_label("联系电话")).to_have_attribute("aria-invalid", "true")
    assert english_words(summary.inner_text()) == []

    # the server checks the same (the page's check bypassed): both errors again, in Chinese
    page.evaluate("window.tjCheck = null")
    party.get_by_label("证件号码").fill("440304199001011234")  # a wrong check digit
    page.get_by_role("button", name="登记受理").click()
    expect(summary).to_contain_text("身份证号码校验码不正确")
    expect(summary).to_contain_text("电话号码格式不正确")
    expect(summary).to_be_focused()
    assert english_words(summary.inner_text()) == []
    with live.db.begin() as conn:
        assert conn.execute(select(func.count()).select_from(cases)).scalar_one() == 0


def test_the_same_errors_in_english(live, new_page):
    page = new_page("en-GB")
    login(page, "window1", "/cases/new?lang=en")
    page.get_by_role("radiogroup", name="Intake channel").get_by_label("Service hall window").check()
    party = page.get_by_role("group", name="Party 1")
    party.get_by_label("ID type").select_option(label="Resident identity card")
    party.get_by_label("ID number").fill("123")
    party.get_by_label("Telephone").fill("abc")
    page.get_by_role("button", name="Register the case").click()
    summary = page.get_by_test_id("error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("ID number: not a valid ID number")
    expect(summary).to_contain_text("Telephone: not a phone number")
    expect(party.get_by_label("ID number")).to_have_attribute("aria-invalid", "true")


SAMPLES = [  # (id type or phone kind, value)
    ("resident_id", "440304199001031234"), ("resident_id", "440304199001011234"), ("resident_id", "123"),
    ("resident_id", "991105194912310021"), ("resident_id", "440304199002301234"), ("resident_id", "11010519491231002x"),
    ("resident_id", "440304900101123"), ("residence_permit", "440304199001031234"),
    ("passport", "E12345678"), ("passport", "ABCDEFG"), ("hk_macao_permit", "H12345678"), ("hk_macao_permit", "K1"),
    ("taiwan_permit", "12345678"), ("taiwan_permit", "T1234567"), ("foreign_permanent_id", "USA123456789012"),
    ("foreign_permanent_id", "123"), ("uscc", "91350100M000100Y43"), ("uscc", "91350100M000100Y44"),
    ("uscc", "91350100I000100Y43"), ("other", "1"),
    ("phone", "13800138000"), ("phone", "+86 138-0013-8000"), ("phone", "abc"), ("phone", "0755-83000000"),
    ("phone", "(0755)83000000转8001"), ("phone", "0755-0300000"), ("phone", "83000000"), ("phone", "400-820-8820"),
]


def test_the_page_checks_identifiers_as_the_server_does(live, new_page):
    """validators.js mirrors engine.core.identifiers: the same kind for every sample."""
    from engine.core import identifiers

    page = new_page()
    login(page, "window1", "/cases/new")
    page.wait_for_function("window.tjCheck !== undefined")
    for kind, value in SAMPLES:
        if kind == "phone":
            server = identifiers.check_phone(value)[1]
            client = page.evaluate("(v) => window.tjCheck.phone(v)", value)
        else:
            server = identifiers.check_id_number(kind, value)[1]
            client = page.evaluate("([k, v]) => window.tjCheck.idNumber(k, v)", [kind, value])
        assert client == server, (kind, value, client, server)
