"""The web UI's words: Simplified Chinese first, English on request.

The language is, in order: ``?lang=`` (remembered in a cookie), the cookie, the user's
preference, the browser's Accept-Language; Chinese when none says English.
"""

from fastapi import Request

LANG_COOKIE = "tiaojie_lang"

ROLES = {
    "intake": ("窗口受理", "intake"), "lawyer": ("访前工作室律师", "studio lawyer"),
    "mediator": ("调解员", "mediator"), "supervisor": ("司法所", "supervisor"),
    "leader": ("街道领导", "leader"), "admin": ("管理员", "administrator"),
}

# key: (zh, en). Page scripts get these as JSON (window.T in app.js).
STRINGS = {
    "app_name": ("大调解工作平台", "Joint Mediation Platform"),
    "login": ("登录", "Log in"), "logout": ("退出", "Log out"),
    "username": ("用户名", "User name"), "password": ("密码", "Password"),
    "login_failed": ("用户名或密码错误", "Wrong user name or password"),
    "nav_queue": ("我的待办", "My work"), "nav_new_case": ("受理登记", "New case"),
    "nav_cases": ("案件", "Cases"), "nav_processes": ("流程管理", "Processes"),
    "nav_dashboard": ("时限看板", "SLA dashboard"),
    "overdue_tasks": ("逾期待办", "overdue tasks"), "community": ("社区", "Community"),
    "all_communities": ("全部社区", "all communities"), "role": ("角色", "Role"),
    "language": ("English", "中文"),
    "loading": ("加载中…", "Loading…"), "error": ("出错了", "Something went wrong"),
    "saved": ("已保存", "Saved"), "save": ("保存", "Save"), "cancel": ("取消", "Cancel"),
    "skip_to_content": ("跳到正文", "Skip to content"),
    "not_found": ("页面不存在", "Page not found"),
}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def language(request: Request, user_locale: str | None = None) -> str:
    asked = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
    if asked in ("zh", "en"):
        return asked
    if user_locale:
        return "en" if user_locale.startswith("en") else "zh"
    header = request.headers.get("accept-language", "").lower()
    first = header.split(",")[0].strip()
    return "en" if first.startswith("en") else "zh"


def strings(lang: str, extra: dict[str, tuple[str, str]] | None = None) -> dict[str, str]:
    table = {**STRINGS, **(extra or {})}
    return {key: _pick(pair, lang) for key, pair in table.items()}


def role_name(role: str, lang: str) -> str:
    return _pick(ROLES.get(role, (role, role)), lang)
