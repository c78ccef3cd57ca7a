"""Caseworker pages in Chromium: intake (受理登记), the queue (我的待办) and the task form."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from engine.cases import service
from engine.store import case_queries, events
from tests.helpers.browser import login, mediation_task, queue_row, shot
from tests.helpers.process_driver import accept_on, agreement, drive, intake, review, session, sign

SHANGHAI = ZoneInfo("Asia/Shanghai")
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


OTHER_PARTIES = [{**intake()["parties"][0], "name": "王某", "id_number": "440304199201201111", "phone": "13800000003"},
                 intake()["parties"][1]]


def _unexpected_errors(page) -> list[str]:
    """JS errors, apart from the browser's own log line for a 422 answer the page shows as field errors."""
    return [e for e in page.errors if "status of 422" not in e]


def test_intake_worker_registers_a_case_from_the_window(live, new_page):
    page = new_page()
    login(page, "window1", "/cases/new")
    page.get_by_role("radiogroup", name="来件渠道").get_by_label("综合服务大厅窗口").check()
    # submitted without parties' details first: nothing is registered, the errors sit next to the fields
    page.get_by_label("案件来源").select_option(label="当事人申请")
    page.get_by_label("纠纷类型").select_option(label="邻里")
    page.get_by_label("诉求类别").select_option(label="请求调解化解纠纷")
    page.get_by_role("radiogroup", name="合同约定仲裁条款").get_by_label("否").check()
    page.get_by_label("纠纷简要情况").fill("楼上漏水致楼下天花板受损")
    page.get_by_label("当事人请求事项").fill("赔偿维修费用3000元")
    page.get_by_label("涉及金额(元)").fill("3000")
    page.get_by_label("涉及人数").fill("2")
    page.get_by_role("radiogroup", name="风险等级").get_by_label("黄色").check()
    page.get_by_role("radiogroup", name="疑难复杂").get_by_label("否").check()
    expect(page.get_by_label("所属社区")).to_have_value("福田社区")
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "04-intake")
    page.get_by_role("button", name="登记受理").click()
    summary = page.get_by_test_id("error-summary")
    expect(summary).to_be_visible()
    name = page.get_by_label("姓名/名称").first
    expect(name).to_have_attribute("aria-invalid", "true")
    with live.db.begin() as conn:
        assert case_queries.search(conn, communities=None, now=datetime.now(UTC), after=None, limit=5) == []

    party = page.get_by_role("group", name="当事人 1")
    party.get_by_role("radiogroup", name="角色").get_by_label("申请人", exact=True).check()
    party.get_by_label("姓名/名称").fill("张某")
    party.get_by_label("证件类型").select_option(label="居民身份证")
    party.get_by_label("证件号码").fill("440304199001031234")
    party.get_by_label("联系电话").fill("13800000001")
    page.get_by_role("button", name="添加 当事人").click()
    second = page.get_by_role("group", name="当事人 2")
    second.get_by_role("radiogroup", name="角色").get_by_label("被申请人").check()
    second.get_by_label("姓名/名称").fill("李某")
    second.get_by_label("证件类型").select_option(label="居民身份证")
    second.get_by_label("证件号码").fill("440304198805092345")
    second.get_by_label("联系电话").fill("13800000002")
    page.get_by_role("button", name="登记受理").click()

    number = page.get_by_test_id("new-case-number")
    expect(number).to_be_visible()
    case_number = number.inner_text()
    assert case_number.startswith("福田调〔")
    expect(page.get_by_test_id("repeat-petitioner")).to_have_text("否")
    with live.db.begin() as conn:
        [row] = case_queries.search(conn, communities=None, now=datetime.now(UTC), after=None, limit=5)
        case = service.get_case(conn, row.id)
    assert case.case_number == case_number
    assert case.data["channel"] == "service_hall"
    assert case.data["summary"] == "楼上漏水致楼下天花板受损"
    assert case.data["amount"] == 3000 and case.data["people_count"] == 2
    assert [p["name"] for p in case.data["parties"]] == ["张某", "李某"]
    assert [t.element_id for t in case.open_tasks] == ["lawyer_review"]  # intake was completed at once
    assert _unexpected_errors(page) == []
    number.click()
    page.wait_for_url(f"**/cases/{case.id}")


