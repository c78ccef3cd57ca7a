"""报表 in Chromium: a leader picks a quarter, reads the report as it reads (sections, tables, ECharts charts)
with the self-checks beside it, and downloads it in each format — md, xlsx, pdf, docx — each holding the
report (a figure shown on the page) and none the self-checks; a month and a custom range name their period."""

import io
from pathlib import Path

from docx import Document
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.helpers.browser import login, shot
from tests.helpers.ledger import row
from tests.helpers.period import LEDGER_ROWS
from tests.helpers.reports import COMMUNITIES, TYPES, load_ledger

TITLE = "2026年第4季度矛盾纠纷多元化解工作报告"
# Q4 2026: seven mediated disputes (six succeeded) over the types and communities, plus the period tests' rows
MEDIATED = [row(f"TJ-Q4-{i}", f"2026-{10 + i % 3}-{5 + i:02d}", 纠纷类型=TYPES[i % 3], 社区=COMMUNITIES[i % 2],
                处理结果="调解成功" if i < 6 else "调解不成") for i in range(7)]


def _download(page, fmt: str) -> tuple[str, bytes]:
    with page.expect_download() as download:
        page.get_by_test_id(f"report-download-{fmt}").click()
    return download.value.suggested_filename, Path(download.value.path()).read_bytes()


def _pick_quarter(page, year: str, quarter: str) -> None:
    page.get_by_label("期间类型").select_option("quarter")
    page.get_by_label("年份").fill(year)
    page.get_by_label("季度", exact=True).select_option(quarter)
    page.get_by_test_id("report-show").click()


def test_the_report_reads_with_charts_and_checks_and_downloads_in_each_format(live, new_page, tmp_path):
    load_ledger(live.db, tmp_path, [*MEDIATED, *LEDGER_ROWS])
    page = new_page()
    login(page, "leader1", "/reports")
    _pick_quarter(page, "2026", "4")
    page.wait_for_url("**/reports?period=2026Q4")
    expect(page.get_by_test_id("report-title")).to_have_text(TITLE)
    document = page.get_by_test_id("report-document")
    # 8 handled: the seven rows and TJ-1 (调解成功 by default); seven succeeded
    expect(document).to_contain_text("共调处民间纠纷8宗，成功7宗")
    expect(document).to_contain_text("转送有权处理机关1件，不计入办结")
    headings = page.get_by_test_id("report-section").locator("h3")
    expect(headings).to_have_text(["人民调解", "信访", "访前法律工作室", "和谐劳动关系综合服务中心", "仲裁工作站",
                                   "办结情况", "时限中止与延长", "办理时限"])
    types = page.get_by_role("table", name="按纠纷类型")
    expect(types.locator("tbody tr").first).to_contain_text("邻里")
    charts = page.get_by_test_id("report-chart")
    expect(charts).to_have_count(5)  # type, month, community, channel, SLA
    expect(charts.nth(0).locator("svg")).to_have_count(1)
    expect(page.get_by_role("img", name="图表：按月份")).to_contain_text("11月")

    checks = page.get_by_test_id("report-checks")
    expect(page.get_by_test_id("report-checks-summary")).to_have_text("31 项通过，0 项未通过")
    expect(checks.get_by_test_id("report-check").filter(has_text="各纠纷类型之和等于调处总数")).to_contain_text("8 = 8")
    expect(checks).to_contain_text("办结情况（合计）：办结 + 转送 + 办理中 = 受理")
    expect(document).not_to_contain_text("自检")
    shot(page, "17-reports")

    name, md = _download(page, "md")
    assert name == "2026年第4季度报告.md"
    text = md.decode()
    assert text.startswith(f"# {TITLE}\n") and "共调处民间纠纷8宗，成功7宗" in text and "自检" not in text

    name, xlsx = _download(page, "xlsx")
    assert name == "2026年第4季度报告.xlsx"
    wb = load_workbook(io.BytesIO(xlsx))
    figures = {r[0]: r[1] for r in wb["人民调解"].iter_rows(values_only=True) if r[0]}
    assert figures["调处纠纷（宗）"] == 8 and figures["调解成功（宗）"] == 7  # as the page says
    assert "自检" not in wb.sheetnames

    name, pdf = _download(page, "pdf")
    assert name == "2026年第4季度报告.pdf" and pdf.startswith(b"%PDF")
    pdf_text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).replace("\n", "")
    assert TITLE in pdf_text and "共调处民间纠纷8宗，成功7宗" in pdf_text and "自检" not in pdf_text

    name, docx = _download(page, "docx")
    assert name == "2026年第4季度报告.docx"
    doc = Document(io.BytesIO(docx))
    assert doc.paragraphs[0].text == TITLE
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "共调处民间纠纷8宗，成功7宗" in body and "自检" not in body
    assert "邻里" in {c.text for t in doc.tables for r in t.rows for c in r.cells}
    assert page.errors == []


def test_a_month_and_a_custom_range_name_their_period_and_the_url_keeps_it(live, new_page, tmp_path):
    load_ledger(live.db, tmp_path, [*MEDIATED, *LEDGER_ROWS])
    page = new_page()
    login(page, "super1", "/reports?period=2026Q4")
    expect(page.get_by_test_id("report-title")).to_have_text(TITLE)
    expect(page.get_by_label("期间类型")).to_have_value("quarter")

    page.get_by_label("期间类型").select_option("month")
    page.get_by_label("月份", exact=True).fill("2026-11")
    page.get_by_test_id("report-show").click()
    page.wait_for_url("**/reports?from=2026-11-01&to=2026-11-30")
    expect(page.get_by_test_id("report-title")).to_have_text("2026年11月1日至11月30日矛盾纠纷多元化解工作报告")
    expect(page.get_by_test_id("report-document")).to_contain_text("共调处民间纠纷2宗")  # TJ-Q4-1 and -4
    page.reload()
    expect(page.get_by_label("期间类型")).to_have_value("month")
    expect(page.get_by_label("月份", exact=True)).to_have_value("2026-11")

    page.get_by_label("期间类型").select_option("range")
    page.get_by_label("开始日期（受理日期）").fill("2026-12-01")
    page.get_by_label("结束日期（含）").fill("2026-11-01")
    page.get_by_test_id("report-show").click()
    expect(page.get_by_test_id("report-error")).to_contain_text("结束日期")  # the engine's own message, in Chinese
    page.get_by_label("结束日期（含）").fill("2026-12-31")
    page.get_by_test_id("report-show").click()
    expect(page.get_by_test_id("report-title")).to_have_text("2026年12月1日至12月31日矛盾纠纷多元化解工作报告")
    expect(page.get_by_test_id("report-document")).to_contain_text("共调处民间纠纷3宗")  # TJ-Q4-2, TJ-Q4-5 and TJ-1
    assert [e for e in page.errors if "status of 422" not in e] == []  # the refused range only
