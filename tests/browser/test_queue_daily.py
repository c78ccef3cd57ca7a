"""The queue as caseworkers and leaders use it every day (issue 16): the case in each row, saved filters, the
leader's 我的包案 and no claim button where they may not claim, the queue on a phone (375 px)."""

from playwright.sync_api import expect

from engine.store import warnings as warning_store
from tests.helpers.browser import login, mediation_task, queue_row
from tests.helpers.process_driver import drive, intake


def test_a_row_shows_the_applicant_masked_the_summary_the_risk_colour_and_the_group_marker(live, new_page):
    case, _ = mediation_task(live.db, people_count=6, risk_level="red", summary="六名工人追索三个月工资")
    page = new_page()
    login(page, "mediator1")
    row = queue_row(page, "ready", case.case_number)
    expect(row).to_have_count(1)
    expect(row.get_by_test_id("queue-applicant")).to_have_text("申请人：张某 138****0001")
    expect(row.get_by_test_id("queue-summary")).to_have_text("六名工人追索三个月工资")
    risk = row.get_by_test_id("queue-risk")
    expect(risk).to_have_text("红色风险")
    expect(risk).to_have_css("background-color", "rgb(180, 35, 24)")
    expect(row.get_by_test_id("queue-group")).to_have_text("群体性纠纷 · 6人")
    assert "13800000001" not in row.inner_text() and "red" not in row.inner_text()
    assert page.errors == []
    english = new_page()
    login(english, "mediator1", "/?lang=en")
    row = queue_row(english, "ready", case.case_number)
    expect(row.get_by_test_id("queue-applicant")).to_have_text("Applicant: 张某 138****0001")
    expect(row.get_by_test_id("queue-risk")).to_have_text("Red risk")
    expect(row.get_by_test_id("queue-group")).to_have_text("Group dispute · 6 people")
    assert english.errors == []


def test_a_saved_filter_reapplies_its_query(live, new_page):
    page = new_page()
    login(page, "mediator1")
    page.goto("/?dispute_type=labour&overdue=1")
    box = page.get_by_test_id("saved-filters-box")
    box.get_by_label("筛选名称").fill("劳动争议逾期")
    box.get_by_role("button", name="保存当前筛选").click()
    expect(page.get_by_test_id("saved-filters").locator("option", has_text="劳动争议逾期")).to_have_count(1)
    page.goto("/")
    expect(page.locator("#qf-dispute")).to_have_value("")
    page.get_by_test_id("saved-filters").select_option(label="劳动争议逾期")
    page.wait_for_url("**/?dispute_type=labour&overdue=1")
    expect(page.locator("#qf-dispute")).to_have_value("labour")
    expect(page.locator("#qf-overdue")).to_be_checked()
    assert page.errors == []


def test_the_leader_sees_their_led_case_and_no_claim_on_a_lawyers_task(live, new_page):
    case, _ = drive(live.db, "dispute_case", [("intake", intake(people_count=6, risk_level="red"))])
    with live.db.begin() as conn:
        warning_store.set_leader(conn, case.id, "leader1")
    page = new_page()
    login(page, "leader1")
    led = page.get_by_test_id("my-led-cases").get_by_test_id("led-case").filter(has_text=case.case_number)
    expect(led).to_have_count(1)
    expect(led.get_by_test_id("queue-group")).to_have_text("群体性纠纷 · 6人")
    expect(led).to_contain_text("律师甄别")  # its stage: the lawyer's open task
    row = queue_row(page, "led", case.case_number)
    expect(row).to_have_count(1)
    expect(row.get_by_test_id("view-case")).to_be_visible()
    expect(row.get_by_role("button", name="认领")).to_have_count(0)
    expect(page.get_by_test_id("queue-ready")).not_to_contain_text(case.case_number)
    assert page.errors == []


def test_the_queue_fits_a_phone_and_claim_is_visible_and_works(live, new_page):
    case, task = mediation_task(live.db, people_count=6, risk_level="red")
    page = new_page()
    page.set_viewport_size({"width": 375, "height": 812})
    login(page, "mediator1")
    card = page.locator(f'[data-testid="queue-ready"] tr[data-task-id="{task.id}"]')
    expect(card).to_contain_text("人民调解")  # drawn again once the process names came: the last redraw
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert "null" not in page.locator("#queue-page").inner_text()
    claim = card.get_by_test_id("claim")
    # scrolled to and measured in one step in the page (a redraw between two steps would detach the button)
    left, right, width, top, bottom, height = page.evaluate("""id => {
        const b = document.querySelector(`[data-testid="queue-ready"] tr[data-task-id="${id}"] [data-testid="claim"]`);
        b.scrollIntoView({ block: 'center' });
        const r = b.getBoundingClientRect();
        return [r.left, r.right, r.width, r.top, r.bottom, innerHeight]; }""", task.id)
    assert 0 <= left and right <= 375 and width > 100, (left, right, width)
    assert 0 <= top and bottom <= height, (top, bottom, height)
    claim.click()
    expect(page.locator(f'[data-testid="queue-mine"] tr[data-task-id="{task.id}"]')).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.errors == []
