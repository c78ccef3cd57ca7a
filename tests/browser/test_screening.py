"""The lawyer's screening task (诉访分离) in Chromium: the table's suggestion and its rule, the case facts, where
an override leads before it is submitted (and the engine doing just that); the case page drawing a called
process at the version the case runs after a newer one is published."""

from datetime import UTC, datetime

from playwright.sync_api import expect

from engine import processes
from engine.cases import service
from tests.helpers.browser import login, mediation_task, shot
from tests.helpers.process_driver import bundle, drive, intake


def _lawyer_task(db, **over):
    case, _ = drive(db, "dispute_case", [("intake", intake(**over))], start=datetime.now(UTC))
    [task] = [t for t in case.open_tasks if t.element_id == "lawyer_review"]
    return case, task


def test_screening_page_shows_the_suggestion_its_rule_the_facts_and_where_an_override_leads(live, new_page):
    case, task = _lawyer_task(live.db, risk_level="orange", people_count=6)  # a key case: group of six
    page = new_page()
    login(page, "lawyer1", f"/tasks/{task.id}")
    panel = page.get_by_test_id("screening")
    expect(panel.get_by_test_id("screening-suggested")).to_have_text("人民调解")
    expect(panel.get_by_test_id("screening-reason")).to_have_text("民间纠纷,人民调解")
    expect(panel.get_by_test_id("screening-rule")).to_contain_text("第 10 条规则 · 其他民间纠纷")
    inputs = panel.get_by_test_id("screening-rule-inputs")
    expect(inputs.get_by_role("row").filter(has_text="纠纷类型")).to_contain_text("邻里")
    expect(inputs.get_by_role("row").filter(has_text="诉求类别")).to_contain_text("请求调解")
    facts = panel.get_by_test_id("screening-facts")
    expect(facts.locator("[data-fact=risk_level]")).to_have_text("橙色")
    expect(facts.locator("[data-fact=people_count]")).to_have_text("6")
    expect(facts.locator("[data-fact=summary]")).to_have_text(intake()["summary"])
    parties = panel.get_by_test_id("screening-parties")
    expect(parties).to_contain_text("申请人：张某")
    expect(parties).not_to_contain_text("440304199001031234")  # masked
    expect(page.locator("#task-page")).not_to_contain_text("(route)")

    page.get_by_role("button", name="认领").click()
    route = page.get_by_label("分流去向")
    expect(route).to_have_value("0")  # the suggestion preselected (人民调解, the first option)
    leads = page.get_by_test_id("screening-leads")
    expect(leads.get_by_test_id("screening-choice-note")).to_have_text("与决策表建议一致。")
    route.select_option(label="引导商事仲裁(仲裁工作站)")
    expect(leads.get_by_test_id("screening-leads-for")).to_have_text("选择「引导商事仲裁(仲裁工作站)」提交后：")
    expect(leads.get_by_test_id("screening-choice-note")).to_contain_text("改变了决策表的建议（建议为「人民调解」）")
    expect(leads.get_by_test_id("screening-key-case")).to_contain_text("群体性纠纷，涉及 6 人")
    targets = leads.get_by_test_id("screening-targets")
    expect(targets.locator("li")).to_have_count(2)
    expect(targets).to_contain_text("出具引导函（访前工作室律师）")
    expect(targets).to_contain_text("转入「领导包案」流程，首个环节：包案领导接案定方案（街道领导）")
    why = leads.get_by_test_id("screening-why")
    expect(why).to_contain_text("「重点案件?」→「是」（重点案件 = 是）")
    expect(why).to_contain_text("「分流去向」→「引导分流」（其他条件均不成立，走默认分支）（分流去向 = 引导商事仲裁(仲裁工作站)）")
    shot(page, "16-screening")

    page.get_by_role("radiogroup", name="甄别意见").get_by_label("改变分流").check()
    page.get_by_label("改变分流的理由").fill("合同约定仲裁条款,引导至仲裁工作站")
    page.get_by_label("法律意见").fill("建议申请仲裁。")
    page.get_by_role("button", name="提交办结").click()
    page.wait_for_url(lambda url: url.endswith("/"))
    with live.db.begin() as conn:
        done = service.get_case(conn, case.id)
    assert done.data["final_route"] == "commercial_arbitration"
    assert sorted(t.element_id for t in done.open_tasks) == ["issue_guidance_letter", "leader_take_charge"]


def test_screening_page_in_english_has_no_raw_codes(live, new_page):
    _, task = _lawyer_task(live.db, request_kind="legal_procedure", dispute_type="contract", arbitration_clause=True)
    page = new_page("en-GB")
    login(page, "lawyer1")
    page.goto(f"/tasks/{task.id}?lang=en")
    panel = page.get_by_test_id("screening")
    expect(panel.get_by_test_id("screening-suggested")).to_have_text("Guide to commercial arbitration (arbitration station)")
    expect(panel.get_by_test_id("screening-rule")).to_contain_text("Rule 5")
    expect(panel.get_by_test_id("screening-facts").locator("[data-fact=request_kind]")).to_have_text("legal procedure")
    for code in ("commercial_arbitration", "legal_procedure", "final_route", "key_case"):
        expect(panel).not_to_contain_text(code)


def test_case_page_keeps_drawing_the_called_process_version_the_case_runs(live, new_page):
    case, _ = mediation_task(live.db)  # in 人民调解 v1
    changed = bundle()["people_mediation.bpmn"].replace("受理调解并告知权利义务".encode(), "受理调解(新版)".encode())
    with live.db.begin() as conn:
        processes.deploy(conn, {**bundle(), "people_mediation.bpmn": changed}, actor="test")
    page = new_page()
    fetched = []
    page.on("request", lambda r: fetched.append(r.url) if "/xml" in r.url else None)
    login(page, "mediator1", f"/cases/{case.id}")
    diagram = page.get_by_test_id("case-diagram")
    expect(diagram).to_have_attribute("data-ready", "true")
    expect(diagram).to_have_attribute("data-process", "people_mediation")  # the diagram with the open task
    expect(page.get_by_role("button", name="子流程：人民调解 · v1")).to_have_attribute("aria-pressed", "true")
    expect(diagram).to_contain_text("受理调解并告知权利义务")
    expect(diagram).not_to_contain_text("新版")
    assert any(u.endswith("/processes/people_mediation/versions/1/xml") for u in fetched), fetched
    assert not any("/processes/people_mediation/versions/2/" in u for u in fetched), fetched
