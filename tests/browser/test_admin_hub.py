"""办公室管理 (/admin) in Chromium: each role reaches the pages that run the office from the header, and every
card it is shown opens a page it may use (no card leads to a refusal or a missing page)."""

import re

from playwright.sync_api import expect

from tests.helpers.browser import login, shot

CARDS = {
    "super1": ["ledger", "reports", "dashboard", "sla-rules", "calendar", "exceptions", "handover", "processes",
               "decisions", "forms", "templates"],
    "admin1": ["ledger", "reports", "dashboard", "sla-rules", "calendar", "users", "exceptions", "processes",
               "decisions", "forms", "templates"],
    "leader1": ["ledger", "reports", "dashboard", "sla-rules"],
}


def test_each_role_opens_every_card_it_is_shown(new_page):
    for username, cards in CARDS.items():
        page = new_page()
        login(page, username)
        page.get_by_role("navigation").get_by_role("link", name="办公室管理").click()
        expect(page.get_by_role("heading", name="办公室管理", level=1)).to_be_visible()
        shown = page.locator("[data-testid^=admin-]")
        expect(shown).to_have_count(len(cards))
        assert [t.removeprefix("admin-") for t in shown.evaluate_all("els => els.map(e => e.dataset.testid)")] \
            == cards
        if username == "admin1":
            shot(page, "17-admin-hub")
        for card in cards:
            page.goto("/admin")
            with page.expect_navigation() as navigation:
                page.get_by_test_id(f"admin-{card}").click()
            assert navigation.value.status == 200, (username, card, navigation.value.status)
            assert re.search(rf"/{card}(\?.*)?$", page.url), page.url
            expect(page.locator("main")).not_to_contain_text("无权打开此页面")
        page.close()


def test_caseworkers_have_no_hub(new_page):
    page = new_page()
    login(page, "mediator1")
    expect(page.get_by_role("navigation").get_by_role("link", name="办公室管理")).to_have_count(0)
    page.goto("/admin")
    expect(page.locator("main")).to_contain_text("无权打开此页面")
