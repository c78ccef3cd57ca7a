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


# -- caseworker pages (queue, task form, intake; form.js) --
CASEWORK_STRINGS = {
    "claim": ("认领", "Claim"), "claimed": ("已认领", "Claimed"),
    "case_number": ("案号", "Case number"),
    "form_yes": ("是", "Yes"), "form_no": ("否", "No"), "form_choose": ("请选择", "Choose…"),
    "form_add": ("添加", "Add"), "form_remove": ("删除", "Remove"), "form_no_files": ("尚未上传文件", "No files yet"),
    "queue_mine": ("我的任务", "My tasks"), "queue_ready": ("待认领", "Ready to claim"),
    "queue_filters": ("筛选", "Filters"), "queue_all": ("全部", "All"),
    "queue_process": ("流程", "Process"), "queue_dispute_type": ("纠纷类型", "Dispute type"),
    "queue_overdue_only": ("只看逾期", "Overdue only"), "queue_apply": ("筛选", "Apply"),
    "queue_clear": ("清除筛选", "Clear filters"), "queue_more": ("加载更多", "Load more"),
    "queue_due": ("剩余时限", "Time left"), "queue_task": ("任务", "Task"), "queue_action": ("操作", "Action"),
    "queue_open": ("办理", "Open"),
    "queue_empty_mine": ("您目前没有已认领的任务。", "You hold no tasks."),
    "queue_empty_ready": ("暂无待认领的任务。", "No tasks are waiting to be claimed."),
    "queue_empty_filtered": ("没有符合筛选条件的任务。", "No tasks match the filters."),
    "queue_claimed": ("已认领：{name}（{case}）", "Claimed: {name} ({case})"),
    "queue_claim_conflict": ("该任务已被他人认领", "Someone else has already claimed this task"),
    "task_title": ("办理任务", "Task"), "task_group": ("办理组", "Group"), "task_assignee": ("办理人", "Assignee"),
    "task_unclaimed": ("未认领", "unclaimed"), "task_status": ("状态", "Status"), "task_due": ("时限", "Due"),
    "task_status_ready": ("待认领", "ready"), "task_status_claimed": ("办理中", "in progress"),
    "task_status_completed": ("已完成", "completed"),
    "task_draft_loaded": ("已载入您保存的草稿。", "Your saved draft is loaded."),
    "task_no_form": ("此任务无需填写表单。", "This task has no form."),
    "task_claim_first": ("请先认领此任务再办理。", "Claim this task to work on it."),
    "task_held_by": ("此任务由 {user} 办理中。", "This task is held by {user}."),
    "task_complete": ("提交办结", "Complete"), "task_save_draft": ("保存草稿", "Save draft"),
    "task_back": ("返回我的待办", "Back to my work"),
    "task_errors_title": ("请更正以下内容后再提交：", "Please correct the following:"),
    "task_conflict": ("此任务已被他人认领或办结，您的提交未被接受。",
                      "Someone else has claimed or completed this task; your submission was not accepted."),
    "task_draft_saved": ("草稿已保存", "Draft saved"),
    "task_completed_toast": ("已办结：{name}（{case}）", "Completed: {name} ({case})"),
    "group_intake": ("窗口受理", "intake"), "group_lawyer": ("访前工作室律师", "studio lawyers"),
    "group_mediator": ("调解员", "mediators"), "group_supervisor": ("司法所", "supervisors"),
    "group_leader": ("街道领导", "leaders"),
    "intake_channel": ("来件渠道", "Intake channel"), "intake_submit": ("登记受理", "Register the case"),
    "intake_no_process": ("未部署矛盾纠纷受理流程", "The intake process is not deployed"),
    "intake_duplicate": ("不予重复受理", "Not registered twice"),
    "intake_done": ("已登记：{case}", "Registered: {case}"),
    "intake_registered": ("受理登记完成", "Case registered"), "intake_next": ("下一步", "Next step"),
    "intake_repeat": ("重复信访", "Repeat petitioner"), "intake_repeat_yes": ("重复信访人", "repeat petitioner"),
    "intake_related": ("同一当事人的其他案件", "Other cases of the same parties"),
    "intake_no_related": ("无关联案件。", "No related cases."),
    "intake_open_case": ("查看案件", "Open the case"), "intake_another": ("继续登记", "Register another"),
    "ch_service_hall": ("综合服务大厅窗口", "Service hall window"), "ch_law_mailbox": ("法治信箱", "Rule-of-law mailbox"),
    "ch_grid_screening": ("网格员排查", "Grid screening"), "ch_pre_petition_studio": ("访前法律工作室", "Pre-petition studio"),
    "ch_hotline_12345": ("12345热线", "12345 hotline"), "ch_online": ("网上平台", "Online"),
    "ch_transfer_in": ("转办", "Transferred in"), "ch_court_delegated": ("法院委派", "Delegated by a court"),
    "dt_marriage_family": ("婚姻家庭", "Marriage and family"), "dt_neighbourhood": ("邻里", "Neighbours"),
    "dt_housing_homestead": ("房屋宅基地", "Housing and homestead"), "dt_contract": ("合同", "Contract"),
    "dt_production_business": ("生产经营", "Production and business"),
    "dt_damage_compensation": ("损害赔偿", "Damages"), "dt_forest_land": ("山林土地", "Forest and land"),
    "dt_land_requisition_demolition": ("征地拆迁", "Land requisition and demolition"),
    "dt_environmental_pollution": ("环境污染", "Environmental pollution"), "dt_labour": ("劳动争议", "Labour"),
    "dt_consumer": ("消费", "Consumer"), "dt_medical": ("医疗", "Medical"),
    "dt_traffic_accident": ("道路交通事故", "Traffic accident"), "dt_property_management": ("物业", "Property management"),
    "dt_tourism": ("旅游", "Tourism"), "dt_intellectual_property": ("知识产权", "Intellectual property"),
    "dt_internet": ("互联网", "Internet"), "dt_other": ("其他", "Other"),
    "proc_mediation_term": ("调解期限内", "within the mediation term"),
    "proc_labour_term": ("调解期限内", "within the mediation term"),
}
STRINGS.update(CASEWORK_STRINGS)


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
