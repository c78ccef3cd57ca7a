"""The case page and the SLA dashboard, in Chromium: fields, masked parties, the diagram with the
current position, deadlines, timeline; the dashboard's overdue count after the clock is advanced."""

from datetime import UTC, datetime, timedelta

import time_machine
from playwright.sync_api import expect

from engine.cases import pause as clocks
from engine.cases import service
from tests.helpers.browser import login, shot
from tests.helpers.process_driver import CONSULTATION, RESPONDENT, intake, review

APPLICANT_ID = "440304199001031234"


def seed_case(db, community: str = "福田社区", *, route: str = "people_mediation", **over):
    """A dispute case through intake (window1) and the lawyer's review (lawyer1): mediation_accept is open."""
    applicant = {"role": "applicant", "name": "张某", "id_type": "resident_id", "id_number": APPLICANT_ID,
                 "phone": "13800000001", "address": "福田区福田街道某小区3栋"}
    data = intake(community=community, parties=[applicant, dict(RESPONDENT, id_number=RESPONDENT["id_number"])],
                  **over)
    with db.begin() as conn:
        case = service.start_case(conn, "dispute_case", data={}, actor="window1")
    with db.begin() as conn:
        case = service.complete_task(conn, case.open_tasks[0].id, data, actor="window1")
    if route:
        with db.begin() as conn:
            case = service.complete_task(conn, case.open_tasks[0].id, review(route), actor="lawyer1")
    return case


def test_case_page_shows_fields_parties_diagram_deadlines_and_timeline(live, new_page):
    case = seed_case(live.db)
    assert [t.element_id for t in case.open_tasks] == ["mediation_accept"]
    page = new_page()
    login(page, "mediator1", f"/cases/{case.id}")
    page.goto(f"/cases/{case.id}")

    fields = page.get_by_test_id("case-fields")
    expect(fields).to_contain_text(case.case_number)
    expect(fields.locator('dd[data-field="case_dispute_type"]')).to_have_text("邻里")
    expect(fields.locator('dd[data-field="case_channel"]')).to_have_text("综合服务大厅窗口")
    expect(fields.locator('dd[data-field="community"]')).to_have_text("福田社区")
    expect(fields.locator('dd[data-field="case_amount"]')).to_contain_text("3,000")
    expect(fields.locator('dd[data-field="case_summary"]')).to_have_text("楼上漏水致楼下天花板受损")
    expect(page.get_by_test_id("case-status")).to_have_text("办理中")

    # mediators work with the parties: they see the numbers in full (engine/cases/read.FULL_PARTY_ROLES)
    parties = page.get_by_test_id("case-parties")
    expect(parties.get_by_role("row").filter(has_text="张某")).to_contain_text(APPLICANT_ID)
    expect(parties).to_contain_text("申请人")

    # the diagram: the open task of the called process (人民调解) is the current position
    diagram = page.get_by_test_id("case-diagram")
    expect(diagram).to_have_attribute("data-ready", "true")
    expect(diagram.locator("svg").first).to_be_visible()
    active = diagram.locator('.djs-element[data-element-id="mediation_accept"]')
    expect(active).to_have_class(_has("tj-active"))
    page.get_by_test_id("case-diagram-card").scroll_into_view_if_needed()
    shot(page, "05-case")
    page.get_by_role("button", name="主流程：", exact=False).click()
    expect(diagram).to_have_attribute("data-process", "dispute_case")
    expect(diagram.locator('.djs-element[data-element-id="call_people_mediation"]')).to_have_class(_has("tj-active"))
    expect(diagram.locator('.djs-element[data-element-id="intake"]')).to_have_class(_has("tj-done"))

    # deadlines with a time-remaining badge
    deadlines = page.get_by_test_id("case-deadlines")
    expect(deadlines.get_by_test_id("deadline-remaining").first.locator(".badge.ok, .badge.warning")).to_be_visible()
    expect(deadlines).to_contain_text("未暂停")

    # the timeline: who did what
    timeline = page.get_by_test_id("case-timeline")
    expect(timeline.locator('tr[data-kind="case_started"]')).to_contain_text("立案")
    completed = timeline.locator('tr[data-kind="task_completed"]')
    expect(completed.filter(has_text="window1")).to_contain_text("办结任务")
    expect(completed.filter(has_text="lawyer1")).to_contain_text("律师")  # the review task's name
    expect(page.get_by_test_id("case-open-tasks").get_by_role("link", name="受理调解", exact=False)).to_have_attribute(
        "href", f"/tasks/{case.open_tasks[0].id}")
    assert page.errors == []


