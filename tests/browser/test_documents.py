"""Documents in Chromium: the mediator makes the 调解协议书 at the agreement task, downloads it, has it signed, completes.

Runs on the real documents API (WeasyPrint PDF, text read back with pypdf). With TIAOJIE_SCREENSHOTS set, a
generated agreement is also pictured for the README (docs/screenshots/agreement.png).
"""

import re
import zipfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from engine.cases import service
from engine.documents.render import base_css
from tests.helpers.api import client_for
from tests.helpers.browser import SCREENSHOTS, login, mediation_task
from tests.helpers.process_driver import session

SHANGHAI = ZoneInfo("Asia/Shanghai")
TERMS = "被申请人李某于十日内向申请人张某支付维修费用人民币2500元。"
SIGNED = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
NUMBER = re.compile(r"^\(\d{4}\)\S+人调字第\d+号$")
A4_WIDTH = 794  # px at 96 dpi
PAPER = "html { background: #fff; } body { margin: 0; padding: 140px 98px 132px 106px; }"  # the 公文 margins, mm→px


def _agreement_task(db):
    """A people's-mediation case of 福田社区 whose session mediator1 held reached an agreement: (case, the
    mediation_agreement task, kept by mediator1)."""
    case, task = mediation_task(db, session=True)
    with db.begin() as conn:
        case = service.complete_task(conn, task.id, session("agreement_reached"), actor="mediator1")
    [agreement] = [t for t in case.open_tasks if t.element_id == "mediation_agreement"]
    return case, agreement


def _unexpected_errors(page) -> list[str]:
    """JS errors, apart from the browser's own log line for a refused answer the page shows."""
    return [e for e in page.errors if not re.search(r"status of (409|422)", e)]


def _pdf_text(path) -> str:
    return "".join(p.extract_text() or "" for p in PdfReader(path).pages)


def _fill_agreement(page) -> None:
    page.get_by_role("radiogroup", name="协议形式").get_by_label("书面调解协议书").check()
    page.get_by_label("协议生效日期").fill(datetime.now(SHANGHAI).date().isoformat())
    page.get_by_label("协议内容").fill(TERMS)
    page.get_by_label("协议金额(元)").fill("2500")
    page.get_by_role("radiogroup", name="当事人拟申请司法确认").get_by_label("否").check()


