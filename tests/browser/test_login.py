"""Logging in and the page header, in Chromium."""

from tests.helpers.browser import login, shot


def test_login_shows_the_header_with_user_role_and_community(new_page):
    page = new_page()
    page.goto("/")
    assert "/login?next=/" in page.url
    shot(page, "01-login")
    login(page, "mediator1")
    assert page.get_by_test_id("header-role").inner_text() == "调解员"
    assert page.get_by_test_id("header-communities").inner_text() == "福田社区"
    assert page.get_by_role("link", name="我的待办").is_visible()
    assert page.errors == []


def test_wrong_password_is_refused_on_the_page(new_page):
    page = new_page()
    page.goto("/login")
    page.get_by_label("用户名").fill("mediator1")
    page.get_by_label("密码").fill("wrong")
    page.get_by_role("button", name="登录").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert alert.inner_text() == "用户名或密码错误"
    assert "/login" in page.url


def test_logout_ends_the_session(new_page):
    page = new_page()
    login(page, "window1")
    page.get_by_role("button", name="退出").click()
    page.wait_for_url("**/login")
    page.goto("/")
    assert "/login" in page.url
