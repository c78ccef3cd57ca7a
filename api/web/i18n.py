"""The web UI's words: Simplified Chinese first, English on request.

The language is, in order: ``?lang=`` (remembered in a cookie), the cookie, the user's
preference, the browser's Accept-Language; Chinese when none says English.
"""

from fastapi import Request

from api.web.i18n_clocks import CLOCK_STRINGS
from api.web.i18n_continuity import CONTINUITY_STRINGS
from api.web.i18n_documents import DOCUMENT_STRINGS
from api.web.i18n_forms import FORM_STRINGS
from api.web.i18n_queue import QUEUE_STRINGS
from api.web.i18n_screening import SCREENING_STRINGS
from api.web.i18n_search import SEARCH_STRINGS
from api.web.i18n_templates import TEMPLATE_STRINGS
from api.web.i18n_users import USER_STRINGS

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
    # --- case page and SLA dashboard (ui-case) ---
    "case_title": ("案件", "Case"), "case_number": ("案件编号", "Case number"), "case_status": ("状态", "Status"),
    "case_process": ("流程", "Process"), "case_version": ("版本", "version"), "case_channel": ("受理渠道", "Channel"),
    "case_source": ("来源", "Source"), "case_dispute_type": ("纠纷类型", "Dispute type"),
    "case_request_kind": ("诉求类型", "Request"), "case_summary": ("简要案情", "Summary"),
    "case_amount": ("涉及金额", "Amount"), "case_people": ("涉及人数", "People involved"),
    "case_risk": ("风险等级", "Risk level"), "case_outcome": ("办理结果", "Outcome"),
    "case_created": ("立案时间", "Opened"), "case_updated": ("更新时间", "Updated"),
    "case_completed": ("办结时间", "Closed"), "case_repeat": ("重复信访", "Repeat petitioner"),
    "case_over_level": ("越级信访", "Over-the-level petition"), "case_visit_count": ("来访次数", "Visits"),
    "case_leader": ("包案领导", "Leader in charge"),
    "case_key": ("重点案件", "Key case"), "case_fields": ("基本信息", "Case details"),
    "case_parties": ("当事人", "Parties"), "party_role": ("身份", "Role"), "party_kind": ("类型", "Kind"),
    "party_name": ("姓名/名称", "Name"), "party_id_type": ("证件类型", "ID type"),
    "party_id_number": ("证件号码", "ID number"), "party_phone": ("联系电话", "Phone"),
    "party_address": ("地址", "Address"), "masked": ("已脱敏", "masked"),
    "no_parties": ("无当事人信息", "No parties recorded"),
    "case_diagram": ("流程图（当前环节高亮）", "Process diagram (current position highlighted)"),
    "diagram_main": ("主流程", "Main process"), "diagram_called": ("子流程", "Sub-process"),
    "diagram_legend_active": ("当前环节", "current step"), "diagram_legend_done": ("已完成", "completed"),
    "diagram_failed": ("流程图无法显示", "The diagram cannot be shown"),
    "case_deadlines": ("办理时限", "Deadlines"), "deadline_name": ("时限", "Deadline"),
    "deadline_due": ("到期时间", "Due"), "deadline_remaining": ("剩余时间", "Time remaining"),
    "deadline_paused": ("暂停", "Paused"), "deadline_extensions": ("延期", "Extensions"),
    "deadline_status": ("状态", "Status"), "not_paused": ("未暂停", "no"),
    "paused_since": ("暂停自", "paused since"), "paused_total": ("累计暂停", "paused in total"),
    "no_deadlines": ("无进行中的时限", "No running deadlines"), "case_paused_note": ("案件时限已暂停", "The case's clocks are paused"),
    "timer": ("流程定时器", "Process timer"),
    "case_timeline": ("办理记录", "Timeline"), "event_when": ("时间", "When"), "event_who": ("操作人", "Who"),
    "event_what": ("事项", "What"), "system": ("系统", "system"),
    "case_attachments": ("附件", "Attachments"), "attachment_kind": ("类别", "Kind"),
    "attachment_name": ("文件", "File"), "attachment_size": ("大小", "Size"),
    "attachment_by": ("上传人", "Uploaded by"), "no_attachments": ("无附件", "No attachments"),
    "case_open_tasks": ("待办任务", "Open tasks"), "no_open_tasks": ("无待办任务", "No open tasks"),
    "task_group": ("办理组", "Group"), "open_task": ("办理", "Open"),
    "case_related": ("同一当事人的其他案件", "Other cases of the same parties"),
    "case_not_found": ("案件不存在，或不在您负责的社区范围内。", "This case does not exist or is outside your communities."),
    "case_forbidden": ("您无权查看此案件。", "You may not view this case."),
    "yes": ("是", "yes"), "no": ("否", "no"),
    "dash_title": ("时限看板", "SLA dashboard"), "dash_open": ("在办任务", "Open tasks"),
    "dash_overdue": ("已逾期", "Overdue"), "dash_at_risk": ("即将到期", "At risk"),
    "dash_at_risk_hint": ("小时内到期", "hours or less left"),
    "dash_updated": ("数据时间", "As of"), "dash_by_stage": ("各环节在办任务", "Open tasks by stage"),
    "dash_trend": ("近30天趋势", "Last 30 days"), "dash_by_group": ("按办理组", "By group"),
    "dash_by_community": ("按社区", "By community"), "dash_breaches": ("逾期清单", "Breaches"),
    "dash_stage": ("环节", "Stage"), "dash_count": ("数量", "Count"), "dash_group": ("办理组", "Group"),
    "dash_community": ("社区", "Community"), "dash_date": ("日期", "Date"),
    "dash_opened": ("新立案", "Opened"), "dash_closed": ("办结", "Closed"), "dash_breached": ("新增逾期", "Breached"),
    "dash_overdue_by": ("已逾期", "Overdue by"), "dash_no_breaches": ("暂无逾期", "No breaches"),
    "dash_warnings": ("预警案件", "Early warnings"), "dash_over_level": ("越级信访", "Over-the-level petitions"),
    "dash_no_warnings": ("暂无预警", "No early warnings"), "dash_warning_reasons": ("预警原因", "Reasons"),
    "dash_visits": ("来访次数", "Visits"), "dash_leader": ("包案领导", "Leader in charge"),
    "warn_group_case": ("群体性", "group case"), "warn_red_risk": ("红色风险", "red risk"),
    "warn_repeat_petitioner": ("重复信访人", "repeat petitioner"), "warn_over_level": ("越级", "over the level"),
    "warn_repeat_visits": ("重复来访", "repeat visits"),
    "dash_show_table": ("查看数据表", "Show the figures"), "dash_chart_stage_label": ("各环节在办任务数量柱状图", "Bar chart of open tasks by stage"),
    "dash_chart_trend_label": ("近30天新立案、办结与逾期折线图", "Line chart of opened, closed and breached cases over 30 days"),
    "dash_refresh_note": ("每60秒自动刷新", "refreshes every 60 s"), "dash_none": ("暂无数据", "No data"),
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
    "ed_timer_hint": ("如 20 个工作日、30 日、48 小时、received_on + 15 日，ISO 8601 如 P30D、R3/P1D，"
                      "或 Python 表达式如 add_days(30)",
                      "e.g. 20 个工作日, 30 日, 48 小时, received_on + 15 日; ISO 8601 such as P30D, R3/P1D; "
                      "or a Python expression like add_days(30)"),
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

