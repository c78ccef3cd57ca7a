"""Logging in and the page header, in Chromium."""

import re
from datetime import UTC, datetime

import time_machine

from engine import people
from tests.helpers.api import PASSWORD
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
    # the page's own requests may answer 401 first and send it to /login?next=/: the login page either way
    page.wait_for_url(re.compile(r"/login(\?next=[^&]*)?$"))
    page.goto("/")
    assert "/login" in page.url


def test_login_redirects_only_to_paths_of_this_site(new_page, live):
    """Targets a string-prefix check let through (a backslash or tab after '/' makes the browser read
    '//host'), and plain other sites and schemes: after login the user is on this site, at the queue."""
    hostile = ["/%5Cevil.example/", "/%09/evil.example/", "//evil.example", "https://evil.example",
               "javascript:alert(1)", "/.//evil.example", "%2F%2Fevil.example"]
    for target in hostile:
        page = new_page()
        page.goto(f"/login?next={target}")
        page.get_by_label("用户名").fill("mediator1")
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(lambda url: "/login" not in url)
        assert page.url == live.url + "/", target
        page.get_by_role("link", name="我的待办").wait_for()


def test_login_keeps_a_path_of_this_site_with_its_query(new_page, live):
    page = new_page()
    page.goto("/login?next=%2Fcases%2Fnew%3Fchannel%3Dvisit")
    page.get_by_label("用户名").fill("window1")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(lambda url: "/login" not in url)
    assert page.url == live.url + "/cases/new?channel=visit"


def test_a_locked_account_is_told_so_on_the_page(new_page, live):
    """Ten wrong passwords (from anywhere) lock the account: the right one on the page is refused, in Chinese."""
    with time_machine.travel(datetime.now(UTC), tick=False) as tm:
        for _ in range(10):
            with live.db.begin() as conn:
                assert isinstance(people.attempt_login(conn, "mediator1", "wrong password", "192.0.2.1"),
                                  people.AuthError)
            tm.shift(61)
        page = new_page()
        page.goto("/login")
        page.get_by_label("用户名").fill("mediator1")
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录").click()
        alert = page.get_by_role("alert")
        alert.wait_for()
        assert alert.inner_text() == "登录失败次数过多，已临时锁定 15 分钟；管理员可解锁"
        assert "/login" in page.url
