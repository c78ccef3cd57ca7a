"""The web UI's words for keeping a case with one person and moving work (issue 16): the task page's
退回 / 委托 / 改派 panel (task-actions.js), the 交接 page (handover.js), their timeline events.
Merged into ``api.web.i18n.STRINGS``; key: (zh, en).
"""

CONTINUITY_STRINGS = {
    # timeline events (case.js labels them through v_event_<kind>; details in task-actions.js)
    "v_event_task_continued": ("连续承办", "kept by the same caseworker"),
    "v_event_task_regrouped": ("改派至其他组", "sent to another group"),
    "tm_from": ("原承办人", "from"), "tm_note": ("交接说明", "note"),
    "tm_to_group": ("转入", "to"), "tm_tasks_n": ("{n} 项任务", "{n} task(s)"),
    "tm_case_owner": ("案件承办人变更", "case owner changed"),
    # the task page's panel
    "tm_title": ("办理人变更", "Change who works on this task"),
    "tm_release": ("退回", "Release"), "tm_delegate": ("委托", "Delegate"), "tm_reassign": ("改派", "Reassign"),
    "tm_release_hint": ("任务将退回本组待认领。", "The task goes back to its group's queue."),
    "tm_delegate_hint": ("委托同组同事代为办理，您仍为任务负责人。",
                         "A colleague of your group does it on your behalf; you stay responsible."),
    "tm_reassign_hint": ("改派给指定人员，或退回某一组待认领。", "Give the task to a person, or to a group's queue."),
    "tm_person": ("承办人", "Colleague"), "tm_pick": ("请选择", "Choose"),
    "tm_target": ("改派对象", "Reassign to"), "tm_to_person": ("指定人员", "a person"),
    "tm_to_group_pool": ("某一组（待认领）", "a group's queue"), "tm_group": ("组", "Group"),
    "tm_reason": ("原因", "Reason"), "tm_reason_required": ("请填写原因", "Please give a reason"),
    "tm_person_required": ("请选择承办人", "Please choose a colleague"),
    "tm_group_required": ("请选择组", "Please choose a group"),
    "tm_no_colleague": ("没有符合条件的同事（同组、在职、负责本社区）。",
                        "No eligible colleague (same group, active, serving this community)."),
    "tm_submit": ("确定", "Confirm"), "tm_cancel": ("取消", "Cancel"),
    "tm_released": ("已退回", "Released"), "tm_delegated": ("已委托", "Delegated"),
    "tm_reassigned": ("已改派", "Reassigned"),
    # the 交接 page
    "nav_handover": ("交接", "Handover"), "ho_title": ("工作交接", "Handover"),
    "ho_intro": ("选择离岗或调岗的工作人员，预览其在办任务和案件，分配给一位或几位同事。",
                 "Choose a departing caseworker, preview their open tasks and cases, and give them to one or "
                 "several colleagues."),
    "ho_departing": ("移交人", "Departing caseworker"), "ho_load": ("预览", "Preview"),
    "ho_tasks": ("在办任务", "Open tasks"), "ho_cases": ("在办案件", "Active cases"),
    "ho_none": ("此人没有在办任务或案件。", "This person has no open tasks or active cases."),
    "ho_case": ("案号", "Case number"), "ho_task": ("任务", "Task"), "ho_community": ("社区", "Community"),
    "ho_status": ("状态", "Status"), "ho_due": ("期限", "Due"), "ho_to": ("接收人", "Goes to"),
    "ho_dispute_type": ("纠纷类型", "Dispute type"), "ho_started": ("立案时间", "Opened"),
    "ho_follow_mode": ("按分配方式", "As chosen below"),
    "ho_mode": ("分配方式", "How to distribute"), "ho_mode_one": ("全部移交给一人", "All to one colleague"),
    "ho_mode_rr": ("按案件轮流分给所选同事", "Case by case, in turn, to the colleagues chosen"),
    "ho_to_user": ("接收人", "Colleague"), "ho_rr_people": ("轮流接收的同事", "Colleagues taking turns"),
    "ho_note": ("交接说明", "Note"), "ho_note_required": ("请填写交接说明", "Please write a note"),
    "ho_to_required": ("请选择接收人", "Please choose who takes the work"),
    "ho_submit": ("确认移交", "Hand over"),
    "ho_done": ("已移交 {tasks} 项任务、{cases} 件案件", "Moved {tasks} task(s) and {cases} case(s)"),
    "ho_delegated_by": ("（委托）", "(delegated)"),
}
