"""时限规则 in Chromium: a supervisor changes a rule's limit, the page previews the open deadline it moves (case
number, old due, new due) before saving, saves, and the case page shows the new due time; the change is in the
rule's history; a leader reads the rules without the edit buttons."""

from zoneinfo import ZoneInfo

from playwright.sync_api import expect
from sqlalchemy import select

from engine.deadlines.rules import due_time
from engine.store import deadlines as deadline_store
from engine.store.tables import cases
from tests.helpers.browser import login, shot
from tests.helpers.ui import lawyer_case

SHANGHAI = ZoneInfo("Asia/Shanghai")
RULE = "screening_accept_5wd"  # 决定是否受理（5个工作日）, on the lawyer's review


def open_row(db, case_id: int):
    with db.begin() as conn:
        (row,) = [d for d in deadline_store.for_case(conn, case_id) if d.rule_key == RULE and d.closed_at is None]
    return row


def case_number(db, case_id: int) -> str:
    with db.begin() as conn:
        return conn.execute(select(cases.c.case_number).where(cases.c.id == case_id)).scalar_one()


def shown(at) -> str:
    """A time as the zh-CN page writes it (fmtTime)."""
    return at.astimezone(SHANGHAI).strftime("%Y/%m/%d %H:%M")


def test_a_rule_change_previews_the_deadline_it_moves_then_moves_it(live, new_page):
    case_id, _ = lawyer_case(live.db)
    before = open_row(live.db, case_id)
    expected = due_time(before.starts_at, 10, "workdays")
    assert expected > before.due_at

    page = new_page()
    login(page, "super1", "/sla-rules")
    rule = page.get_by_test_id("sla-rules").locator(f'tr[data-key="{RULE}"]')
    expect(rule).to_contain_text("决定是否受理")
    expect(rule.get_by_test_id("sla-limit")).to_have_text("5 个工作日")
    expect(rule).to_contain_text("自任务生成之时起")
    expect(rule).to_contain_text("承办人、司法所、街道领导")
    rule.get_by_role("button", name="修改").click()

    form = page.get_by_test_id("sla-edit")
    form.get_by_label("期限").fill("10 个工作日")
    form.get_by_label("修改理由（记入历史）").fill("区司法局要求律师审查留足时间")
    expect(form.get_by_test_id("sla-save")).to_be_disabled()  # a change is previewed before it can be saved
    form.get_by_test_id("sla-preview-button").click()
    expect(form.get_by_test_id("sla-preview-summary")).to_contain_text("此修改将移动 1 个在办时限")
    moved = form.get_by_test_id("sla-preview").locator("tbody tr")
    expect(moved).to_have_count(1)
    expect(moved.get_by_role("link", name=case_number(live.db, case_id))).to_have_attribute("href", f"/cases/{case_id}")
    expect(moved.locator(".old-due")).to_have_text(shown(before.due_at))
    expect(moved.locator(".new-due")).to_have_text(shown(expected))
    assert open_row(live.db, case_id).due_at == before.due_at  # nothing saved by the preview
    shot(page, "17-sla-rules")

    form.get_by_test_id("sla-save").click()
    expect(page.locator("#toast")).to_contain_text("已保存，移动了 1 个在办时限")
    expect(rule.get_by_test_id("sla-limit")).to_have_text("10 个工作日")
    assert open_row(live.db, case_id).due_at == expected

    rule.get_by_role("button", name="历史").click()
    history = page.get_by_test_id("sla-history")
    expect(history).to_contain_text("super1")
    expect(history).to_contain_text("期限数值：5 → 10")
    expect(history).to_contain_text("区司法局要求律师审查留足时间")

    page.goto(f"/cases/{case_id}")
    clock = page.get_by_test_id("case-deadlines").locator(f'tr[data-rule="{RULE}"]')
    expect(clock.get_by_test_id("deadline-due")).to_have_text(shown(expected))
    assert not page.errors, page.errors


def test_a_leader_reads_the_rules_and_a_supervisor_retires_one(live, new_page):
    leader = new_page()
    login(leader, "leader1", "/sla-rules")
    rule = leader.get_by_test_id("sla-rules").locator(f'tr[data-key="{RULE}"]')
    expect(rule).to_contain_text("决定是否受理")
    expect(rule.get_by_role("button", name="修改")).to_have_count(0)
    expect(leader.get_by_test_id("sla-new")).to_have_count(0)

    page = new_page("en-GB")
    login(page, "super1", "/sla-rules?lang=en")
    page.on("dialog", lambda d: d.accept())
    rule = page.get_by_test_id("sla-rules").locator(f'tr[data-key="{RULE}"]')
    expect(rule.get_by_test_id("sla-limit")).to_have_text("5 working days")
    rule.get_by_role("button", name="Retire").click()
    expect(rule).to_contain_text("retired")
    rule.get_by_role("button", name="History").click()
    expect(page.get_by_test_id("sla-history")).to_contain_text("state: in use → retired")
    assert not page.errors, page.errors