# Code values shown on the case page and the dashboard (key "v_<field>_<code>"); unknown codes show as is.
_VALUES = {
    "status": {"active": ("办理中", "active"), "completed": ("已办结", "closed"), "cancelled": ("已撤销", "cancelled"),
               "error": ("异常", "error")},
    "channel": {"service_hall": ("综合服务大厅窗口", "service hall"), "law_mailbox": ("法治信箱", "law mailbox"),
                "grid_screening": ("网格员排查", "grid screening"), "pre_petition_studio": ("访前法律工作室", "pre-petition studio"),
                "hotline_12345": ("12345热线", "12345 hotline"), "online": ("网上平台", "online"),
                "transfer_in": ("转办", "transferred in"), "court_delegated": ("法院委派", "court-delegated")},
    "source": {"party_application": ("当事人申请", "party application"), "proactive": ("主动调解", "proactive"),
               "police_transfer": ("公安移交", "police transfer"), "court_entrusted": ("法院委托", "court-entrusted"),
               "government_assigned": ("政府指定", "government-assigned")},
    "dispute_type": {"marriage_family": ("婚姻家庭", "marriage and family"), "neighbourhood": ("邻里", "neighbours"),
                     "housing_homestead": ("房屋宅基地", "housing and homestead"), "contract": ("合同", "contract"),
                     "production_business": ("生产经营", "production and business"),
                     "damage_compensation": ("损害赔偿", "damages"), "forest_land": ("山林土地", "forest and land"),
                     "land_requisition_demolition": ("征地拆迁", "land requisition"),
                     "environmental_pollution": ("环境污染", "pollution"), "labour": ("劳动争议", "labour"),
                     "consumer": ("消费", "consumer"), "medical": ("医疗", "medical"),
                     "traffic_accident": ("道路交通事故", "traffic accident"),
                     "property_management": ("物业", "property management"), "tourism": ("旅游", "tourism"),
                     "intellectual_property": ("知识产权", "intellectual property"), "internet": ("互联网", "internet"),
                     "other": ("其他", "other")},
    "request_kind": {"mediation": ("请求调解", "mediation"), "consultation": ("法律咨询", "legal consultation"),
                     "petition": ("信访", "petition"), "legal_procedure": ("涉法涉诉", "legal procedure"),
                     "admin_act": ("对行政行为不服", "administrative act")},
    "risk_level": {"red": ("红色", "Red"), "orange": ("橙色", "Orange"), "yellow": ("黄色", "Yellow")},
    "role": {"applicant": ("申请人", "applicant"), "respondent": ("被申请人", "respondent"),
             "third_party": ("第三人", "third party"), "agent": ("代理人", "agent")},
    "party_kind": {"natural_person": ("自然人", "natural person"), "legal_person": ("法人/其他组织", "organisation")},
    "id_type": {"resident_id": ("居民身份证", "resident ID"), "passport": ("护照", "passport"),
                "hk_macao_permit": ("港澳居民来往内地通行证", "HK/Macao permit"),
                "taiwan_permit": ("台湾居民来往大陆通行证", "Taiwan permit"),
                "uscc": ("统一社会信用代码", "unified social credit code"), "other": ("其他", "other")},
    "outcome": {"mediated": ("调解成功", "mediated"), "partial": ("部分达成协议", "partial agreement"),
                "failed": ("调解不成", "failed"), "refused": ("不予受理/不同意调解", "refused"),
                "terminated": ("终止", "terminated"), "withdrawn": ("撤回", "withdrawn"),
                "consultation": ("咨询解答", "consultation answered"), "petition_concluded": ("信访办结", "petition concluded"),
                "guided_petition": ("引导信访", "guided to petition"),
                "transferred": ("转送有权机关", "forwarded to the competent body"),  # 信访 转送/交还: not concluded
                "guided_litigation": ("引导诉讼", "guided to court"),
                "guided_labour_arbitration": ("引导劳动仲裁", "guided to labour arbitration"),
                "guided_commercial_arbitration": ("引导商事仲裁", "guided to arbitration"),
                "guided_admin_review": ("引导行政复议", "guided to administrative review"),
                "guided_legal_aid": ("引导法律援助", "guided to legal aid"),
                "guided_people_mediation": ("引导人民调解", "guided to people's mediation"),
                "guided_payment_order": ("引导申请支付令", "guided to a payment order")},
    "group": {"intake": ("窗口受理", "intake"), "lawyer": ("访前工作室律师", "studio lawyers"),
              "mediator": ("调解员", "mediators"), "supervisor": ("司法所", "supervisors"),
              "leader": ("街道领导", "leaders")},
    "deadline": {"pending": ("进行中", "running"), "warned": ("已预警", "warned"), "fired": ("已逾期", "overdue"),
                 "paused": ("已暂停", "paused"), "met": ("已完成", "met"), "cancelled": ("已取消", "cancelled")},
    "attachment": {"agreement": ("调解协议书", "agreement"), "record": ("笔录", "record"),
                   "evidence": ("证据材料", "evidence"), "other": ("其他", "other"),
                   "document": ("文书", "document"), "signed": ("签字件", "signed copy")},
    "event": {"case_started": ("立案", "case opened"), "task_created": ("生成任务", "task created"),
              "task_completed": ("办结任务", "task completed"), "task_cancelled": ("取消任务", "task cancelled"),
              "document_issued": ("制作文书", "document issued"), "document_signed": ("上传签字件", "signed copy attached"),
              "task_claimed": ("认领任务", "task claimed"), "task_released": ("退回任务", "task released"),
              "task_assigned": ("指派任务", "task assigned"), "task_delegated": ("委托办理", "task delegated"),
              "handover": ("工作交接", "handover"), "case_completed": ("结案", "case closed"),
              "case_cancelled": ("撤销案件", "case cancelled"), "case_migrated": ("迁移流程版本", "moved to another version"),
              "case_paused": ("暂停计时", "clocks paused"), "case_resumed": ("恢复计时", "clocks resumed"),
              "timer_fired": ("定时器触发", "timer fired"), "deadline_warning": ("时限预警", "deadline warning"),
              "deadline_breached": ("时限逾期", "deadline breached"), "deadline_extended": ("延期", "deadline extended"),
              "leader_case_assigned": ("领导包案", "leader assigned"),
              "escalation_acknowledged": ("督办已签收", "escalation acknowledged"), "incident": ("流程异常", "incident"),
              "repeat_petitioner_flagged": ("标记重复信访", "repeat petitioner flagged"), "imported": ("台账导入", "imported"),
              # issue 13, clocks: case dates, recomputed deadlines
              "case_date_changed": ("更改案件日期", "case date changed"),
              "deadline_recomputed": ("重新计算时限", "deadline recomputed"),
              # issue 13, intakewarn: early warning, repeat visits, 领导包案
              "early_warning": ("预警", "early warning"), "repeat_visit": ("重复来访", "repeat visit"),
              "leader_chosen": ("确定包案领导", "case leader chosen"),
              "leader_target_set": ("包案化解目标日期", "leader's target date set")},
    # issue 13, clocks: pause kinds, extension kinds, case dates
    "pause_kind": {"appraisal": ("鉴定", "appraisal"), "hearing": ("听证", "hearing"),
                   "party": ("等待当事人", "waiting for a party"), "other": ("其他", "other")},
    "extension_kind": {"approval": ("经批准", "approved"), "consent": ("经当事人同意", "parties' consent")},
    "case_date": {"received_on": ("收到/来访日期", "date received"), "accepted_on": ("受理日期", "date accepted"),
                  "applied_on": ("申请日期", "date applied"), "agreement_effective_on": ("协议生效日期", "agreement in force"),
                  "notice_served_on": ("告知书送达日期", "notice served"),
                  "opinion_received_on": ("处理意见书收到日期", "opinion received"),
                  "review_applied_on": ("复查申请日期", "review applied"),
                  "recheck_applied_on": ("复核申请日期", "re-examination applied"),
                  "review_opinion_received_on": ("复查意见书收到日期", "review opinion received"),
                  "leader_target_on": ("包案化解目标日期", "leader's target date"),
                  "knew_on": ("知道或应当知道权利被侵害之日", "date the worker knew")},
}
STRINGS.update({f"v_{field}_{code}": pair for field, codes in _VALUES.items() for code, pair in codes.items()})


