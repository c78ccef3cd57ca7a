"""The timer panel in the office's words and the version diff's old and new values (issue 17), in Chromium.

A supervisor imports a model whose timer is still a Python call (shown read only), sets "20 个工作日" in the
panel and publishes; a case started on Monday 21 September 2026 waits until the end of the 20th working day by
the office calendar (the day itself not counted; 中秋 and the National Day holidays skipped; Saturday 10 October
a working day): Monday 26 October. The timer then becomes "10 日": the diff shows the old and the new value, in
the editor and in the versions list, and a new case's 10 days end on 1 October, a holiday, so move to 8 October.
"""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import time_machine
from lxml import etree
from playwright.sync_api import expect

from engine.cases import service
from engine.store import definitions as store
from tests.helpers.browser import login, shot
from tests.helpers.paths import FIXTURES

SHANGHAI = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 9, 21, 2, 0, tzinfo=UTC)  # Monday 21 September 2026, 10:00 in Shanghai
BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
KEY = "objection_period"


def _select(page, element_id: str) -> None:
    page.locator(f'g.djs-element.djs-shape[data-element-id="{element_id}"]').click()
    expect(page.get_by_label("ID", exact=True)).to_have_value(element_id)


def _timer_text(db, version: int) -> tuple[str, str]:
    """(slot, text) of the timer of op_wait in the stored version."""
    with db.begin() as conn:
        d = store.get(conn, KEY, version)
        xml = next(iter(store.sources(conn, d.id).values()))
    ev = etree.fromstring(xml.encode()).find(f".//{{{BPMN_NS}}}intermediateCatchEvent[@id='op_wait']")
    (part,) = [c for c in ev.find(f"{{{BPMN_NS}}}timerEventDefinition") if isinstance(c.tag, str)]
    return etree.QName(part).localname, part.text


def _case_due(page, db) -> tuple[str, datetime]:
    """Start a case of the process; the due time its page shows for the timer, and the one stored."""
    with db.begin() as conn:
        case = service.start_case(conn, KEY, data={}, actor="window1")
    page.goto(f"/cases/{case.id}")
    row = page.get_by_test_id("case-deadlines").get_by_role("row").filter(has_text="定时器")
    expect(row.get_by_test_id("deadline-due")).to_be_visible()
    return row.get_by_test_id("deadline-due").inner_text(), case.next_timer_at


def test_twenty_working_days_in_the_timer_panel_give_the_due_date_and_the_diff_shows_old_and_new(new_page, live):
    with time_machine.travel(T0, tick=False):
        page = new_page()
        login(page, "super1", "/processes")
        page.locator("#import-file").set_input_files(str(FIXTURES / "timer_panel.bpmn"))
        page.wait_for_url("**/processes/new/editor?import=1")
        expect(page.locator("#editor-page[data-ready=true]")).to_be_attached()

        # the old Python call is shown read only, with the slot's kind
        _select(page, "op_wait")
        panel = page.get_by_test_id("timer-panel")
        expect(page.get_by_label("定时方式")).to_have_value("date")
        expect(panel.get_by_test_id("timer-python")).to_contain_text("add_workdays(5)")
        expect(panel.get_by_role("textbox")).to_have_count(0)  # no box to type Python into

        # 20 个工作日, the office's way
        page.get_by_label("定时方式").select_option(label="期限（自到达此处起算）")
        page.get_by_label("单位").select_option(label="工作日")
        page.get_by_label("数量").fill("20")
        page.get_by_label("数量").press("Tab")
        expect(panel.get_by_test_id("timer-written").locator("code")).to_have_text("20 个工作日")
        expect(panel.get_by_test_id("timer-python")).to_have_count(0)
        expect(page.get_by_label("数量")).to_have_value("20")  # read back from the model
        expect(page.get_by_label("单位")).to_have_value("workdays")
        shot(page, "17-timer-panel")

        page.get_by_role("button", name="发布").click()
        expect(page.get_by_test_id("published")).to_have_text("已发布为新版本 v1")
        assert _timer_text(live.db, 1) == ("timeDuration", "20 个工作日")

        # a case started now waits 20 working days by the office calendar
        shown, stored = _case_due(page, live.db)
        assert shown == "2026/10/26 23:59"
        assert stored == datetime(2026, 10, 26, 23, 59, 59, 999999, tzinfo=SHANGHAI)

        # the timer becomes 10 日: the diff shows the old and the new value
        page.goto(f"/processes/{KEY}/editor")
        expect(page.locator("#editor-page[data-ready=true]")).to_be_attached()
        _select(page, "op_wait")
        expect(page.get_by_label("定时方式")).to_have_value("duration")
        expect(page.get_by_label("数量")).to_have_value("20")
        page.get_by_label("单位").select_option(label="日")
        page.get_by_label("数量").fill("10")
        page.get_by_label("数量").press("Tab")
        expect(page.get_by_test_id("timer-written").locator("code")).to_have_text("10 日")
        page.get_by_role("button", name="发布").click()
        expect(page.get_by_test_id("published")).to_have_text("已发布为新版本 v2")
        changed = page.get_by_test_id("diff-changed")
        values = changed.locator('li[data-element="op_wait_def"]').get_by_test_id("diff-values")
        row = values.locator('tr[data-what="timeDuration"]')
        expect(row.locator("td").nth(0)).to_have_text("定时器期限")
        expect(row.locator(".dv-old")).to_have_text("20 个工作日")
        expect(row.locator(".dv-new")).to_have_text("10 日")
        assert changed.locator("li").evaluate_all("lis => lis.map(li => li.dataset.element)") == ["op_wait_def"]
        assert _timer_text(live.db, 2) == ("timeDuration", "10 日")

        # the same in the versions list
        page.goto("/processes")
        page.get_by_test_id(f"process-{KEY}").get_by_role("button", name="版本列表 (2)").click()
        page.get_by_test_id(f"version-{KEY}-2").get_by_role("button", name="与上一版比较").click()
        row = page.get_by_test_id("diff").locator('li[data-element="op_wait_def"] tr[data-what="timeDuration"]')
        expect(row.locator(".dv-old")).to_have_text("20 个工作日")
        expect(row.locator(".dv-new")).to_have_text("10 日")
        page.get_by_test_id("diff").scroll_into_view_if_needed()
        shot(page, "17-version-diff")

        # 10 days from Monday 21 September end on 1 October, a holiday: the next working day is 8 October
        shown, stored = _case_due(page, live.db)
        assert shown == "2026/10/08 23:59"
        assert stored == datetime(2026, 10, 8, 23, 59, 59, 999999, tzinfo=SHANGHAI)
        assert page.errors == []