def test_mediator_claims_drafts_and_completes_the_mediation_task(live, new_page):
    mediation_task(live.db, start=datetime.now(UTC) - timedelta(days=29, hours=12), session=True,
                    dispute_type="property_management", parties=OTHER_PARTIES)  # due within a day
    case, task = mediation_task(live.db)
    page = new_page()
    login(page, "mediator1")
    ready = queue_row(page, "ready", case.case_number)
    expect(ready).to_have_count(1)
    expect(ready).to_contain_text("受理调解并告知权利义务")
    expect(ready).to_contain_text("福田社区")
    expect(ready).to_contain_text("邻里")
    shot(page, "02-queue")
    ready.get_by_role("button", name="认领").click()
    mine = queue_row(page, "mine", case.case_number)
    expect(mine).to_have_count(1)
    expect(queue_row(page, "ready", case.case_number)).to_have_count(0)
    assert page.url.endswith("/")  # no reload, no navigation
    mine.get_by_role("link", name="受理调解并告知权利义务").click()
    page.wait_for_url(f"**/tasks/{task.id}")

    # submitted with the mediator's name missing: the error is next to the field
    page.get_by_role("radiogroup", name="已送达权利义务告知书").get_by_label("是").check()
    page.get_by_role("radiogroup", name="被申请人同意调解").get_by_label("是").check()
    page.get_by_label("受理日期").fill(datetime.now(SHANGHAI).date().isoformat())  # the 30-day term counts from it
    page.get_by_label("首次调解日期").fill("2026-12-01")
    page.get_by_role("button", name="提交办结").click()
    summary = page.get_by_test_id("error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("调解员")
    mediator = page.get_by_role("textbox", name="调解员", exact=True)
    expect(mediator).to_have_attribute("aria-invalid", "true")
    summary.get_by_role("link", name="调解员").click()  # the summary's link puts the cursor in the field
    expect(mediator).to_be_focused()
    error_id = mediator.get_attribute("aria-describedby").split()[0]
    expect(page.locator(f"#{error_id}")).to_have_text("必填项")
    shot(page, "03-task-form")

    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator("#toast")).to_have_text("草稿已保存")
    page.reload()
    expect(page.get_by_test_id("task-notice")).to_have_text("已载入您保存的草稿。")
    expect(page.get_by_label("首次调解日期")).to_have_value("2026-12-01")
    expect(page.get_by_role("radiogroup", name="被申请人同意调解").get_by_label("是")).to_be_checked()

    page.get_by_role("textbox", name="调解员", exact=True).fill("陈调解员")
    page.get_by_role("button", name="提交办结").click()
    page.wait_for_url(lambda url: url.endswith("/"))
    expect(page.locator("#toast")).to_contain_text("已办结")
    # the case's next mediator step stays with mediator1 (case continuity): in 我的待办, the done step gone
    expect(queue_row(page, "mine", case.case_number)).to_contain_text("调解会")
    expect(queue_row(page, "mine", case.case_number)).not_to_contain_text("受理调解并告知权利义务")
    with live.db.begin() as conn:
        done = service.get_case(conn, case.id)
        [completed] = [t for t in service.list_tasks(conn, case_id=case.id, status="completed")
                       if t.id == task.id]
        [event] = [e for e in events.for_case(conn, case.id) if e.kind == "task_completed" and e.task_id == task.id]
    assert completed.completed_by == "mediator1" and event.actor == "mediator1"
    assert event.data["data"]["mediator_name"] == "陈调解员"
    assert event.data["data"]["first_session_date"] == "2026-12-01"
    assert event.data["data"]["respondent_consents"] is True
    assert task.id not in [t.id for t in done.open_tasks]
    assert "mediation_session" in [t.element_id for t in done.open_tasks]
    assert _unexpected_errors(page) == []


def test_queue_filter_shows_only_overdue_tasks(live, new_page):
    late, _ = mediation_task(live.db, start=datetime.now(UTC) - timedelta(days=60), session=True)
    fresh, _ = mediation_task(live.db, session=True, dispute_type="property_management", parties=OTHER_PARTIES)
    page = new_page()
    login(page, "mediator1")
    expect(queue_row(page, "ready", late.case_number)).to_have_count(1)
    expect(queue_row(page, "ready", fresh.case_number)).to_have_count(1)
    expect(queue_row(page, "ready", late.case_number).locator(".badge.overdue")).to_have_count(1)
    page.get_by_label("只看逾期").check()
    expect(queue_row(page, "ready", fresh.case_number)).to_have_count(0)
    expect(queue_row(page, "ready", late.case_number)).to_have_count(1)
    assert "overdue=1" in page.url
    page.goto("/?dispute_type=property_management")
    expect(page.get_by_label("纠纷类型")).to_have_value("property_management")
    expect(queue_row(page, "ready", fresh.case_number)).to_have_count(1)
    expect(queue_row(page, "ready", late.case_number)).to_have_count(0)
    assert page.errors == []