# -- caseworker pages (queue, task form, intake; form.js) --
CASEWORK_STRINGS = {
    "claim": ("认领", "Claim"), "claimed": ("已认领", "Claimed"),
    "cw_case_number": ("案号", "Case number"),
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
    "task_title": ("办理任务", "Task"), "cw_task_group": ("办理组", "Group"), "task_assignee": ("办理人", "Assignee"),
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
    "intake_repeat_visit": ("重复来访：相同当事人的同一事项正在办理中，本次来访已记入该案件，不重复受理",
                            "Repeat visit: an identical matter of the same parties is open; this visit was "
                            "recorded on it, not registered twice"),
    "intake_visit_count": ("来访次数", "Visits"), "intake_repeat_visit_title": ("已记录重复来访", "Repeat visit recorded"),
    "intake_visit_done": ("已记入在办案件：{case}", "Recorded on the open case: {case}"),
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

# --- the holiday calendar (issue 13): nav, banner, the 日历未确认 mark, the calendar page, its event ---
CALENDAR_STRINGS = {
    "v_event_deadline_recomputed": ("期限重算", "deadline recomputed"),
    "nav_calendar": ("节假日", "Holidays"),
    "calendar_unconfirmed": ("日历未确认", "calendar not confirmed"),
    "calendar_unconfirmed_hint": ("该年节假日安排尚未录入，按周一至周五暂算",
                                  "The year's holiday calendar is not entered; counted Monday–Friday for now"),
    "calendar_banner": ("{year} 年节假日安排尚未录入，涉及 {year} 年的期限按周一至周五暂算",
                        "The {year} public holiday calendar is not entered yet; deadlines in {year} count "
                        "Monday–Friday provisionally."),
    "calendar_banner_action": ("录入节假日安排", "Enter the calendar"),
    "calendar_title": ("节假日安排", "Public holiday calendar"),
    "calendar_year": ("年份", "Year"), "calendar_show": ("查看", "Show"),
    "calendar_confirmed": ("已确认", "confirmed"), "calendar_not_confirmed": ("未确认（按周一至周五暂算）",
                                                                              "not confirmed (Monday–Friday)"),
    "calendar_source": ("来源", "Source"), "calendar_entered_by": ("录入人", "Entered by"),
    "calendar_date": ("日期", "Date"), "calendar_weekday": ("星期", "Weekday"), "calendar_kind": ("类型", "Kind"),
    "calendar_name": ("名称", "Name"), "calendar_rest": ("休", "day off"), "calendar_work": ("班（调休上班）",
                                                                                        "working day (调休)"),
    "calendar_normal": ("恢复为周一至周五", "back to Monday–Friday"),
    "calendar_no_days": ("该年没有节假日记录。", "No days recorded for this year."),
    "calendar_set_day": ("设置某一天", "Set one day"), "calendar_set": ("设置", "Set"),
    "calendar_import": ("导入全年安排", "Import a year"),
    "calendar_import_file": ("文件（CSV：date,kind,name 或 JSON）", "File (CSV: date,kind,name, or JSON)"),
    "calendar_import_source": ("通知文号", "Notice"),
    "calendar_import_button": ("导入", "Import"),
    "calendar_imported": ("{year} 年已录入，重算期限 {n} 条", "{year} entered; {n} deadlines recomputed"),
    "calendar_day_set": ("已设置，重算期限 {n} 条", "Set; {n} deadlines recomputed"),
    "calendar_unconfirmed_deadlines": ("日历未确认的进行中期限", "Open deadlines on an unconfirmed calendar"),
    "calendar_read_only": ("仅管理员可修改节假日安排。", "Only administrators change the calendar."),
}
STRINGS.update(CALENDAR_STRINGS)

# --- document templates (issue 15): the /templates page ---
STRINGS.update(TEMPLATE_STRINGS)


# --- documents (issue 15): the 文书 panel, the case page's 文书 section, refused actions, the case file's events ---
STRINGS.update(DOCUMENT_STRINGS)
STRINGS.update(SCREENING_STRINGS)  # the screening task (诉访分离, issue 16): screening.js
# --- moving work (issue 16): the task page's release/delegate/reassign panel, the 交接 page, their events ---
STRINGS.update(CONTINUITY_STRINGS)
STRINGS.update(QUEUE_STRINGS)  # issue 16: the queue page
# --- the case file (卷宗, issue 15): the case page's card (case-file.js), its events ---
FILE_STRINGS = {
    "v_event_case_filed": ("立卷归档", "case filed"), "v_event_case_reopened": ("重新开卷", "case file reopened"),
    "file_title": ("卷宗", "Case file"), "file_none": ("本案已办结，尚未立卷归档。", "The case is closed and not filed yet."),
    "file_case": ("立卷归档", "File the case"), "file_again": ("重新立卷归档", "File again"),
    "file_done": ("已立卷归档", "Filed"), "file_number": ("卷宗号", "File number"),
    "file_retention": ("保管期限", "Retention"), "file_years": ("年", "years"), "file_status": ("卷宗状态", "Status"),
    "file_status_filed": ("已归档（只读）", "filed (read-only)"), "file_status_reopened": ("已重新开卷", "reopened"),
    "file_filed_by": ("立卷人", "Filed by"), "file_total_pages": ("本卷页数", "Pages"),
    "file_readonly": ("本案已立卷归档，只读；如需更正，请重新开卷并说明理由。",
                      "This case is filed and read-only; reopen it with a reason to correct it."),
    "file_contents": ("卷内目录", "List of contents"), "file_seq": ("序号", "No."), "file_paper": ("文件题名", "Paper"),
    "file_doc_number": ("文号", "Number"), "file_date": ("日期", "Date"), "file_pages": ("页号", "Pages"),
    "file_note": ("备注", "Note"), "file_download": ("下载卷宗 PDF", "Download the file (PDF)"),
    "file_reopen": ("重新开卷", "Reopen"), "file_reopen_reason": ("重新开卷理由（至少 5 个字）", "Reason (at least 5 characters)"),
    "file_reopen_confirm": ("确认重新开卷", "Reopen the file"), "file_reopened": ("已重新开卷", "Reopened"),
}
STRINGS.update(FILE_STRINGS)
STRINGS.update(CLOCK_STRINGS)
STRINGS.update(USER_STRINGS)  # issue 17: the /users and /change-password pages
STRINGS.update(SEARCH_STRINGS)  # the case search (issue 16)
STRINGS.update(FORM_STRINGS)


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