def test_the_panel_writes_a_date_a_cycle_and_refuses_an_invalid_iso_duration(new_page, live):
    page = new_page()
    login(page, "super1", "/processes")
    page.locator("#import-file").set_input_files(str(FIXTURES / "timer_panel.bpmn"))
    page.wait_for_url("**/processes/new/editor?import=1")
    expect(page.locator("#editor-page[data-ready=true]")).to_be_attached()
    _select(page, "op_wait")
    panel = page.get_by_test_id("timer-panel")
    written = panel.get_by_test_id("timer-written").locator("code")

    # an ISO duration that SpiffWorkflow would reject is refused in the panel and not written
    page.get_by_label("定时方式").select_option("duration")
    page.get_by_label("单位").select_option(label="ISO 8601 写法")
    page.get_by_label("ISO 8601 时长").fill("P20WD")
    page.get_by_label("ISO 8601 时长").press("Tab")
    expect(panel.get_by_test_id("timer-error")).to_contain_text("不是有效的 ISO 8601 时长")
    expect(panel.get_by_test_id("timer-python")).to_contain_text("add_workdays(5)")  # the model is unchanged
    page.get_by_label("ISO 8601 时长").fill("P30D")
    page.get_by_label("ISO 8601 时长").press("Tab")
    expect(written).to_have_text("P30D")
    expect(page.get_by_label("单位")).to_have_value("iso")

    # a set date and time (Beijing time)
    page.get_by_label("定时方式").select_option("date")
    page.get_by_label("日期来源").select_option(label="指定日期时间")
    page.get_by_label("日期时间（北京时间）").fill("2027-01-11T09:30")
    page.get_by_label("日期时间（北京时间）").press("Tab")
    expect(written).to_have_text("2027-01-11T09:30:00+08:00")
    expect(page.get_by_label("日期来源")).to_have_value("at")

    # a cycle: every day, 3 times
    page.get_by_label("定时方式").select_option("cycle")
    page.get_by_label("单位").select_option(label="日")
    page.get_by_label("重复次数").fill("3")
    page.get_by_label("每隔").fill("1")
    page.get_by_label("每隔").press("Tab")
    expect(written).to_have_text("R3/P1D")
    expect(page.get_by_label("重复次数")).to_have_value("3")

    page.get_by_role("button", name="校验").click()
    expect(page.get_by_test_id("valid")).to_have_text("校验通过，可以发布")
    assert page.errors == []
