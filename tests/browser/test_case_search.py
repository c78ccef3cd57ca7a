"""案件查询 in Chromium: a phone number and a 案号 written another way find their case from the header's search
box; the filters live in the URL (reload, back and a shared link show the same search); the export downloads an
xlsx holding the row; a search is saved and opened again."""

import io
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from openpyxl import load_workbook
from playwright.sync_api import expect

from engine.cases import service
from tests.helpers.browser import login, shot
from tests.helpers.process_driver import RESPONDENT, intake
from tests.helpers.ui import new_case

WANG = {"role": "applicant", "name": "王小明", "id_type": "resident_id", "id_number": "44030419770718345X",
        "phone": "13912345678"}


def registered(db, **over) -> tuple[int, str]:
    case_id, task_id = new_case(db)
    with db.begin() as conn:
        case = service.complete_task(conn, task_id, intake(**over), actor="window1")
    return case_id, case.case_number


def header_search(page, text: str) -> None:
    box = page.get_by_test_id("header-search")
    box.fill(text)
    box.press("Enter")
    page.wait_for_url("**/cases?q=*")


def test_a_phone_and_a_case_number_find_their_case_and_the_url_keeps_the_search(live, new_page):
    other_id, other_number = registered(live.db, parties=[RESPONDENT], dispute_type="contract")
    case_id, number = registered(live.db, parties=[WANG, RESPONDENT], risk_level="red", people_count=6,
                                 summary="六名工人被拖欠工资")
    page = new_page()
    login(page, "mediator1", "/")

    header_search(page, "139 1234 5678")
    rows = page.get_by_test_id("case-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(number)
    expect(rows.first).to_contain_text("王小明")
    expect(rows.first).to_contain_text("红色")
    expect(rows.first).to_contain_text("群体")
    shot(page, "16-case-search")

    year, seq = number.split("〔")[1].split("〕")[0], int(number.split("〕")[1].rstrip("号"))
    header_search(page, f"福田调[{year}]{seq}号")  # half-width brackets, no leading zeros
    expect(rows).to_have_count(1)
    expect(rows.first.get_by_role("link", name=number)).to_have_attribute("href", f"/cases/{case_id}")

    page.goto("/cases")
    expect(rows).to_have_count(2)
    page.get_by_text("更多条件").click()
    page.get_by_label("纠纷类型").select_option("contract")
    page.get_by_test_id("case-search-submit").click()
    page.wait_for_url("**dispute_type=contract*")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(other_number)
    assert parse_qs(urlparse(page.url).query) == {"dispute_type": ["contract"]}
    page.reload()
    expect(rows).to_have_count(1)
    expect(page.get_by_label("纠纷类型")).to_have_value("contract")
    page.go_back()
    page.wait_for_url(lambda url: "dispute_type" not in url)
    expect(rows).to_have_count(2)
    page.get_by_test_id("sort-case_number").click()
    page.wait_for_url("**sort=-case_number*")
    expect(rows.first).to_contain_text(number)
    assert other_id != case_id and page.errors == []


def test_the_export_downloads_the_rows_and_a_search_is_saved(live, new_page):
    _case_id, number = registered(live.db, parties=[WANG, RESPONDENT])
    registered(live.db, parties=[RESPONDENT], dispute_type="contract")
    page = new_page()
    login(page, "window1", "/cases?q=13912345678")
    page.goto("/cases?q=13912345678")
    expect(page.get_by_test_id("case-row")).to_have_count(1)
    with page.expect_download() as download:
        page.get_by_test_id("case-search-export").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == "案号" and len(values) == 2 and values[1][:2] == [number, "王小明"]

    page.get_by_test_id("saved-filter-name").fill("王小明的电话")
    page.get_by_test_id("saved-filter-save").click()
    expect(page.get_by_test_id("saved-filter-select")).to_contain_text("王小明的电话")
    page.goto("/cases")
    expect(page.get_by_test_id("case-row")).to_have_count(2)
    page.get_by_test_id("saved-filter-select").select_option(label="王小明的电话")
    page.wait_for_url("**/cases?q=13912345678")
    expect(page.get_by_test_id("case-row")).to_have_count(1)
    assert page.errors == []
