"""The supervisors' process pages in Chromium: process list, BPMN editor (properties, validate,
publish, diff), and the MIWG reference models opening and saving in the editor without loss."""

from collections import Counter

from lxml import etree
from playwright.sync_api import expect

from engine.store import definitions as store
from tests.helpers.browser import login, shot
from tests.helpers.paths import BPMN_DIR
from tests.helpers.shared_dir import shared_dir

MIWG = shared_dir() / "conformance" / "miwg-reference"
DI_NS = "http://www.omg.org/spec/DD/20100524/DI"
BPMNDI_NS = "http://www.omg.org/spec/BPMN/20100524/DI"
BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"


def _only_refused_calls(errors: list[str]) -> list[str]:
    """JS errors other than Chromium's console line for an expected 422 answer."""
    return [e for e in errors if "status of 422" not in e]


def _open_editor(page, key: str = "people_mediation") -> None:
    page.goto(f"/processes/{key}/editor")
    expect(page.locator("#editor-page[data-ready=true]")).to_be_attached()


def _select(page, element_id: str) -> None:
    """Click the element on the canvas (at its centre)."""
    page.locator(f'g.djs-element.djs-shape[data-element-id="{element_id}"]').click()
    expect(page.get_by_label("ID", exact=True)).to_have_value(element_id)


def _versions(db, key: str) -> list:
    with db.begin() as conn:
        return store.list_versions(conn, key)


