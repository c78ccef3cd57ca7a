"""The web UI's words for the screening task (诉访分离甄别, issue 16): the suggestion and the rule that
matched, the case facts, and what the chosen route leads to (screening.js). Merged into
``api.web.i18n.STRINGS``; key: (zh, en).
"""

SCREENING_STRINGS = {
    "scr_panel": ("决策表建议", "The decision table's suggestion"),
    "scr_suggested": ("建议分流", "Suggested route"),
    "scr_reason": ("理由", "Reason"),
    "scr_rule": ("命中规则", "Matched rule"),
    "scr_rule_row": ("第 {row} 条规则", "Rule {row}"),
    "scr_rule_first": ("（自上而下第一条命中的规则生效）", "(the first matching rule, top down, decides)"),
    "scr_rule_unknown": ("本案甄别时未记录命中规则。", "The rule that matched was not recorded when this case was screened."),
    "scr_input": ("条件", "Condition"), "scr_case_value": ("本案", "This case"), "scr_rule_wants": ("规则要求", "The rule asks"),
    "scr_any": ("任意", "any"),
    "scr_yes": ("是", "yes"), "scr_no": ("否", "no"),
    "scr_facts": ("案件概况", "Case facts"),
    "scr_parties": ("当事人", "Parties"),
    "scr_no_parties": ("未登记当事人", "No parties recorded"),
    "scr_leads": ("提交后的去向", "What submitting leads to"),
    "scr_leads_for": ("选择「{route}」提交后：", "Submitting with \"{route}\":"),
    "scr_confirm_note": ("与决策表建议一致。", "This is the table's suggestion."),
    "scr_override_note": ("改变了决策表的建议（建议为「{route}」），请填写改变分流的理由。",
                          "This changes the table's suggestion (\"{route}\"); give the reason for the change."),
    "scr_parallel": ("以下 {n} 项同时开始：", "These {n} start at the same time:"),
    "scr_task_of": ("{name}（{group}）", "{name} ({group})"),
    "scr_call_of": ("转入「{process}」流程，首个环节：{tasks}", "Goes to the \"{process}\" process; first step: {tasks}"),
    "scr_end": ("结案：{name}", "Closes the case: {name}"),
    "scr_wait": ("等待：{name}", "Waits: {name}"),
    "scr_why": ("依据流程图：", "Why, from the process model:"),
    "scr_why_gateway": ("「{gateway}」→「{to}」", "\"{gateway}\" → \"{to}\""),
    "scr_values": ("（{values}）", " ({values})"), "scr_sep": ("，", ", "),
    "scr_why_default": ("（其他条件均不成立，走默认分支）", " (no other condition holds: the default flow)"),
    "scr_key_case": ("本案为重点案件（{reasons}），须由街道领导包案：领导包案与所选去向并行办理，不能只走所选去向。",
                     "This is a key case ({reasons}): a street leader must take charge, in parallel with the chosen "
                     "route; the case cannot take the chosen route alone."),
    "scr_key_group": ("群体性纠纷，涉及 {n} 人", "a group dispute of {n} people"),
    "scr_key_red": ("红色风险", "red risk"), "scr_key_difficult": ("疑难复杂", "difficult"),
    "scr_unknown": ("无法预先判断此选择的去向。", "Where this choice leads cannot be told in advance."),
    # the variables the routing conditions read, in words
    "scr_var_key_case": ("重点案件", "Key case"), "scr_var_final_route": ("分流去向", "Route"),
    "scr_var_group_case": ("群体性纠纷", "Group dispute"), "scr_var_route": ("建议分流", "Suggested route"),
    # the case facts
    "scr_f_dispute_type": ("纠纷类型", "Dispute type"), "scr_f_request_kind": ("诉求类别", "Kind of request"),
    "scr_f_channel": ("受理渠道", "Channel"), "scr_f_source": ("案件来源", "Source"),
    "scr_f_community": ("所属社区", "Community"), "scr_f_received_on": ("收到日期", "Received on"),
    "scr_f_amount": ("涉及金额（元）", "Amount (yuan)"), "scr_f_people_count": ("涉及人数", "People involved"),
    "scr_f_risk_level": ("风险等级", "Risk level"), "scr_f_group_case": ("群体性纠纷", "Group dispute"),
    "scr_f_difficult": ("疑难复杂", "Difficult"), "scr_f_key_case": ("重点案件（领导包案）", "Key case (leader in charge)"),
    "scr_f_arbitration_clause": ("约定仲裁条款", "Arbitration clause"), "scr_f_summary": ("纠纷概要", "Summary"),
    "scr_f_requests": ("当事人诉求", "Requests"),
    "scr_f_name": ("姓名/名称", "Name"), "scr_f_role": ("身份", "Role"), "scr_f_id_number": ("证件号码", "ID number"),
    "scr_f_phone": ("联系电话", "Phone"),
}
