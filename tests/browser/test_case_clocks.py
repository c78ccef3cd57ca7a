"""The case page's clocks in Chromium (issue 16): a supervisor pauses the clocks with a reason and, after the
resume, the due time shown has moved on by the paused time; an extension with its reason shows on the timeline;
the group and risk flags show; at 375 px the case page and a task form fit the screen."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from playwright.sync_api import expect

from engine.cases import service
from engine.store import deadlines as deadline_store
from tests.helpers.browser import login, shot
from tests.helpers.process_driver import intake, review

SHANGHAI = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 11, 18, 2, 0, tzinfo=UTC)  # a Wednesday, 10:00 in Shanghai
RULE = "mediation_accept_3wd"  # 受理调解并告知权利义务, 3 工作日, pausable, no statutory extension
PHONE = {"width": 375, "height": 800}


def seed_case(db, **over):
    """A six-person red dispute case of 福田社区 through intake and the lawyer's review: mediation_accept is open."""
    data = intake(received_on=T0.astimezone(SHANGHAI).date().isoformat(), people_count=6, risk_level="red", **over)
    with db.begin() as conn:
        case = service.start_case(conn, "dispute_case", data={}, actor="window1")
    with db.begin() as conn:
        case = service.complete_task(conn, case.open_tasks[0].id, data, actor="window1")
    with db.begin() as conn:
        case = service.complete_task(conn, case.open_tasks[0].id, review("people_mediation"), actor="lawyer1")
    return case


def due_of(db, case_id: int):
    with db.begin() as conn:
        (row,) = [d for d in deadline_store.for_case(conn, case_id) if d.rule_key == RULE and d.closed_at is None]
    return row.due_at


def shown(at: datetime) -> str:
    """A time as the zh-CN page writes it (fmtTime)."""
    return at.astimezone(SHANGHAI).strftime("%Y/%m/%d %H:%M")


def clock_row(page):
    return page.get_by_test_id("case-deadlines").locator(f'tr[data-rule="{RULE}"]')


def test_a_supervisor_pauses_the_clocks_and_the_due_time_moves_after_the_resume(live, new_page):
    with time_machine.travel(T0, tick=False) as clock:
        case = seed_case(live.db)
        due = due_of(live.db, case.id)
        page = new_page()
        login(page, "super1", f"/cases/{case.id}")
        page.goto(f"/cases/{case.id}")
        expect(page.get_by_test_id("flag-risk")).to_have_text("红色风险")
        expect(page.get_by_test_id("flag-group")).to_contain_text("群体性纠纷")
        expect(page.get_by_test_id("flag-group")).to_contain_text("6 人")
        row = clock_row(page)
        expect(row).to_contain_text("受理调解并告知权利义务")
        expect(row).to_contain_text("3 个工作日")
        expect(row.get_by_test_id("deadline-due")).to_have_text(shown(due))
        expect(page.get_by_test_id("clock-resume")).to_have_count(0)

        page.get_by_test_id("clock-pause").click()
        dialog = page.get_by_test_id("clock-dialog")
        dialog.get_by_role("button", name="确认暂停").click()
        expect(dialog.get_by_text("此项必填")).to_be_visible()  # the reason is asked for, in Chinese
        dialog.get_by_label("暂停原因").select_option(label="等待当事人")
        dialog.get_by_label("理由", exact=True).fill("等待被申请人提交维修报价单")
        dialog.get_by_role("button", name="确认暂停").click()
        expect(dialog).to_have_count(0)
        expect(row).to_contain_text("已暂停")
        expect(page.get_by_test_id("clock-pause")).to_have_count(0)
        expect(page.get_by_test_id("case-deadlines").get_by_role("heading")).to_be_focused()

        clock.shift(timedelta(hours=5))
        login(page, "super1", f"/cases/{case.id}")
        page.goto(f"/cases/{case.id}")
        page.get_by_test_id("clock-resume").click()
        page.get_by_test_id("clock-dialog").get_by_role("button", name="确认恢复").click()
        expect(page.get_by_test_id("clock-dialog")).to_have_count(0)
        moved = due_of(live.db, case.id)
        assert moved == due + timedelta(hours=5)  # the paused time is given back
        expect(clock_row(page).get_by_test_id("deadline-due")).to_have_text(shown(moved))
        expect(clock_row(page)).to_contain_text("未暂停")
        timeline = page.get_by_test_id("case-timeline")
        paused = timeline.locator('tr[data-kind="case_paused"]')
        expect(paused).to_contain_text("暂停计时")
        expect(paused).to_contain_text("等待被申请人提交维修报价单")
        expect(paused).to_contain_text("等待当事人")
        resumed = timeline.locator('tr[data-kind="case_resumed"]')
        expect(resumed).to_contain_text("恢复计时")
        expect(resumed).to_contain_text("暂停 5小时0分")
        shot(page, "16-case-clocks")
        assert "pause_kind" not in timeline.inner_text() and "party" not in timeline.inner_text()
    assert page.errors == []