def test_supervisor_changes_a_timer_validates_publishes_and_sees_the_diff(new_page, live):
    page = new_page()
    login(page, "super1", "/processes")
    row = page.get_by_test_id("process-people_mediation")
    expect(row).to_contain_text("人民调解")
    expect(row.get_by_role("cell", name="v1", exact=True)).to_be_visible()
    row.get_by_role("button", name="版本列表 (1)").click()
    version_row = page.get_by_test_id("version-people_mediation-1")
    expect(version_row.get_by_role("link", name="导出 .bpmn")).to_have_attribute(
        "href", "/api/v1/processes/people_mediation/versions/1/xml")
    shot(page, "07-processes")

    row.get_by_role("link", name="编辑").click()
    page.wait_for_url("**/processes/people_mediation/editor")
    expect(page.locator("#editor-page[data-ready=true]")).to_be_attached()
    expect(page.get_by_test_id("editor-version")).to_have_text("people_mediation · v1")
    expect(page.locator(".bjs-powered-by")).to_be_visible()  # the bpmn.io watermark stays

    # a user task: its lane, group, form (with the schema's title) and the SLA rule that applies
    _select(page, "jc_apply")
    panel = page.get_by_test_id("properties")
    expect(panel.get_by_test_id("prop-lane")).to_have_text("调解员")
    expect(panel.get_by_test_id("prop-group")).to_have_text("mediator")
    expect(page.get_by_label("表单", exact=True)).to_have_value("jc_apply.json")
    rule = panel.get_by_test_id("sla-jc_apply_30d")
    expect(rule.get_by_label("时限")).to_have_value("30")
    rule.get_by_label("时限").fill("25")
    rule.get_by_role("button", name="保存时限规则").click()
    expect(page.get_by_role("status").filter(has_text="时限规则已保存")).to_be_visible()
    rules = {r["key"]: r for r in page.request.get("/api/v1/deadlines/sla-rules").json()}
    assert rules["jc_apply_30d"]["duration"] == 25 and rules["jc_apply_30d"]["updated_by"] == "super1"

    # the timer on that task: the model's computed jc_apply_due -> 20 days from the agreement, written the office's
    # way, through the properties panel
    _select(page, "jc_apply_deadline")
    expect(page.get_by_label("定时方式")).to_have_value("date")
    expect(panel.get_by_test_id("timer-python")).to_contain_text("jc_apply_due")  # a Python expression: read only
    page.get_by_label("起算日期").select_option(label="协议生效之日")
    page.get_by_label("单位").select_option(label="日")
    page.get_by_label("数量").fill("20")
    page.get_by_label("数量").press("Tab")
    expect(panel.get_by_test_id("timer-written").locator("code")).to_have_text("自协议生效之日起 20 日")
    expect(page.get_by_text("有未发布的修改")).to_be_visible()
    expect(page.get_by_role("button", name="撤销")).to_be_enabled()
    shot(page, "08-editor")

    page.get_by_role("button", name="校验").click()
    expect(page.get_by_test_id("valid")).to_have_text("校验通过，可以发布")
    page.get_by_role("button", name="发布").click()
    expect(page.get_by_test_id("published")).to_have_text("已发布为新版本 v2")
    changed = page.get_by_test_id("diff-changed")
    expect(changed).to_contain_text("jc_apply_deadline_def")
    timer_row = changed.locator('tr[data-what="timeDate"]')
    expect(timer_row).to_contain_text("定时器日期")
    expect(timer_row.locator(".dv-old")).to_have_text("jc_apply_due")
    expect(timer_row.locator(".dv-new")).to_have_text("自协议生效之日起 20 日")
    # only the timer changed: the editor's re-serialisation shows up as no other change
    assert changed.locator("li").evaluate_all("lis => lis.map(li => li.dataset.element)") == ["jc_apply_deadline_def"]
    expect(page.get_by_test_id("diff-added")).to_have_count(0)
    expect(page.get_by_test_id("diff-removed")).to_have_count(0)
    expect(page.locator('g.djs-element.tj-diff-changed[data-element-id="jc_apply_deadline"]')).to_be_attached()
    expect(page.get_by_test_id("editor-version")).to_have_text("people_mediation · v2")
    expect(page.get_by_text("有未发布的修改")).to_be_hidden()
    assert page.url.endswith("/processes/people_mediation/editor?version=2")
    shot(page, "10-diff")

    versions = _versions(live.db, "people_mediation")
    assert [v.version for v in versions] == [1, 2] and versions[-1].created_by == "super1"
    # dispute_case calls people_mediation: it got a new version with the published file, for new cases
    assert [v.version for v in _versions(live.db, "dispute_case")] == [1, 2]
    with live.db.begin() as conn:
        sources = store.sources(conn, versions[-1].id)
    xml = sources["people_mediation.bpmn"]
    root = etree.fromstring(xml.encode())
    boundary = root.find(f".//{{{BPMN_NS}}}boundaryEvent[@id='jc_apply_deadline']")
    assert boundary.find(f".//{{{BPMN_NS}}}timeDate").text == "自协议生效之日起 20 日"
    # forms and lanes came through the editor unchanged
    assert 'value="jc_apply.json"' in xml and "调解员" in xml
    assert page.errors == []


def test_a_broken_model_shows_the_engine_error_on_the_element_and_is_not_published(new_page, live):
    page = new_page()
    login(page, "super1", "/processes/people_mediation/editor")
    expect(page.locator("#editor-page[data-ready=true]")).to_be_attached()
    page.evaluate("""() => {
        const m = window.tjEditor.modeler;
        m.get('modeling').removeElements([m.get('elementRegistry').get('end_refused')]);
    }""")
    page.get_by_role("button", name="校验").click()
    problems = page.get_by_test_id("problems")
    problem = problems.get_by_role("button").filter(has_text="脚本任务没有传出的顺序流")
    expect(problem).to_contain_text("set_refused")
    overlay = page.locator('.djs-overlays[data-container-id="set_refused"] [data-testid=problem-overlay]')
    expect(overlay).to_contain_text("脚本任务没有传出的顺序流")
    expect(page.locator('g.djs-element.tj-invalid[data-element-id="set_refused"]')).to_be_attached()
    shot(page, "09-editor-validation")
    problem.click()  # selects the element in the editor
    expect(page.get_by_label("ID", exact=True)).to_have_value("set_refused")

    page.get_by_role("button", name="发布").click()
    expect(page.get_by_role("status").filter(has_text="校验未通过，未发布")).to_be_visible()
    expect(page.get_by_test_id("published")).to_have_count(0)
    assert [v.version for v in _versions(live.db, "people_mediation")] == [1]
    assert _only_refused_calls(page.errors) == []


