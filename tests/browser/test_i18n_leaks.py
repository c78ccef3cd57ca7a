"""Every page in both languages: no English word on a Chinese page, no raw code (snake_case, "yellow",
"neighbourhood", event kinds) on either (tests/helpers/leaks.py).

To add a page: one line in PAGES — (name, role, path with {placeholders} from ``cases_for_walk``, and an optional
action run before reading, e.g. ``submit_empty`` to show a form's errors). ROLES names the user of each role.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from engine.cases import attachments, service
from engine.tasks import claim_task
from tests.helpers.browser import login, mediation_task
from tests.helpers.leaks import page_leaks
from tests.helpers.process_driver import drive, intake

ROLES = {"intake": "window1", "mediator": "mediator1", "lawyer": "lawyer1", "supervisor": "super1",
         "leader": "leader1", "admin": "admin1"}
USERNAMES = {*ROLES.values(), "test"}  # "test": who deployed the processes in the fixtures
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def submit_empty(page) -> None:
    """Submit the form as it is, so its field errors and the summary show."""
    page.locator("main form button[type=submit]").first.click()
    expect(page.get_by_test_id("error-summary")).to_be_visible()


def edit_form(page) -> None:
    """The form editor open on a task's form, a new unlabelled field added and the preview tried: the editor's
    problems and the preview's field errors show."""
    dialog = page.get_by_test_id("form-editor")
    dialog.get_by_test_id("fe-add-field").click()
    expect(dialog.get_by_test_id("fe-problems").locator("li")).not_to_have_count(0)
    dialog.get_by_test_id("fe-try").click()
    expect(dialog.get_by_test_id("fe-preview-summary")).to_be_visible()


def bad_party(page) -> None:
    """Intake with a bad ID number and phone, then submitted: the errors of the identifiers show too."""
    page.locator("[name='parties.0.id_number']").fill("123")
    page.locator("[name='parties.0.phone']").fill("abc")
    submit_empty(page)


def timer_panel_and_diff(page) -> None:
    """The editor's timer panel on a timer, set through the panel and published: the diff's old and new values."""
    expect(page.locator("#editor-page[data-ready=true]")).to_be_attached()
    page.locator('g.djs-element.djs-shape[data-element-id="jc_apply_deadline"]').click()
    expect(page.get_by_test_id("timer-panel")).to_be_visible()
    amount = page.locator("#prop-timer-amount")
    page.locator("#prop-timer-start").select_option("agreement_effective_on")
    page.locator("#prop-timer-unit").select_option("natural")
    amount.fill(str(int(amount.input_value() or 19) + 1))  # a new value in each run
    amount.press("Tab")
    expect(page.get_by_test_id("timer-written")).to_be_visible()
    page.locator("button.primary, button").filter(has_text=re.compile("^(发布|Publish)$")).first.click()
    expect(page.get_by_test_id("diff-values").first).to_be_visible()
def sla_preview(page) -> None:
    """The SLA rules page with a rule's edit form open and its change previewed (the moved deadlines listed)."""
    page.locator('tr[data-key="screening_accept_5wd"] button').first.click()
    page.locator("#sla-duration").fill("6 个工作日")
    page.get_by_test_id("sla-preview-button").click()
    expect(page.get_by_test_id("sla-preview-summary")).to_be_visible()
def try_decision(page) -> None:
    """The 决策表 editor with a sample tried (the matched rule and the results in words) and versions listed."""
    expect(page.locator("#decision-editor[data-ready=true]")).to_be_attached()
    page.get_by_test_id("try-form").locator("select[name=dispute_type]").select_option("labour")
    page.get_by_test_id("try-run").click()
    expect(page.get_by_test_id("try-result")).to_be_visible()
def user_history(page) -> None:
    """Change window2's role and communities in the edit dialog, then open the history that records it."""
    row = page.locator('tr[data-user="window2"]')
    row.locator("button").first.click()
    dialog = page.get_by_test_id("us-edit-dialog")
    dialog.locator("#ed-role").select_option("mediator")
    dialog.locator("#ed-communities").fill("福田社区、岗厦社区")
    dialog.locator("button[type=submit]").click()
    expect(dialog).to_have_count(0)
    page.locator('tr[data-user="window2"]').locator("button").last.click()
    expect(page.get_by_test_id("us-audit-table")).to_be_visible()


@dataclass
class Page:
    name: str
    role: str | None  # None: not logged in
    path: str
    action: Callable | None = None


