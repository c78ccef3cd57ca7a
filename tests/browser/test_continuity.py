"""Keeping a case with one person and moving work, in Chromium: consecutive steps without claiming again,
a reassign with a reason, a handover with a note; each on the case's timeline."""

from datetime import datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from engine.cases import service
from engine.core.types import User
from engine.tasks import claim_task
from tests.helpers.browser import login, mediation_task, queue_row, shot

SHANGHAI = ZoneInfo("Asia/Shanghai")
MEDIATOR1 = User(0, "mediator1", "mediator", ["福田社区"])


def _timeline_row(page, label: str):
    return page.get_by_test_id("case-timeline").get_by_role("row").filter(has_text=label)


def test_a_mediator_completes_consecutive_steps_without_claiming_again(live, new_page):
    case, task = mediation_task(live.db)
    page = new_page()
    login(page, "mediator1")
    queue_row(page, "ready", case.case_number).get_by_role("button", name="认领").click()  # the one claim
    queue_row(page, "mine", case.case_number).get_by_role("link", name="受理调解并告知权利义务").click()
    page.wait_for_url(f"**/tasks/{task.id}")
    page.get_by_role("radiogroup", name="已送达权利义务告知书").get_by_label("是").check()
    page.get_by_role("radiogroup", name="被申请人同意调解").get_by_label("是").check()
    page.get_by_label("受理日期").fill(datetime.now(SHANGHAI).date().isoformat())
    page.get_by_label("首次调解日期").fill(datetime.now(SHANGHAI).date().isoformat())
    page.get_by_role("textbox", name="调解员", exact=True).fill("陈调解员")
    page.get_by_role("button", name="提交办结").click()
    page.wait_for_url(lambda url: url.endswith("/"))

    # the next step of the case is already theirs: in 我的待办, not in the group's pool, no 认领 on its page
    mine = queue_row(page, "mine", case.case_number)
    expect(mine).to_contain_text("调解会")
    expect(queue_row(page, "ready", case.case_number)).to_have_count(0)
    mine.get_by_role("link", name="调解会(笔录)").click()
    expect(page.get_by_test_id("task-assignee")).to_have_text("mediator1")
    expect(page.get_by_role("button", name="认领")).to_have_count(0)
    page.get_by_label("调解日期").fill(datetime.now(SHANGHAI).date().isoformat())
    page.get_by_role("radiogroup", name="到场情况").get_by_label("双方到场").check()
    page.get_by_label("调解结果").select_option(label="达成协议")
    page.get_by_label("调解笔录摘要").fill("双方就维修费用达成一致。")
    page.get_by_role("button", name="提交办结").click()
    page.wait_for_url(lambda url: url.endswith("/"))
    expect(queue_row(page, "mine", case.case_number)).to_contain_text("制作调解协议")

    page.goto(f"/cases/{case.id}")
    kept = _timeline_row(page, "连续承办")
    expect(kept).to_have_count(2)
    expect(kept.first).to_contain_text("→ mediator1")
    expect(page.get_by_test_id("case-timeline")).not_to_contain_text("task_continued")
    with live.db.begin() as conn:
        claims = [e for e in service.case_events(conn, case.id) if e.kind == "task_claimed"]
    assert [e.task_id for e in claims] == [task.id]  # claimed once for three steps
    assert page.errors == []


def test_a_reassign_and_a_handover_move_the_work_and_show_on_the_timeline(live, new_page):
    case, task = mediation_task(live.db)
    with live.db.begin() as conn:
        claim_task(conn, MEDIATOR1, task.id)
    page = new_page()
    login(page, "super1", f"/tasks/{task.id}")
    expect(page.get_by_test_id("task-assignee")).to_have_text("mediator1")
    page.get_by_test_id("task-reassign").click()
    form = page.get_by_test_id("task-reassign-form")
    form.get_by_role("button", name="确定").click()  # nothing chosen: said next to the fields, nothing sent
    expect(form).to_contain_text("请选择承办人")
    expect(form).to_contain_text("请填写原因")
    form.get_by_label("承办人").select_option("mediator2")
    form.get_by_label("原因").fill("mediator1 外出培训一周")
    shot(page, "11-task-reassign")
    form.get_by_role("button", name="确定").click()
    expect(page.get_by_test_id("task-assignee")).to_have_text("mediator2")

    page.get_by_role("link", name="交接").click()
    page.wait_for_url("**/handover")
    page.get_by_label("移交人").select_option(label="mediator2 · 调解员")
    tasks = page.get_by_test_id("ho-tasks")
    expect(tasks).to_contain_text(case.case_number)
    expect(tasks).to_contain_text("受理调解并告知权利义务")
    page.get_by_label("全部移交给一人").check()
    page.get_by_label("接收人", exact=True).select_option("mediator1")
    page.get_by_label("交接说明").fill("mediator2 调岗，在办工作交回 mediator1")
    shot(page, "12-handover")
    page.get_by_role("button", name="确认移交").click()
    expect(page.get_by_test_id("ho-result")).to_have_text("已移交 1 项任务、0 件案件")

    page.goto(f"/cases/{case.id}")
    reassigned = _timeline_row(page, "指派任务")
    expect(reassigned).to_contain_text("mediator1 外出培训一周")
    expect(reassigned).to_contain_text("→ mediator2")
    handed = _timeline_row(page, "工作交接")
    handed.scroll_into_view_if_needed()
    shot(page, "13-timeline-moves")
    expect(handed).to_contain_text("原承办人 mediator2")
    expect(handed).to_contain_text("交接说明：mediator2 调岗，在办工作交回 mediator1")
    with live.db.begin() as conn:
        [now_open] = [t for t in service.list_tasks(conn, case_id=case.id) if t.id == task.id]
    assert now_open.assignee == "mediator1"
    assert page.errors == []


def test_the_move_buttons_and_the_handover_page_speak_english(live, new_page):
    case, task = mediation_task(live.db)
    with live.db.begin() as conn:
        claim_task(conn, MEDIATOR1, task.id)
    page = new_page("en-GB")
    login(page, "mediator1", f"/tasks/{task.id}?lang=en")
    moves = page.get_by_test_id("task-moves")
    expect(moves.get_by_role("heading")).to_have_text("Change who works on this task")
    moves.get_by_role("button", name="Delegate").click()
    form = page.get_by_test_id("task-delegate-form")
    form.get_by_role("button", name="Confirm").click()
    expect(form).to_contain_text("Please choose a colleague")
    expect(form).to_contain_text("Please give a reason")
    expect(moves.get_by_role("button", name="Reassign")).to_have_count(0)  # supervisors only

    boss = new_page("en-GB")
    login(boss, "super1", "/handover?lang=en")
    boss.get_by_label("Departing caseworker").select_option(label="mediator1 · mediators")
    expect(boss.get_by_test_id("ho-tasks")).to_contain_text(case.case_number)
    expect(boss.get_by_label("Case by case, in turn, to the colleagues chosen")).to_be_visible()
    text = boss.locator("#handover-page").inner_text()
    for data in (case.case_number, task.name, "福田社区"):  # the case's own data stays as it was written
        text = text.replace(data, "")
    assert not [ch for ch in text if "\u4e00" <= ch <= "\u9fff"], text
    assert page.errors == [] and boss.errors == []
