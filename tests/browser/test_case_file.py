"""The case file (卷宗) on the case page, in Chromium: a supervisor files a closed case, sees its number and 卷内目录,
downloads the whole-file PDF (its text read back with pypdf), and reopens it with a reason."""

from playwright.sync_api import expect
from pypdf import PdfReader

from tests.helpers.browser import login, shot
from tests.helpers.case_file_data import add_document, closed_case


def test_supervisor_files_a_closed_case_downloads_the_pdf_and_reopens_it(live, new_page):
    case_id = closed_case(live.db)
    with live.db.begin() as conn:
        add_document(conn, case_id, "agreement", "人民调解协议书", pages=2, number="(2026)福田人调字第5号")
    page = new_page()
    login(page, "super1", f"/cases/{case_id}")
    page.goto(f"/cases/{case_id}")
    box = page.get_by_test_id("case-file")
    expect(box).to_contain_text("尚未立卷归档")
    box.get_by_test_id("file-case").click()

    number = box.get_by_test_id("file-number")
    expect(number).to_contain_text("人调卷第1号")
    file_number = number.inner_text().strip()
    expect(box.get_by_test_id("case-readonly")).to_contain_text("只读")
    expect(box.get_by_test_id("file-retention")).to_contain_text("短期")
    contents = box.get_by_test_id("file-contents")
    expect(contents.get_by_role("row").filter(has_text="人民调解协议书")).to_contain_text("3–4")
    expect(contents).to_contain_text("卷宗备考表")
    expect(page.get_by_test_id("case-timeline").locator('tr[data-kind="case_filed"]')).to_contain_text(file_number)
    shot(page, "15-case-file")

    with page.expect_download() as download:
        box.get_by_test_id("file-pdf").click()
    pdf = PdfReader(download.value.path())
    texts = [p.extract_text().replace("\n", "").replace(" ", "") for p in pdf.pages]
    assert file_number in texts[0] and "卷内目录" in texts[1]
    assert "人民调解协议书" in texts[1] and "人民调解协议书" in texts[2]
    assert len(texts) == 5

    box.get_by_test_id("file-reopen").click()
    dialog = page.get_by_test_id("reopen-dialog")
    dialog.get_by_test_id("reopen-reason").fill("改")
    dialog.get_by_test_id("reopen-confirm").click()
    expect(dialog.get_by_role("alert")).to_be_visible()  # too short: refused, the dialog stays
    dialog.get_by_test_id("reopen-reason").fill("补充回访记录后重新归档")
    dialog.get_by_test_id("reopen-confirm").click()
    expect(box.get_by_test_id("file-status")).to_have_text("已重新开卷")
    expect(box.get_by_test_id("case-readonly")).to_have_count(0)
    expect(box).to_contain_text("补充回访记录后重新归档")
    expect(box.get_by_test_id("file-case")).to_have_text("重新立卷归档")
    expect(page.get_by_test_id("case-timeline").locator('tr[data-kind="case_reopened"]')).to_contain_text(
        "补充回访记录后重新归档")
    assert [e for e in page.errors if "422" not in e] == []  # the refused short reason is the only error


def test_a_mediator_sees_the_file_but_cannot_file_or_reopen(live, new_page):
    case_id = closed_case(live.db)
    page = new_page()
    login(page, "mediator1", f"/cases/{case_id}")
    page.goto(f"/cases/{case_id}")
    expect(page.get_by_test_id("case-timeline")).to_be_visible()
    expect(page.get_by_test_id("case-file")).to_have_count(0)  # nothing to file for a mediator
    assert page.errors == []