PAGES = [
    Page("login", None, "/login"),
    *[Page("queue", role, "/") for role in ROLES],
    Page("intake", "intake", "/cases/new", bad_party),
    Page("intake task with errors", "intake", "/tasks/{intake_task}", submit_empty),
    Page("lawyer task with errors", "lawyer", "/tasks/{lawyer_task}", submit_empty),
    Page("mediation acceptance with errors", "mediator", "/tasks/{accept_task}", submit_empty),
    Page("mediation session with errors", "mediator", "/tasks/{session_task}", submit_empty),
    Page("case page with timeline and documents", "supervisor", "/cases/{session_case}"),
    Page("case page of the mediator", "mediator", "/cases/{session_case}"),
    Page("case page at screening", "lawyer", "/cases/{lawyer_case}"),
    Page("dashboard", "supervisor", "/dashboard"),
    Page("dashboard of the leader", "leader", "/dashboard"),
    Page("processes", "admin", "/processes"),
    Page("editor", "supervisor", "/processes/dispute_case/editor"),
    Page("editor's timer panel and diff", "supervisor", "/processes/people_mediation/editor", timer_panel_and_diff),
    Page("calendar", "supervisor", "/calendar"),
    Page("templates", "supervisor", "/templates"),
    Page("forbidden", "mediator", "/processes"),
    Page("case search", "supervisor", "/cases?status=active&sort=case_number"),
    Page("case search of the mediator", "mediator", "/cases?q=%E5%BC%A0"),
    Page("handover", "supervisor", "/handover"),
    Page("office hub", "admin", "/admin"),
    Page("office hub of the leader", "leader", "/admin"),
    Page("reports", "leader", "/reports?period=2026Q4"),
    Page("reports of a month", "admin", "/reports?from=2026-11-01&to=2026-11-30"),
    Page("exceptions", "supervisor", "/exceptions"),  # 异常 (issue 17): a failed step, a failed email, a stuck case
    Page("ledger", "supervisor", "/ledger"),
    Page("ledger of the leader", "leader", "/ledger"),
    Page("SLA rules with a change previewed", "supervisor", "/sla-rules", sla_preview),
    Page("SLA rules of the leader", "leader", "/sla-rules"),
    Page("forms", "supervisor", "/forms"),
    Page("form editor", "supervisor", "/processes/people_mediation/editor?form=mediation_session", edit_form),
    Page("decision tables", "supervisor", "/decisions"),
    Page("decision table editor with a try", "supervisor", "/decisions/screening_route/edit", try_decision),
    Page("users with a user's history", "admin", "/users", user_history),
    Page("change password", "mediator", "/change-password"),
]


def cases_for_walk(db) -> dict[str, object]:
    """The cases the pages show: an open intake task, a lawyer's screening task, a mediation acceptance and a
    mediation session (all claimed) with an attachment on its case, so the timeline has task, attachment and
    deadline events."""
    case, session = mediation_task(db, session=True)
    _, accept = mediation_task(db)
    with db.begin() as conn:
        fresh = service.start_case(conn, "dispute_case", {"community": "福田社区"}, actor="window1")
    lawyer_case, _ = drive(db, "dispute_case", [("intake", intake(risk_level="orange"))], start=datetime.now(UTC))
    [lawyer_task] = lawyer_case.open_tasks
    with db.begin() as conn:
        claim_task(conn, None, session.id, actor="mediator1")
        claim_task(conn, None, lawyer_task.id, actor="lawyer1")
        claim_task(conn, None, accept.id, actor="mediator1")
        claim_task(conn, None, fresh.open_tasks[0].id, actor="window1")
        attachments.add(conn, case_id=case.id, task_id=session.id, kind="evidence", filename="现场照片.pdf",
                        content=PDF, actor="mediator1")
    return {"session_case": case.id, "session_task": session.id, "lawyer_task": lawyer_task.id,
            "lawyer_case": lawyer_case.id, "accept_task": accept.id, "intake_task": fresh.open_tasks[0].id}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_page_leaks_english_or_codes(live, new_page, lang):
    ids = cases_for_walk(live.db)
    leaks: list[str] = []
    pages = {}
    for spec in PAGES:
        if spec.role not in pages:
            page = pages[spec.role] = new_page("en-GB" if lang == "en" else "zh-CN")
            if spec.role is not None:
                login(page, ROLES[spec.role], f"/?lang={lang}")
        page = pages[spec.role]
        path = spec.path.format(**ids)
        page.goto(path + ("&" if "?" in path else "?") + f"lang={lang}")
        page.wait_for_load_state("networkidle")
        expect(page.locator("main, body").first).not_to_contain_text("加载中" if lang == "zh" else "Loading")
        if spec.action:
            spec.action(page)
        leaks += [f"{spec.name} ({spec.role}, {path}) {leak}" for leak in page_leaks(page, lang, USERNAMES)]
    assert leaks == [], "\n".join(leaks)