def _has(name: str):
    import re

    return re.compile(rf"(^|\s){name}(\s|$)")


def test_case_page_masks_id_numbers_for_roles_that_may_not_see_them(live, new_page):
    summary = '<img src=x onerror="window.pwned=1">漏水'
    case = seed_case(live.db, summary=summary)
    with live.db.begin() as conn:
        clocks.pause_case(conn, case.id, "mediator1", "等待当事人补充材料")
    page = new_page()
    login(page, "leader1", f"/cases/{case.id}")
    page.goto(f"/cases/{case.id}")
    deadlines = page.get_by_test_id("case-deadlines")
    expect(deadlines).to_contain_text("案件时限已暂停")
    expect(deadlines.get_by_role("row").filter(has_text="受理调解")).to_contain_text("暂停自")
    paused = page.get_by_test_id("case-timeline").locator('tr[data-kind="case_paused"]')
    expect(paused.get_by_role("cell").nth(1)).to_have_text("mediator1")
    expect(paused.get_by_role("cell").nth(2)).to_contain_text("暂停计时")
    expect(paused.get_by_role("cell").nth(2)).to_contain_text("等待当事人补充材料")
    expect(page.get_by_test_id("case-fields").locator('dd[data-field="case_summary"]')).to_have_text(summary)
    assert page.locator("#case-page img").count() == 0
    assert page.evaluate("window.pwned") is None
    row = page.get_by_test_id("case-parties").get_by_role("row").filter(has_text="张某")
    expect(row.get_by_test_id("party-id-number")).to_contain_text("已脱敏")
    expect(row.get_by_test_id("party-id-number")).not_to_contain_text(APPLICANT_ID)
    assert APPLICANT_ID not in page.content()
    assert page.errors == []


def test_case_outside_the_users_communities_shows_not_found(live, new_page):
    case = seed_case(live.db, "岗厦社区", route=None)
    page = new_page()
    login(page, "mediator1", f"/cases/{case.id}")
    page.goto(f"/cases/{case.id}")
    expect(page.get_by_test_id("case-error")).to_have_text("案件不存在，或不在您负责的社区范围内。")
    assert "岗厦" not in page.get_by_role("main").inner_text()
    page.goto("/cases/999999")
    expect(page.get_by_test_id("case-error")).to_be_visible()


def seed_dashboard(db):
    """Seven open tasks in four communities, and cases opened and closed over the last three weeks (the trend).

    Returns a case waiting for the lawyer's review, whose task is due in 5 workdays (its BPMN timer). The two
    mediation tasks opened 17 and 8 days ago are already past their 3-workday SLA (受理调解 within 3 工作日)."""
    now = datetime.now(UTC)
    for days_ago, community, closed in [(20, "福田社区", True), (17, "岗厦社区", False), (13, "皇岗社区", True),
                                        (10, "水围社区", True), (8, "福田社区", False), (4, "岗厦社区", True),
                                        (2, "福田社区", True)]:
        with time_machine.travel(now - timedelta(days=days_ago), tick=False) as clock:
            if not closed:
                seed_case(db, community, summary="相邻通行纠纷")
                continue
            case = seed_case(db, community, route="consultation", request_kind="consultation", channel="law_mailbox",
                             summary="咨询房屋租赁押金退还")
            clock.shift(timedelta(days=1))
            with db.begin() as conn:
                service.complete_task(conn, case.open_tasks[0].id, CONSULTATION, actor="lawyer1")
    watched = seed_case(db, route=None)
    seed_case(db, "岗厦社区", dispute_type="property_management", summary="物业费争议，业主拒交半年物业费")
    seed_case(db, "皇岗社区", route=None, dispute_type="contract", summary="装修合同质量纠纷")
    seed_case(db, "水围社区", summary="楼上噪音扰民")
    seed_case(db, "岗厦社区", route=None, dispute_type="consumer", summary="预付卡商家跑路，消费者要求退款")
    return watched