def _inventory(xml: bytes) -> tuple[Counter, dict]:
    root = etree.fromstring(xml)
    ids = Counter()
    counts = Counter()
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        q = etree.QName(el)
        if el.get("id") is not None:
            ids[(q.namespace, q.localname, el.get("id"))] += 1
        if (q.namespace, q.localname) in ((BPMNDI_NS, "BPMNShape"), (BPMNDI_NS, "BPMNEdge"), (DI_NS, "waypoint")):
            counts[q.localname] += 1
        if q.localname == "extensionElements" and q.namespace == BPMN_NS:
            counts["extension elements"] += sum(1 for c in el.iter() if isinstance(c.tag, str)) - 1
    return ids, counts


def test_every_miwg_reference_model_opens_and_saves_without_losing_elements(new_page, live):
    files = sorted(MIWG.glob("*.bpmn"))
    assert len(files) >= 21, f"MIWG models missing from {MIWG}"
    page = new_page()
    login(page, "super1", "/processes/new/editor")
    expect(page.locator("#editor-page[data-ready=true]")).to_be_attached()
    saved = page.evaluate("""async (models) => {
        const out = {};
        for (const [name, xml] of Object.entries(models)) {
            try {
                await window.tjEditor.modeler.importXML(xml);
                out[name] = (await window.tjEditor.modeler.saveXML({ format: true })).xml;
            } catch (err) { out[name] = 'ERROR ' + err.message; }
        }
        return out;
    }""", {p.name: p.read_text(encoding="utf-8") for p in files})
    failures = {}
    for p in files:
        if saved[p.name].startswith("ERROR"):
            failures[p.name] = saved[p.name]
            continue
        before_ids, before_counts = _inventory(p.read_bytes())
        after_ids, after_counts = _inventory(saved[p.name].encode("utf-8"))
        lost = before_ids - after_ids
        fewer = {k: (v, after_counts[k]) for k, v in before_counts.items() if after_counts[k] < v}
        if lost or fewer:
            failures[p.name] = {"lost ids": sorted(i for _, _, i in lost), "fewer": fewer}
    assert failures == {}, failures


def test_processes_pages_are_for_supervisors_only(new_page, live):
    page = new_page()
    login(page, "mediator1")
    assert page.goto("/processes").status == 403
    assert page.goto("/processes/people_mediation/editor").status == 403
    assert page.request.get("/api/v1/processes/people_mediation/versions/1/bundle").status == 403


def test_import_a_bpmn_file_in_english_and_publish_it(new_page, live):
    """The list's import opens the file in the editor unpublished; its forms come from the deployed ones."""
    page = new_page("en-US")
    login(page, "super1", "/processes?lang=en")
    expect(page.get_by_role("heading", name="Processes")).to_be_visible()
    page.locator("#import-file").set_input_files(str(BPMN_DIR / "leader_case.bpmn"))
    page.wait_for_url("**/processes/new/editor?import=1")
    expect(page.locator("#editor-page[data-ready=true]")).to_be_attached()
    expect(page.get_by_text("Unpublished changes")).to_be_visible()
    expect(page.get_by_test_id("editor-version")).to_have_text("leader_case")
    _select(page, "leader_take_charge")
    expect(page.get_by_label("Form", exact=True)).to_have_value("leader_take_charge.json")
    expect(page.get_by_test_id("prop-group")).to_have_text("leader")
    page.get_by_role("button", name="Publish").click()
    # the same model as deployed: no new version
    expect(page.get_by_test_id("published")).to_have_text("Content unchanged, still version v1")
    assert [v.version for v in _versions(live.db, "leader_case")] == [1]
    assert page.url.endswith("/processes/leader_case/editor?version=1")
    assert page.errors == []
