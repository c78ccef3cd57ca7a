"""The web UI's words for the 办公室管理 hub (/admin, issue 17): one card per page that runs the office.
Merged into ``api.web.i18n.STRINGS``; key: (zh, en).
"""

ADMIN_STRINGS = {
    "nav_admin": ("办公室管理", "Office"),
    "adm_title": ("办公室管理", "Running the office"),
    "adm_intro": ("台账、报表、时限、人员、异常和流程配置，均在浏览器中完成。",
                  "Ledger, reports, deadlines, people, failures and the process set, all in the browser."),
    "adm_group_data": ("台账与报表", "Ledger and reports"),
    "adm_group_time": ("时限", "Deadlines"),
    "adm_group_people": ("人员与运行", "People and operations"),
    "adm_group_models": ("流程配置", "Process set"),
    "adm_ledger": ("台账", "Ledger"),
    "adm_ledger_hint": ("导入台账（先预检每一行）、导出任一期间；维护纠纷类型、来源等代码表及其同义词。",
                        "Import a ledger (every row checked first), export any period; the code tables and their "
                        "synonyms."),
    "adm_reports": ("报表", "Reports"),
    "adm_reports_hint": ("任一期间的统计报表与图表，可下载 PDF、Word、Excel 或 Markdown 文件，旁附自检结果。",
                         "Any period's report with charts, downloads in md / xlsx / pdf / docx, self-checks beside "
                         "it."),
    "adm_sla": ("时限规则", "Deadline rules"),
    "adm_sla_hint": ("法定时限与内部时限：期限、起算日、预警、督办与提醒对象；保存前预览受影响的期限。",
                     "Statutory and internal limits: duration, start date, warning, escalation, who is alerted; see "
                     "which deadlines move before saving."),
    "adm_calendar": ("节假日", "Holidays"),
    "adm_calendar_hint": ("法定节假日与调休工作日，工作日时限据此计算。",
                          "Public holidays and make-up working days; working-day limits are counted by them."),
    "adm_users": ("用户与权限", "Users and roles"),
    "adm_users_hint": ("新增、停用人员，重置密码，设置角色、组别和负责社区；每项变更留痕。",
                       "Add and deactivate people, reset passwords, set roles, groups and communities; every change "
                       "is recorded."),
    "adm_exceptions": ("异常", "Failures"),
    "adm_exceptions_hint": ("执行失败的步骤、多次发送失败的邮件、无待办也无定时的案件：重试、跳过、暂停、恢复或终结。",
                            "Failed steps, emails that keep failing, cases stuck with nothing to do: retry, skip, "
                            "suspend, resume or end."),
    "adm_processes": ("流程", "Processes"),
    "adm_processes_hint": ("在浏览器中编辑流程图与定时，发布新版本，比较版本差异。",
                           "Edit process models and timers in the browser, publish versions, compare them."),
    "adm_decisions": ("决策表", "Decision tables"),
    "adm_decisions_hint": ("编辑诉访分离甄别决策表，发布前用样例试算。",
                           "Edit the screening decision table; try it on a sample before publishing."),
    "adm_forms": ("表单", "Forms"),
    "adm_forms_hint": ("编辑各办理环节的表单字段，实时预览。", "Edit each step's form fields with a live preview."),
    "adm_templates": ("文书模板", "Document templates"),
    "adm_templates_hint": ("引导函、调解协议书等文书模板，上传、预览、启用。",
                           "Guidance letters, agreements and other templates: upload, preview, activate."),
    "adm_handover": ("交接", "Handover"),
    "adm_handover_hint": ("人员离岗时把其任务交给同事。", "Hand a departing person's work to colleagues."),
    "adm_dashboard": ("数据看板", "Dashboard"),
    "adm_dashboard_hint": ("在办案件、超期与预警情况。", "Open cases, overdue and warned deadlines."),
}