def test_dashboard_shows_a_breach_after_the_clock_passes_the_due_time(live, new_page):
    case = seed_dashboard(live.db)
    with live.db.begin() as conn:
        [task] = service.list_tasks(conn, case_id=case.id)
    assert task.element_id == "lawyer_review" and task.due_at is not None
    page = new_page()
    login(page, "super1", "/dashboard")
    expect(page.get_by_test_id("tile-overdue").locator(".n")).to_have_text("2")  # the two old mediation tasks
    expect(page.get_by_test_id("tile-open").locator(".n")).to_have_text("7")
    expect(page.get_by_test_id("dash-breaches")).to_contain_text("受理调解并告知权利义务")
    expect(page.get_by_test_id("dash-breaches")).not_to_contain_text(case.case_number)
    expect(page.get_by_test_id("dash-by-community")).to_contain_text("水围社区")

    with time_machine.travel(task.due_at + timedelta(hours=2), tick=True):
        login(page, "super1", "/dashboard")  # the session of three workdays ago has expired
        overdue = page.get_by_test_id("tile-overdue").locator(".n")
        expect(overdue).not_to_have_text("2")
        assert int(overdue.inner_text()) >= 3
        breaches = page.get_by_test_id("dash-breaches")
        link = breaches.get_by_role("link", name=case.case_number)
        expect(link).to_have_attribute("href", f"/cases/{case.id}")
        expect(breaches.get_by_role("row").filter(has_text=case.case_number)).to_contain_text("律师甄别确认分流")
        expect(page.get_by_test_id("dash-by-group").get_by_role("row").filter(has_text="访前工作室律师")).to_be_visible()
        expect(page.get_by_test_id("chart-stage").locator("svg")).to_be_visible()
        expect(page.get_by_test_id("chart-trend").locator("svg")).to_be_visible()
        expect(page.get_by_test_id("dash-stage").get_by_role("row").filter(has_text="受理调解并告知权利义务")).to_contain_text("4")
        shot(page, "06-dashboard")
        link.click()
        expect(page.get_by_test_id("case-fields")).to_contain_text(case.case_number)
    assert page.errors == []


def test_dashboard_is_for_leaders_and_supervisors_only(live, new_page):
    seed_case(live.db)
    page = new_page()
    page.clock.install()  # the page's own timers: the 60 s refresh is run by fast_forward below
    login(page, "leader1", "/dashboard")
    expect(page.get_by_test_id("tile-open").locator(".n")).to_have_text("1")
    expect(page.get_by_role("img", name="各环节在办任务数量柱状图")).to_be_visible()
    page.evaluate("window.sameDocument = true")
    page.locator("details.figures > summary").focus()  # a keyboard user's place on the page
    seed_case(live.db, "岗厦社区")
    page.clock.fast_forward(61_000)
    expect(page.get_by_test_id("tile-open").locator(".n")).to_have_text("2")  # refreshed without a reload
    expect(page.locator("details.figures > summary")).to_be_focused()  # and the focus stayed
    assert page.evaluate("window.sameDocument") is True
    assert page.errors == []
    other = new_page()
    login(other, "mediator1", "/dashboard")
    expect(other.get_by_role("heading", name="403")).to_be_visible()
    assert other.get_by_role("link", name="时限看板").count() == 0
    assert other.locator("#dash-body").count() == 0
