"""用户与权限 (issue 17) in Chromium: an admin adds a user whose temporary password is shown once; at the first
login the user can only change it; a deactivated user cannot log in; a reset shows a new temporary password; the
user's history reads in Chinese."""

from tests.helpers.browser import login, shot


def log_in_as(page, username: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def add_user(page, username: str, name: str) -> str:
    page.locator("#us-add summary").click()
    form = page.locator("#us-add-form")
    form.get_by_label("用户名", exact=True).fill(username)
    form.get_by_label("姓名", exact=True).fill(name)
    form.get_by_label("角色", exact=True).select_option("mediator")
    form.get_by_label("社区", exact=True).fill("福田社区、岗厦社区")
    form.get_by_role("button", name="新增", exact=True).click()
    box = page.get_by_test_id("temp-password-box")
    box.wait_for()
    assert f"{name}（{username}） 的临时密码" in box.inner_text()
    return page.get_by_test_id("temp-password").inner_text()


def user_row(page, username: str):
    return page.get_by_test_id("users-table").locator(f'tr[data-user="{username}"]')


def test_a_new_user_must_change_the_password_at_first_login_and_a_deactivated_one_cannot_log_in(new_page):
    admin = new_page()
    login(admin, "admin1", "/users")
    admin.get_by_test_id("users-table").wait_for()
    temp = add_user(admin, "zhaoli", "赵丽")
    row = user_row(admin, "zhaoli")
    row.wait_for()
    assert "调解员" in row.inner_text() and "岗厦社区、福田社区" in row.inner_text() and "待改密码" in row.inner_text()
    shot(admin, "17-users")

    user = new_page()
    log_in_as(user, "zhaoli", temp)
    user.wait_for_url("**/change-password")
    assert "临时密码" in user.get_by_test_id("cp-forced").inner_text()
    user.goto("/cases")  # every other page sends the user back here
    user.wait_for_url("**/change-password")
    shot(user, "17-change-password")
    user.get_by_label("当前密码").fill(temp)
    user.get_by_label("新密码", exact=True).fill("12345678")
    user.get_by_label("再次输入新密码").fill("12345678")
    user.get_by_role("button", name="修改密码").click()
    user.locator("#cp-errors .error").first.wait_for()
    assert "常见密码" in user.locator("#cp-errors").inner_text() or "不符合要求" in user.locator("#cp-errors").inner_text()
    user.get_by_label("新密码", exact=True).fill("赵丽的人民调解密码")
    user.get_by_label("再次输入新密码").fill("赵丽的人民调解密码")
    user.get_by_role("button", name="修改密码").click()
    user.wait_for_url(lambda url: "/change-password" not in url)
    user.get_by_role("link", name="我的待办").wait_for()
    assert user.get_by_test_id("header-user").inner_text() == "赵丽"

    admin.reload()
    row = user_row(admin, "zhaoli")
    row.wait_for()
    assert "待改密码" not in row.inner_text()
    admin.once("dialog", lambda d: d.accept())
    row.get_by_role("button", name="停用").click()
    row.get_by_role("button", name="启用").wait_for()
    assert row.get_by_test_id("us-status").inner_text() == "已停用"

    user.goto("/cases")  # the session ended with the deactivation
    user.wait_for_url("**/login**")
    log_in_as(user, "zhaoli", "赵丽的人民调解密码")
    alert = user.locator("#login-error")
    alert.wait_for()
    assert alert.inner_text() == "该账号已停用，请联系管理员"
    assert "/login" in user.url

    row.get_by_role("button", name="操作记录").click()
    history = admin.get_by_test_id("us-audit-dialog")
    history.wait_for()
    text = history.inner_text()
    assert "停用" in text and "本人修改密码" in text and "新增用户" in text and "admin1" in text
    assert temp not in text
    assert admin.errors == []
    # the refused login (401) and the header's count refused before the change (403) are the only console lines
    assert [e for e in user.errors if "Failed to load resource" not in e] == []


def test_a_reset_shows_a_temporary_password_once_and_the_last_admin_is_kept(new_page):
    admin = new_page()
    login(admin, "admin1", "/users")
    row = user_row(admin, "lawyer1")
    row.wait_for()
    admin.once("dialog", lambda d: d.accept())
    row.get_by_role("button", name="重置密码").click()
    temp = admin.get_by_test_id("temp-password")
    temp.wait_for()
    password = temp.inner_text()
    assert len(password) == 12
    admin.get_by_role("button", name="我已记下").click()
    assert admin.get_by_test_id("temp-password").count() == 0

    lawyer = new_page()
    log_in_as(lawyer, "lawyer1", password)
    lawyer.wait_for_url("**/change-password")

    me = user_row(admin, "admin1")
    admin.once("dialog", lambda d: d.accept())
    me.get_by_role("button", name="停用").click()
    toast = admin.locator("#toast")
    toast.wait_for()
    assert "最后一位在用的管理员" in toast.inner_text()
    assert me.get_by_test_id("us-status").inner_text() == "在用"

    admin.locator("#us-filters").get_by_label("角色", exact=True).select_option("intake")
    admin.get_by_role("button", name="筛选").click()
    admin.wait_for_url("**/users?role=intake")
    admin.get_by_test_id("us-count").filter(has_text="共 2 人").wait_for()
    assert [e for e in admin.errors if "409 (Conflict)" not in e] == []  # the refused deactivation