def test_mediator_makes_downloads_and_files_the_signed_agreement(live, new_page, tmp_path):
    case, task = _agreement_task(live.db)
    page = new_page()
    login(page, "mediator1", f"/tasks/{task.id}")
    # mediator1 held the session, so the agreement step is already theirs (case continuity): no 认领
    expect(page.get_by_test_id("task-assignee")).to_have_text("mediator1")
    expect(page.get_by_role("button", name="提交办结")).to_be_visible()
    _fill_agreement(page)

    panel = page.get_by_test_id("task-documents")
    expect(panel.get_by_role("heading", name="文书")).to_be_visible()
    agreement = panel.get_by_test_id("doc-agreement")
    expect(agreement).to_contain_text("尚未生成")

    # 预览: the draft being filled in, no number taken yet
    agreement.get_by_role("button", name="预览 人民调解协议书").click()
    frame = page.frame_locator("[data-testid=doc-preview]")
    expect(frame.locator("body")).to_contain_text("文号待编")
    expect(frame.locator("body")).to_contain_text(TERMS)

    # 生成: the number and version 1
    agreement.get_by_role("button", name="生成 人民调解协议书").click()
    number = agreement.get_by_test_id("doc-number")
    expect(number).to_have_text(NUMBER)
    expect(agreement.get_by_test_id("doc-version")).to_have_text("1")
    the_number = number.inner_text()
    expect(panel.get_by_role("status")).to_contain_text(the_number)

    # 下载 PDF (the kept copy, 存档): the number and the parties are in its text
    expect(agreement.get_by_label("份别")).to_have_value("file")
    with page.expect_download() as info:
        agreement.get_by_test_id("doc-pdf").click()
    saved = tmp_path / "agreement.pdf"
    info.value.save_as(saved)
    text = _pdf_text(saved)
    assert the_number in text
    assert "张某" in text and "李某" in text
    assert "2500" in text

    # 下载 DOCX: an editable Word file with the same number
    with page.expect_download() as info:
        agreement.get_by_test_id("doc-docx").click()
    info.value.save_as(tmp_path / "agreement.docx")
    with zipfile.ZipFile(tmp_path / "agreement.docx") as docx:
        assert the_number in docx.read("word/document.xml").decode("utf-8")

    # a party's own copy from the chooser
    options = agreement.get_by_label("份别").locator("option")
    labels = options.all_inner_texts()
    assert {"存档", "全部", "脱敏"} <= set(labels), labels
    party = next(label for label in labels if "张某" in label)
    agreement.get_by_label("份别").select_option(label=party)
    with page.expect_download() as info:
        agreement.get_by_test_id("doc-pdf").click()
    info.value.save_as(tmp_path / "party.pdf")
    assert "张某" in _pdf_text(tmp_path / "party.pdf")

    # a second 生成 asks why: version 2, same number, version 1 kept
    agreement.get_by_role("button", name="更正后重新生成 人民调解协议书").click()
    agreement.get_by_role("button", name="确认重新生成").click()
    expect(agreement.get_by_text("请填写更正原因")).to_be_visible()
    agreement.get_by_label("更正原因").fill("更正履行期限")
    agreement.get_by_role("button", name="确认重新生成").click()
    expect(agreement.get_by_test_id("doc-version")).to_have_text("2")
    expect(agreement.get_by_test_id("doc-number")).to_have_text(the_number)
    expect(agreement.get_by_test_id("doc-earlier-version")).to_have_count(1)

    # completing without the signed paper is refused, in words that say what to do
    page.get_by_role("button", name="提交办结").click()
    summary = page.get_by_test_id("error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("签字")
    expect(summary).to_contain_text("上传签字件")
    assert page.url.endswith(f"/tasks/{task.id}")

    # 上传签字件: listed under the document and put into the form's 调解协议书 field
    agreement.get_by_label("上传签字件").set_input_files(
        files=[{"name": "协议书签字版.pdf", "mimeType": "application/pdf", "buffer": SIGNED}])
    expect(agreement.get_by_test_id("doc-signed")).to_contain_text("协议书签字版.pdf")
    expect(page.locator("[data-path=agreement_files]")).to_contain_text("协议书签字版.pdf")
    page.get_by_role("button", name="提交办结").click()
    page.wait_for_url(lambda url: url.endswith("/"))
    expect(page.locator("#toast")).to_contain_text("已办结")

    # the case page: the document with its versions, the number on the timeline
    page.goto(f"/cases/{case.id}")
    documents = page.get_by_test_id("case-documents")
    expect(documents.get_by_test_id("case-document")).to_have_count(2)
    expect(documents.locator("tr.current")).to_contain_text(the_number)
    expect(documents.locator("tr.current")).to_contain_text("协议书签字版.pdf")
    issued = page.get_by_test_id("case-timeline").locator("tr[data-kind=document_issued]")
    expect(issued).to_have_count(2)
    expect(issued.first).to_contain_text("制作文书")
    expect(issued.first).to_contain_text(the_number)
    expect(issued.first).to_contain_text("制作日期")
    expect(page.get_by_test_id("case-timeline").locator("tr[data-kind=document_signed]")).to_contain_text("上传签字件")
    assert _unexpected_errors(page) == []


def test_the_panel_speaks_english(live, new_page):
    case, task = _agreement_task(live.db)
    page = new_page("en-GB")
    login(page, "mediator1", f"/tasks/{task.id}?lang=en")
    expect(page.get_by_role("button", name="Complete")).to_be_visible()  # already theirs: no Claim
    page.get_by_role("radiogroup", name="Form of agreement").get_by_label("Written mediation agreement").check()
    page.get_by_label("Date the agreement takes effect").fill(datetime.now(SHANGHAI).date().isoformat())
    page.get_by_label("Terms of the agreement").fill(TERMS)
    page.get_by_role("radiogroup", name="Parties intend to apply for judicial confirmation").get_by_label("No").check()
    panel = page.get_by_test_id("task-documents")
    expect(panel.get_by_role("heading", name="Documents")).to_be_visible()
    agreement = panel.get_by_test_id("doc-agreement")
    expect(agreement).to_contain_text("People's mediation agreement")
    agreement.get_by_role("button", name="Generate People's mediation agreement").focus()  # by keyboard
    page.keyboard.press("Enter")
    expect(agreement.get_by_test_id("doc-number")).to_have_text(NUMBER)
    expect(agreement.get_by_role("link", name="Download PDF")).to_be_visible()
    page.get_by_role("button", name="Complete").click()
    summary = page.get_by_test_id("error-summary")
    expect(summary).to_contain_text("Upload the signed copy")
    assert not re.search(r"[\u4e00-\u9fff]", panel.get_by_role("heading", name="Documents").inner_text())
    assert _unexpected_errors(page) == []


@pytest.mark.skipif(not SCREENSHOTS, reason="only when TIAOJIE_SCREENSHOTS names a folder (make screenshots)")
def test_agreement_picture_for_the_readme(live, chromium):
    """docs/screenshots/agreement.png: a generated 调解协议书 (its preview HTML at A4 width)."""
    case, task = _agreement_task(live.db)
    client = client_for(live.server.config.app, "mediator1")  # the live service's own app, same database
    data = {"agreement_form": "written", "agreement_effective_on": datetime.now(SHANGHAI).date().isoformat(),
            "terms": TERMS, "amount_agreed": 2500, "performance_deadline": "2026-12-31",
            "apply_judicial_confirmation": False}
    made = client.post(f"/api/v1/cases/{case.id}/documents", json={"kind": "agreement", "task_id": task.id, "data": data})
    assert made.status_code == 201, made.text
    html = client.get(f"/api/v1/documents/{made.json()['id']}/preview")
    assert html.status_code == 200, html.text
    page = chromium.new_page(viewport={"width": A4_WIDTH, "height": 1123})
    try:
        page.set_content(html.text)
        if not page.locator("style").count():  # the 公文 layout, as the PDF renderer applies it
            page.add_style_tag(content=base_css())
        page.add_style_tag(content=PAPER)
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / "agreement.png"), full_page=True)
    finally:
        page.close()
    assert (Path(SCREENSHOTS) / "agreement.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_leader_sees_the_documents_masked_and_makes_none(live, new_page):
    case, task = _agreement_task(live.db)
    maker = client_for(live.server.config.app, "mediator1")
    made = maker.post(f"/api/v1/cases/{case.id}/documents", json={"kind": "agreement", "task_id": task.id, "data": {
        "agreement_form": "written", "terms": TERMS, "apply_judicial_confirmation": False}})
    assert made.status_code == 201, made.text
    page = new_page()
    login(page, "leader1", f"/cases/{case.id}")
    row = page.get_by_test_id("case-documents").get_by_test_id("case-document")
    expect(row).to_contain_text(made.json()["number"])
    expect(row.get_by_label("份别").locator("option")).to_have_text(["脱敏"])
    expect(row.get_by_test_id("doc-pdf")).to_have_attribute("href", re.compile(r"copy=masked$"))
    expect(row.get_by_label("上传签字件")).to_have_count(0)
    expect(page.get_by_test_id("case-documents").get_by_role("button")).to_have_count(0)
    assert _unexpected_errors(page) == []
