"""台账 in Chromium: a dirty ledger shows its bad rows and each unknown wording once (row count, nearest terms);
one wording added as a synonym from the report stops counting; the clean file, written in the offices' own
wording, imports; the code table shows the new version; any period exports."""

from openpyxl import load_workbook
from playwright.sync_api import expect
from sqlalchemy import select

from engine.store.tables import cases
from tests.helpers.browser import login, shot
from tests.helpers.ledger import row, write_csv, write_xlsx


def _only_refused_calls(errors: list[str]) -> list[str]:
    return [e for e in errors if "status of 422" not in e]


def test_a_dirty_ledger_shows_its_bad_rows_and_terms_and_the_clean_one_imports(new_page, live, tmp_path):
    dirty = write_csv(tmp_path / "脏台账.csv", [
        row("D-1", 纠纷类型="婚烟家庭"), row("D-2", 纠纷类型="宠物纠纷"), row("D-3", 纠纷类型="婚烟家庭"),
        row("D-4", 纠纷类型="宠物纠纷"), row("D-5", 纠纷类型="宠物纠纷", accepted="2025-02-30"), row("D-6")])
    clean = write_xlsx(tmp_path / "福新社区台账.xlsx", [
        row("C-1", "2025-03-01", 纠纷类型="婚姻纠纷", 来源渠道="12345"), row("C-2", "2025-03-02", 纠纷类型="劳资纠纷"),
        row("C-3", "2025-04-02", 纠纷类型="宠物纠纷", 处理结果="调解失败")])
    page = new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    login(page, "super1", "/ledger")
    upload = page.get_by_test_id("ledger-upload")
    upload.get_by_label("台账文件").set_input_files(str(dirty))
    upload.get_by_test_id("ledger-check").click()

    expect(page.get_by_test_id("ledger-refused")).to_contain_text("未导入任何案件")
    problems = page.get_by_test_id("ledger-problem")
    expect(problems).to_have_count(6)  # five unknown dispute types, one impossible date
    expect(problems.filter(has_text="2025-02-30")).to_contain_text("受理日期")
    terms = page.get_by_test_id("ledger-unknown-term")
    expect(terms).to_have_count(2)
    typo = page.locator('[data-testid="ledger-unknown-term"][data-term="婚烟家庭"]')
    expect(typo.locator("td").nth(2)).to_have_text("2")
    expect(typo.locator("td").nth(3)).to_have_text("2、4")
    expect(typo.get_by_test_id("ledger-nearest")).to_contain_text("婚姻家庭")
    pets = page.locator('[data-testid="ledger-unknown-term"][data-term="宠物纠纷"]')
    expect(pets.locator("td").nth(2)).to_have_text("3")
    expect(page.get_by_test_id("ledger-import")).to_be_disabled()
    page.get_by_test_id("ledger-refused").scroll_into_view_if_needed()
    shot(page, "17-ledger")

    pets.get_by_test_id("ledger-synonym-target").select_option("损害赔偿")
    pets.get_by_test_id("ledger-add-synonym").click()
    expect(terms).to_have_count(1)  # checked again: only the typo is left
    expect(page.get_by_test_id("ledger-problem")).to_have_count(3)

    upload.get_by_label("台账文件").set_input_files(str(clean))
    upload.get_by_test_id("ledger-check").click()
    expect(page.get_by_test_id("ledger-summary")).to_have_text("检查通过：共 3 行，将导入 3 行，已存在 0 行。")
    page.get_by_test_id("ledger-import").click()
    expect(page.get_by_test_id("ledger-summary")).to_have_text("已导入 3 行（已存在 0 行，未重复导入）。")
    with live.db.begin() as c:
        stored = dict(c.execute(select(cases.c.case_number, cases.c.dispute_type)).all())
    assert stored == {"C-1": "婚姻家庭", "C-2": "劳动争议", "C-3": "损害赔偿"}

    entry = page.locator('[data-testid="ledger-entry"][data-term="损害赔偿"]')
    expect(entry.get_by_test_id("ledger-entry-synonyms")).to_contain_text("宠物纠纷")
    expect(entry).to_contain_text("第1版")
    expect(entry).to_contain_text("super1")

    export = page.get_by_test_id("ledger-export")
    export.get_by_label("导出台账").select_option("range")
    export.get_by_label("开始日期").fill("2025-03-01")
    export.get_by_label("结束日期").fill("2025-03-31")
    with page.expect_download() as info:
        export.get_by_test_id("ledger-download").click()
    path = tmp_path / "export.xlsx"
    info.value.save_as(path)
    wb = load_workbook(path, read_only=True)
    numbers = [r[0] for r in wb.worksheets[0].iter_rows(min_row=2, values_only=True)]
    wb.close()
    assert numbers == ["C-1", "C-2"]
    assert _only_refused_calls(errors) == []


def test_a_leader_exports_and_reads_the_tables_but_imports_nothing(new_page, live):
    page = new_page()
    login(page, "leader1", "/ledger")
    expect(page.get_by_test_id("ledger-export")).to_be_visible()
    expect(page.get_by_test_id("ledger-entry").first).to_be_visible()
    expect(page.get_by_test_id("ledger-upload")).to_have_count(0)
    expect(page.get_by_test_id("ledger-edit")).to_have_count(0)