def test_an_extension_with_its_reason_shows_on_the_timeline_and_each_role_sees_its_buttons(live, new_page):
    with time_machine.travel(T0, tick=False):
        case = seed_case(live.db)
        due = due_of(live.db, case.id)
        leader = new_page()
        login(leader, "leader1", f"/cases/{case.id}")
        leader.goto(f"/cases/{case.id}")
        expect(clock_row(leader).get_by_test_id("clock-extend")).to_be_visible()  # a leader approves extensions
        expect(leader.get_by_test_id("clock-pause")).to_have_count(0)  # but does not stop the clocks

        page = new_page()
        login(page, "super1", f"/cases/{case.id}")
        page.goto(f"/cases/{case.id}")
        clock_row(page).get_by_test_id("clock-extend").click()
        dialog = page.get_by_test_id("clock-dialog")
        expect(dialog).to_contain_text("由您批准")
        expect(dialog.get_by_label("告知信访人延期理由的日期")).to_be_hidden()  # asked for petitions only
        dialog.get_by_label("延长", exact=True).fill("2")
        dialog.get_by_label("单位").select_option(label="个工作日")
        dialog.get_by_label("理由", exact=True).fill("申请人住院，经批准延后受理")
        dialog.get_by_role("button", name="确认延期").click()
        expect(dialog).to_have_count(0)
        moved = due_of(live.db, case.id)
        assert moved == due + timedelta(days=2)  # Friday 20 → Tuesday 24 November (two working days)
        row = clock_row(page)
        expect(row.get_by_test_id("deadline-due")).to_have_text(shown(moved))
        expect(row).to_contain_text("2 个工作日，经批准，super1：申请人住院，经批准延后受理")
        extended = page.get_by_test_id("case-timeline").locator('tr[data-kind="deadline_extended"]')
        expect(extended).to_contain_text("延期")
        expect(extended).to_contain_text("申请人住院，经批准延后受理")
        expect(extended).to_contain_text("延长 2 个工作日")
        expect(extended).to_contain_text("受理调解并告知权利义务")

        english = new_page("en-GB")
        login(english, "mediator1", f"/cases/{case.id}?lang=en")
        english.goto(f"/cases/{case.id}?lang=en")
        row = clock_row(english)
        expect(row).to_contain_text("Accept for mediation and tell the parties their rights")
        expect(row).to_contain_text("2 working days, approved, super1")
        expect(english.get_by_test_id("flag-risk")).to_have_text("Risk: Red")
        expect(english.get_by_test_id("flag-group")).to_contain_text("Group dispute")
        extended = english.get_by_test_id("case-timeline").locator('tr[data-kind="deadline_extended"]')
        expect(extended).to_contain_text("extended by 2 working days")
        expect(extended).not_to_contain_text("受理调解")
        row.get_by_test_id("clock-extend").click()  # a mediator records the parties' consent only
        dialog = english.get_by_test_id("clock-dialog")
        expect(dialog.get_by_label("Kind of extension")).to_have_value("consent")
        dialog.get_by_role("button", name="Cancel").click()
        expect(row.get_by_test_id("clock-extend")).to_be_focused()
    assert page.errors == [] and english.errors == [] and leader.errors == []


def test_the_case_page_and_a_task_form_fit_a_phone(chromium, live):
    case = seed_case(live.db)
    with live.db.begin() as conn:
        fresh = service.start_case(conn, "dispute_case", data={"community": "福田社区"}, actor="window1")
    context = chromium.new_context(viewport=PHONE, locale="zh-CN", base_url=live.url, timezone_id="Asia/Shanghai",
                                   is_mobile=True, has_touch=True)
    context.set_default_timeout(15000)
    try:
        page = context.new_page()
        login(page, "mediator1", f"/cases/{case.id}")
        page.goto(f"/cases/{case.id}")
        expect(page.get_by_test_id("case-diagram")).to_have_attribute("data-ready", "true")
        expect(clock_row(page)).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        box = clock_row(page).get_by_test_id("clock-extend").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 375  # the button is on the screen, not cut off
        shot(page, "16-case-phone")
        login(page, "window1", f"/tasks/{fresh.open_tasks[0].id}")
        page.goto(f"/tasks/{fresh.open_tasks[0].id}")
        expect(page.locator("#task-page form, #task-page .form-body").first).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        page.get_by_role("button", name="认领").click()  # the form to fill in: parties, rows, buttons
        expect(page.get_by_role("button", name="认领")).to_have_count(0)
        expect(page.get_by_label("姓名/名称").first).to_be_editable()
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
        page.goto(f"/tasks/{case.open_tasks[0].id}")  # the mediator's acceptance form, claimed or not
        expect(page.locator("#task-page h1").first).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 375
    finally:
        context.close()
