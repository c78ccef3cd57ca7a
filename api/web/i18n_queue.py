"""The web UI's words for the queue page (issue 16): the case in each row, 我的包案 (the leader's cases, their
clocks' alerts), the leader's read-only tasks, saved filters. Merged into ``api.web.i18n.STRINGS``; key: (zh, en).
"""

QUEUE_STRINGS = {
    "queue_case": ("案情", "Case"), "queue_applicant_of": ("申请人：", "Applicant: "),
    "queue_risk": ("{level}风险", "{level} risk"), "queue_group_case": ("群体性纠纷 · {n}人", "Group dispute · {n} people"),
    "queue_view_case": ("查看案件", "View the case"), "queue_group_other": ("其他", "other"),
    "queue_led_tasks": ("我的包案案件的任务（只读）", "Tasks of the cases I lead (read only)"),
    "queue_led_tasks_note": ("这些任务由各自的办理人员处理，您可查看案件；可认领的任务才显示“认领”。",
                             "Their caseworkers handle these tasks; you may view the cases. "
                             "Claim is offered only where you may claim."),
    "queue_due_at": ("{time} 到期", "due {time}"),
    "led_title": ("我的包案", "Cases I lead"), "led_none": ("您目前没有包案案件。", "You lead no open cases."),
    "led_stage_of": ("当前环节：", "Current step: "), "led_task_of": ("{task}（{group}）", "{task} ({group})"),
    "led_list_sep": ("；", "; "), "led_no_open_task": ("暂无待办环节", "No open step"),
    "led_paused": ("计时已暂停", "clocks paused"),
    "led_alert_escalated": ("已督办至领导", "escalated to the leader"), "led_alert_overdue": ("已逾期", "overdue"),
    "led_alert_warned": ("即将到期", "due soon"), "led_alert_paused": ("已暂停", "paused"),
    "led_overdue_days": ("{n} 天", "by {n} days"),
    "saved_filters": ("已保存的筛选", "Saved filters"), "saved_choose": ("选择已保存的筛选…", "Choose a saved filter…"),
    "saved_none": ("尚无已保存的筛选", "No saved filters yet"), "saved_name": ("筛选名称", "Filter name"),
    "saved_save": ("保存当前筛选", "Save these filters"), "saved_delete": ("删除", "Delete"),
    "saved_saved": ("已保存筛选：{name}", "Filters saved: {name}"), "saved_deleted": ("已删除筛选：{name}", "Deleted: {name}"),
    "saved_exists": ("已有同名的筛选，请换一个名称。", "You already have a filter of that name; choose another."),
    "queue_empty_led": ("您包案的案件目前没有待办任务。", "The cases you lead have no open tasks."),
}
