"""Keyboard only, as an office PC user without a mouse (or with a screen reader) works."""

from playwright.sync_api import expect

from tests.helpers.api import PASSWORD
from tests.helpers.browser import login, mediation_task, queue_row


def _tab_to(page, predicate_js: str, limit: int = 60) -> None:
    """Press Tab until the focused element satisfies ``predicate_js`` (a JS expression over ``el``)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return !!({predicate_js}); }})()"):
            return
    raise AssertionError(f"never reached an element where {predicate_js}")


def test_log_in_claim_and_open_a_task_with_the_keyboard_only(live, new_page):
    case, task = mediation_task(live.db)
    page = new_page()
    page.goto("/login")
    expect(page.get_by_label("用户名")).to_be_focused()  # autofocus
    page.keyboard.type("mediator1")
    page.keyboard.press("Tab")
    expect(page.get_by_label("密码")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/login" not in url)

    # the first Tab reaches the skip link, which moves focus to the content
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="跳到正文")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()

    expect(queue_row(page, "ready", case.case_number)).to_have_count(1)
    _tab_to(page, "el.tagName === 'BUTTON' && el.textContent.trim() === '认领' "
                  f"&& el.closest('tr') && el.closest('tr').textContent.includes('{case.case_number}')")
    page.keyboard.press("Enter")
    expect(queue_row(page, "mine", case.case_number)).to_have_count(1)

    _tab_to(page, f"el.tagName === 'A' && el.getAttribute('href') === '/tasks/{task.id}'")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/tasks/{task.id}")
    # every form control on the task page has an accessible name (label) for screen readers
    unnamed = page.evaluate("""() => [...document.querySelectorAll('#main input, #main select, #main textarea')]
        .filter(el => el.type !== 'hidden' && !(el.labels && el.labels.length) && !el.getAttribute('aria-label')
                      && !el.getAttribute('aria-labelledby'))
        .map(el => el.name || el.id || el.outerHTML.slice(0, 80))""")
    assert unnamed == []
    # a visible focus ring on the focused control
    _tab_to(page, "el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT'")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")
    assert [e for e in page.errors if "status of 422" not in e] == []


def test_the_queue_refresh_keeps_the_keyboard_focus_on_the_same_task(live, new_page):
    """The queue redraws every 30 s (and when process names arrive): a keyboard user's focus stays on
    the control they were on, in the redrawn row of the same task, instead of falling back to the page."""
    case, task = mediation_task(live.db)
    page = new_page()
    page.clock.install()
    login(page, "mediator1")
    row = queue_row(page, "ready", case.case_number)
    expect(row).to_have_count(1)
    row.get_by_role("button").focus()
    page.evaluate("document.activeElement.dataset.old = '1'")  # the element before the redraw
    with page.expect_response(lambda r: "/api/v1/tasks?" in r.url and "status=ready" in r.url):
        page.clock.run_for(31_000)
    # a redrawn row of the same task, whose claim button has the focus again
    expect(row.locator("button:not([data-old])")).to_be_focused()
    assert page.evaluate("document.activeElement.closest('tr').dataset.taskId") == task.id