def test_queue_process_filter_includes_sub_processes(live, new_page):
    accept, _ = mediation_task(live.db)  # a task of people_mediation itself
    term, _ = mediation_task(live.db, session=True, dispute_type="property_management", parties=OTHER_PARTIES)
    page = new_page()  # the session task is in people_mediation's sub-process "mediation_term"
    login(page, "mediator1", "/?process=people_mediation")
    expect(page.get_by_label("流程")).to_have_value("people_mediation")
    expect(queue_row(page, "ready", term.case_number)).to_have_count(1)
    expect(queue_row(page, "ready", accept.case_number)).to_have_count(1)
    page.get_by_label("流程").select_option("mediation_term")
    expect(queue_row(page, "ready", accept.case_number)).to_have_count(0)
    expect(queue_row(page, "ready", term.case_number)).to_have_count(1)
    assert page.errors == []


def test_english_switch_shows_english_labels(live, new_page):
    case, task = mediation_task(live.db, session=True)
    page = new_page()
    login(page, "mediator1", "/?lang=en")
    expect(page.get_by_role("heading", name="My tasks")).to_be_visible()
    expect(page.get_by_role("heading", name="Ready to claim")).to_be_visible()
    expect(page.get_by_label("Overdue only")).to_be_visible()
    row = queue_row(page, "ready", case.case_number)
    expect(row).to_contain_text("Neighbours")
    expect(row.get_by_role("button", name="Claim")).to_be_visible()

    # the task form takes its labels, hints and choice names from the schema's "-en" texts
    page.goto(f"/tasks/{task.id}")  # the language is remembered
    expect(page.get_by_role("heading", name="Mediation session", exact=True)).to_be_visible()
    expect(page.get_by_label("Mediation date")).to_be_visible()
    expect(page.get_by_text("Upload a scan of the mediation record (optional)")).to_be_visible()
    attendance = page.get_by_role("radiogroup", name="Attendance")
    expect(attendance.get_by_label("Both parties present")).to_be_visible()
    expect(attendance.get_by_label("Respondent absent")).to_be_visible()
    expect(page.get_by_label("Mediation outcome").locator("option", has_text="Agreement reached")).to_have_count(1)
    expect(page.get_by_text("调解日期")).to_have_count(0)
    expect(page.get_by_text("双方到场")).to_have_count(0)
    assert page.errors == []


def test_mediator_uploads_the_agreement_to_the_agreement_form(live, new_page):
    start = datetime.now(UTC)
    case, _ = drive(live.db, "dispute_case", [
        ("intake", intake()), ("lawyer_review", review("people_mediation")), ("mediation_accept", accept_on(start)),
        ("mediation_session", session("agreement_reached"))], start=start)
    [task] = [t for t in case.open_tasks if t.element_id == "mediation_agreement"]
    sign(live.db, case.id, task, agreement(), "agreement")  # the written agreement made and its signed scan uploaded
    page = new_page()
    login(page, "mediator1", f"/tasks/{task.id}")
    page.get_by_role("button", name="认领").click()
    expect(page.get_by_test_id("task-assignee")).to_have_text("mediator1")
    page.get_by_label("调解协议书", exact=True).set_input_files(
        files=[{"name": "调解协议书.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    link = page.get_by_role("link", name="调解协议书.pdf")
    expect(link).to_be_visible()
    href = link.get_attribute("href")
    page.get_by_role("radiogroup", name="协议形式").get_by_label("书面调解协议书").check()
    page.get_by_label("协议生效日期").fill("2026-12-02")
    page.get_by_label("协议内容").fill("被申请人于十日内赔偿维修费3000元。")
    page.get_by_role("radiogroup", name="当事人拟申请司法确认").get_by_label("否").check()
    page.get_by_role("button", name="提交办结").click()
    page.wait_for_url(lambda url: url.endswith("/"))
    with live.db.begin() as conn:
        [event] = [e for e in events.for_case(conn, case.id) if e.kind == "task_completed" and e.task_id == task.id]
    [file_id] = event.data["data"]["agreement_files"]
    assert href == f"/api/v1/attachments/{file_id}"
    assert _unexpected_errors(page) == []
