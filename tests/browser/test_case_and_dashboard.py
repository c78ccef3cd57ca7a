"""The case page and the SLA dashboard, in Chromium: fields, masked parties, the diagram with the
current position, deadlines, timeline; the dashboard's overdue count after the clock is advanced."""


from playwright.sync_api import expect

from engine import service
from tests.browser.conftest import login, shot
from tests.process_driver import RESPONDENT, intake, review

APPLICANT_ID = "440304199001011234"


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

    # mediators work with the parties: they see the numbers in full (api/cases/service.FULL_PARTY_ROLES)
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
    case = seed_case(live.db)
    page = new_page()
    login(page, "leader1", f"/cases/{case.id}")
    page.goto(f"/cases/{case.id}")
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
