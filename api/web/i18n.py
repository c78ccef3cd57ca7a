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
    # --- processes list and BPMN editor (processes.js, editor.js, editor-props.js) ---
    "pr_title": ("流程管理", "Processes"), "pr_new": ("新建流程", "New process"),
    "pr_import": ("导入 .bpmn", "Import .bpmn"), "pr_import_file": ("选择要导入的 .bpmn 文件", "Choose a .bpmn file"),
    "pr_process": ("流程", "Process"), "pr_key": ("标识", "Key"), "pr_latest": ("最新版本", "Latest version"),
    "pr_deployed_at": ("发布时间", "Deployed at"), "pr_deployed_by": ("发布人", "Deployed by"),
    "pr_versions": ("版本数", "Versions"), "pr_actions": ("操作", "Actions"),
    "pr_show_versions": ("版本列表", "Versions"), "pr_version": ("版本", "Version"),
    "pr_open_editor": ("在编辑器中打开", "Open in editor"), "pr_edit_latest": ("编辑", "Edit"),
    "pr_export": ("导出 .bpmn", "Export .bpmn"), "pr_diff_prev": ("与上一版比较", "Diff with previous"),
    "pr_none": ("还没有流程", "No processes yet"), "pr_diff_title": ("版本差异", "Differences"),
    "pr_added": ("新增", "Added"), "pr_removed": ("删除", "Removed"), "pr_changed": ("修改", "Changed"),
    "pr_forms_changed": ("表单变更", "Forms changed"), "pr_no_diff": ("没有元素变化", "No element changed"),
    "ed_title": ("流程编辑器", "Process editor"), "ed_back": ("返回流程列表", "Back to processes"),
    "ed_validate": ("校验", "Validate"), "ed_publish": ("发布", "Publish"), "ed_undo": ("撤销", "Undo"),
    "ed_redo": ("重做", "Redo"), "ed_canvas": ("流程图", "Diagram"), "ed_new_process": ("新流程", "New process"),
    "ed_unsaved": ("有未发布的修改", "Unpublished changes"), "ed_problems": ("校验结果", "Validation"),
    "ed_valid": ("校验通过，可以发布", "Valid: ready to publish"),
    "ed_invalid": ("校验未通过，请先修正以下问题", "Not valid: fix these problems first"),
    "ed_publish_refused": ("校验未通过，未发布", "Not valid: not published"),
    "ed_published": ("已发布为新版本", "Published as version"),
    "ed_unchanged": ("内容未变，仍为版本", "Content unchanged, still version"),
    "ed_imported": ("已导入文件（尚未发布）", "File imported (not yet published)"),
    "ed_import_failed": ("无法读取该 BPMN 文件", "This BPMN file could not be read"),
    "ed_line": ("行", "line"), "ed_element": ("元素", "element"),
    "ed_props": ("属性", "Properties"), "ed_type": ("类型", "Type"), "ed_id": ("ID", "ID"),
    "ed_name": ("名称", "Name"), "ed_id_invalid": ("ID 须以字母开头，且不能重复", "The ID must start with a letter and be unique"),
    "ed_lane": ("泳道", "Lane"), "ed_group": ("办理组", "Group"), "ed_no_lane": ("不在泳道中", "In no lane"),
    "ed_lane_hint": ("在画布上把任务拖到另一泳道即可更换", "Drag the task into another lane on the canvas to change it"),
    "ed_form": ("表单", "Form"), "ed_no_form": ("（无表单）", "(no form)"), "ed_form_title": ("表单标题", "Form title"),
    "ed_timer": ("定时器", "Timer"), "ed_timer_type": ("定时类型", "Timer type"),
    "ed_timer_value": ("定时表达式", "Timer expression"),
    "ed_timer_hint": ("Python 表达式，如 add_workdays(15)、add_days(30)，或带引号的 ISO 时长 \"P30D\"",
                      "A Python expression like add_workdays(15), add_days(30), or a quoted ISO duration \"P30D\""),
    "ed_timeDuration": ("时长", "Duration"), "ed_timeDate": ("日期", "Date"), "ed_timeCycle": ("循环", "Cycle"),
    "ed_sla": ("时限规则", "SLA rule"), "ed_no_sla": ("没有适用的时限规则", "No SLA rule applies"),
    "ed_sla_duration": ("时限", "Duration"), "ed_sla_clock": ("计时方式", "Clock"),
    "ed_clock_natural": ("自然日", "natural days"), "ed_clock_workdays": ("工作日", "working days"),
    "ed_clock_hours": ("小时", "hours"), "ed_sla_save": ("保存时限规则", "Save SLA rule"),
    "ed_sla_saved": ("时限规则已保存", "SLA rule saved"), "ed_process": ("流程", "Process"),
    "ed_select_hint": ("在画布上选择一个元素以编辑其属性", "Select an element on the canvas to edit it"),
    "ed_diff": ("与上一版本的差异", "Changes against the previous version"),
    "ed_leave": ("有未发布的修改，确定离开？", "Leave with unpublished changes?"),
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
