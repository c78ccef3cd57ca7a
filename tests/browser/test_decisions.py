"""决策表 in Chromium: a supervisor edits a rule's output in the dmn-js decision table (Chinese labels), tries the
edited table on a sample input, publishes it, sees the cell diff, and a new case's screening suggestion follows
the edited rule (the lawyer's screening task says so)."""

from datetime import UTC, datetime

from playwright.sync_api import expect

from tests.helpers.browser import login, shot
from tests.helpers.process_driver import drive, intake

CELL = 'td[data-element-id="rule_08_out_route"]'


def _only_refused_calls(errors: list[str]) -> list[str]:
    return [e for e in errors if "status of 422" not in e]


def test_a_dmn_edit_changes_the_screening_of_a_new_case(live, new_page):
    page = new_page()
    login(page, "super1", "/decisions")
    row = page.get_by_test_id("decisions").locator("tr[data-decision=screening_route]")
    expect(row).to_contain_text("诉访分离甄别分流")
    expect(row).to_contain_text("首个命中")
    expect(row).to_contain_text("4 个条件 · 2 个结果 · 10 条规则")
    expect(row.locator("td").nth(3)).to_have_text("矛盾纠纷受理与分流(大调解)（第 1 版）")
    shot(page, "decisions")

    row.get_by_role("link", name="编辑").click()
    page.wait_for_url("**/decisions/screening_route/edit")
    expect(page.locator("#decision-editor[data-ready=true]")).to_be_attached()
    table = page.get_by_test_id("dmn-editor")
    expect(table).to_contain_text("命中策略")  # dmn-js's own labels in Chinese
    expect(table).to_contain_text("首个命中")
    expect(table).to_contain_text("劳动争议调解")  # rule 8's annotation
    expect(table.locator(CELL)).to_have_text('"labour_mediation"')

    # edit rule 8's output: labour disputes go to people's mediation
    table.locator(CELL).click()
    page.keyboard.press("Control+A")
    page.keyboard.type('"people_mediation"')
    expect(table.locator(CELL + " .cm-content")).to_have_text('"people_mediation"')
    page.get_by_test_id("dmn-editor").get_by_text("约定仲裁条款").first.click()  # leave the cell
    expect(page.get_by_text("有未发布的修改")).to_be_visible()

    # try it before publishing: the edited (unpublished) table decides
    form = page.get_by_test_id("try-form")
    form.get_by_label("诉求类别").select_option(label="请求调解化解纠纷")
    form.get_by_label("纠纷类型").select_option(label="劳动争议")
    form.get_by_label("约定仲裁条款").select_option(label="否")
    form.get_by_role("button", name="试算").click()
    result = page.get_by_test_id("try-result")
    expect(result.get_by_test_id("matched-rule")).to_have_text("第 8 条规则（劳动争议调解）")
    expect(result.get_by_test_id("output-route")).to_have_text("人民调解")
    expect(result.get_by_test_id("output-route_reason")).to_have_text("劳动争议,由和谐劳动关系综合服务中心调解")
    expect(table.locator('td.dec-hit[data-row-id="rule_08"]').first).to_be_attached()  # marked in the table
    result.scroll_into_view_if_needed()
    shot(page, "decision-try")

    page.get_by_test_id("dec-validate").click()
    expect(page.get_by_test_id("dec-valid")).to_be_visible()
    page.get_by_test_id("dec-publish").click()
    expect(page.get_by_test_id("dec-published")).to_contain_text("第 2 版")
    diff = page.get_by_test_id("dec-diff")
    expect(diff).to_contain_text("第 1 版 → 第 2 版的改动")
    cells = diff.get_by_test_id("diff-cells").locator("tbody tr")
    expect(cells).to_have_count(1)
    expect(cells.locator("td").nth(0)).to_have_text("第 8 条规则（劳动争议调解）")
    expect(cells.locator("td").nth(1)).to_have_text("建议分流")
    expect(cells.locator("td.dec-old")).to_contain_text('"labour_mediation"')
    expect(cells.locator("td.dec-new")).to_have_text('人民调解 "people_mediation"')
    expect(page.get_by_test_id("versions").locator("li")).to_have_count(2)
    expect(page.locator("#decision-editor")).to_contain_text("使用它的流程：矛盾纠纷受理与分流")
    diff.scroll_into_view_if_needed()
    shot(page, "decision-diff")
    assert _only_refused_calls(page.errors) == []

    # a new labour case: the screening suggests people's mediation, by rule 8
    case, _ = drive(live.db, "dispute_case", [("intake", intake(dispute_type="labour"))], start=datetime.now(UTC))
    [task] = [t for t in case.open_tasks if t.element_id == "lawyer_review"]
    lawyer = new_page()
    login(lawyer, "lawyer1", f"/tasks/{task.id}")
    panel = lawyer.get_by_test_id("screening")
    expect(panel.get_by_test_id("screening-suggested")).to_have_text("人民调解")
    expect(panel.get_by_test_id("screening-rule")).to_contain_text("第 8 条规则 · 劳动争议调解")


def test_a_broken_cell_is_refused_with_the_engines_reason(live, new_page):
    page = new_page()
    login(page, "admin1", "/decisions/screening_route/edit")
    expect(page.locator("#decision-editor[data-ready=true]")).to_be_attached()
    cell = page.get_by_test_id("dmn-editor").locator('td[data-element-id="rule_05_in_2"]')
    cell.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("True ==")
    page.get_by_test_id("dec-publish").click()
    expect(page.get_by_text("校验未通过，未发布")).to_be_visible()
    problems = page.get_by_test_id("dec-problems")
    expect(problems).to_contain_text("screening.dmn")
    expect(problems).to_contain_text("rule_05_in_2")
    expect(page.get_by_test_id("versions").locator("li")).to_have_count(1)  # nothing published


def test_other_roles_do_not_get_the_page(live, new_page):
    page = new_page()
    login(page, "mediator1", "/decisions")
    expect(page.locator("main")).not_to_contain_text("诉访分离甄别分流")
    assert page.title() != "决策表"
