"""Ledger columns and code tables (versioned data, not business logic)."""

COLUMNS = ("案号", "受理日期", "来源渠道", "案件来源", "纠纷类型", "社区", "申请人", "被申请人", "涉及人数",
           "涉及金额(元)", "处理机构", "调解员", "结案日期", "处理结果", "疑难复杂", "引导去向", "引导函编号",
           "追回金额(元)", "备注")
REQUIRED = ("案号", "受理日期", "纠纷类型", "处理机构")

# 处理机构
MEDIATION = "人民调解委员会"
LABOUR_CENTER = "和谐劳动关系综合服务中心"
STUDIO = "访前法律工作室"
PETITIONS = "信访"
ARBITRATION = "仲裁工作站"
BODIES = (MEDIATION, LABOUR_CENTER, STUDIO, PETITIONS, ARBITRATION,
          "治安调解", "行政调解", "诉讼调解", "法律援助")

# 处理结果
SUCCEEDED = "调解成功"
PARTIAL = "部分达成"
FAILED = "调解不成"
TERMINATED = "终止调解"
REFUSED = "不予受理"
WITHDRAWN = "撤回"
GUIDED = "引导分流"
CONCLUDED = "办结"  # petitions and other bodies: handled and concluded
TRANSFERRED = "转送"  # 信访 转送有权处理机关: closed here, not concluded (not 办结)
OUTCOMES = (SUCCEEDED, PARTIAL, FAILED, TERMINATED, REFUSED, WITHDRAWN, GUIDED, CONCLUDED, TRANSFERRED)

# 引导去向
GUIDANCE_TARGETS = ("人民调解", "诉讼", "劳动仲裁", "商事仲裁", "行政复议", "信访", "法律援助", "咨询")

DISPUTE_TYPES = ("婚姻家庭", "邻里", "房屋宅基地", "合同", "生产经营", "损害赔偿", "山林土地", "征地拆迁",
                 "环境污染", "劳动争议", "消费", "医疗", "道路交通事故", "物业", "其他", "旅游", "知识产权",
                 "互联网")

YES = ("是", "Y", "y", "1", "true", "TRUE", "True")
NO = ("否", "N", "n", "0", "false", "FALSE", "False", "")

# The engine's codes in ledger terms (forms and BPMN scripts use English codes; ledgers and reports Chinese).
DISPUTE_TYPE_CODES = {
    "marriage_family": "婚姻家庭", "neighbourhood": "邻里", "housing_homestead": "房屋宅基地", "contract": "合同",
    "production_business": "生产经营", "damage_compensation": "损害赔偿", "forest_land": "山林土地",
    "land_requisition_demolition": "征地拆迁", "environmental_pollution": "环境污染", "labour": "劳动争议",
    "consumer": "消费", "medical": "医疗", "traffic_accident": "道路交通事故", "property_management": "物业",
    "tourism": "旅游", "intellectual_property": "知识产权", "internet": "互联网", "other": "其他",
}
CHANNEL_CODES = {
    "service_hall": "综合服务大厅", "law_mailbox": "法治信箱", "grid_screening": "网格员排查",
    "pre_petition_studio": "访前法律工作室", "hotline_12345": "12345热线", "online": "网上平台", "transfer_in": "转办",
    "court_delegated": "法院委派",
}
SOURCE_CODES = {
    "party_application": "当事人申请", "proactive": "主动调解", "police_transfer": "公安移交",
    "court_entrusted": "法院委托", "government_assigned": "政府指定",
}
OUTCOME_CODES = {
    "mediated": SUCCEEDED, "mediated_oral": SUCCEEDED, "partial": PARTIAL, "failed": FAILED,
    "terminated": TERMINATED, "refused": REFUSED, "withdrawn": WITHDRAWN,
    "guided_litigation": GUIDED, "guided_labour_arbitration": GUIDED, "guided_commercial_arbitration": GUIDED,
    "guided_admin_review": GUIDED, "guided_legal_aid": GUIDED, "guided_people_mediation": GUIDED,
    "guided_payment_order": GUIDED,  # 劳动争议调解协议未履行: 持协议书申请支付令 (劳动争议调解仲裁法第16条)
    "consultation": CONCLUDED,  # answered by the studio's lawyer on the spot: no guidance letter
    "petition_concluded": CONCLUDED,
    "guided_petition": TRANSFERRED, "transferred": TRANSFERRED,  # 转送有权机关 (petition_handling, either code)
}
GUIDED_TO = {
    "guided_litigation": "诉讼", "guided_labour_arbitration": "劳动仲裁", "guided_commercial_arbitration": "商事仲裁",
    "guided_admin_review": "行政复议", "guided_legal_aid": "法律援助", "guided_people_mediation": "人民调解",
    "guided_payment_order": "支付令",
}
# 处理机构 of an engine case: by its process, or (大调解 intake) by the route the studio's lawyer decided
PROCESS_BODIES = {"people_mediation": MEDIATION, "labour_mediation": LABOUR_CENTER, "petition_handling": PETITIONS}
ROUTE_BODIES = {
    "people_mediation": MEDIATION, "labour_mediation": LABOUR_CENTER, "petition": PETITIONS, "consultation": STUDIO,
    "litigation": STUDIO, "labour_arbitration": STUDIO, "commercial_arbitration": STUDIO, "admin_review": STUDIO,
    "legal_aid": STUDIO, "refer_mediation": STUDIO,
}


def ledger_outcome(value: str | None) -> str | None:
    """A stored outcome (ledger term or engine code) as a ledger term."""
    return OUTCOME_CODES.get(value, value) if value is not None else None


def stored_outcomes(outcomes: tuple[str, ...]) -> tuple[str, ...]:
    """The stored values meaning these ledger outcomes: the terms themselves and the engine codes."""
    return (*outcomes, *(code for code, term in OUTCOME_CODES.items() if term in outcomes))


def label(column: str, value):
    """A dispute type / channel / source code in ledger terms; other values as they are."""
    table = {"dispute_type": DISPUTE_TYPE_CODES, "channel": CHANNEL_CODES, "source": SOURCE_CODES}.get(column)
    return table.get(value, value) if table and isinstance(value, str) else value


# The code tables' packaged wording (version 0 of each entry; edits are stored in ``ledger_codes``): the synonyms
# and abbreviations that offices really write in their ledgers and at the window, each meaning one term.
CODE_KINDS = {"dispute_type": "纠纷类型", "channel": "来源渠道", "source": "案件来源", "outcome": "处理结果"}
SYNONYMS = {
    "dispute_type": {
        "婚姻家庭": ("婚姻纠纷", "家庭纠纷", "婚恋", "婚恋纠纷", "婚姻家庭纠纷", "家事纠纷", "离婚纠纷", "赡养纠纷", "抚养纠纷",
                 "继承纠纷"),
        "邻里": ("邻里纠纷", "相邻关系", "相邻关系纠纷", "邻居纠纷", "邻里矛盾"),
        "房屋宅基地": ("房屋纠纷", "宅基地纠纷", "房屋宅基地纠纷", "房产纠纷", "租房纠纷", "房屋租赁纠纷"),
        "合同": ("合同纠纷", "买卖合同纠纷", "借款纠纷", "民间借贷", "借贷纠纷"),
        "生产经营": ("生产经营纠纷", "经营纠纷"),
        "损害赔偿": ("损害赔偿纠纷", "人身损害", "人身损害赔偿", "财产损害", "侵权纠纷"),
        "山林土地": ("山林土地纠纷", "土地纠纷", "林地纠纷"),
        "征地拆迁": ("征地拆迁纠纷", "拆迁纠纷", "征收补偿", "旧改纠纷", "城市更新纠纷"),
        "环境污染": ("环境污染纠纷", "噪音扰民", "噪声扰民", "油烟扰民", "污染纠纷"),
        "劳动争议": ("劳资纠纷", "劳动纠纷", "欠薪", "讨薪", "拖欠工资", "工资纠纷", "劳动争议纠纷", "工伤纠纷"),
        "消费": ("消费纠纷", "消费者权益", "消费维权"),
        "医疗": ("医疗纠纷", "医患纠纷", "医患矛盾"),
        "道路交通事故": ("交通事故", "交通事故纠纷", "道路交通事故纠纷", "交通纠纷", "车损纠纷"),
        "物业": ("物业纠纷", "物业管理纠纷", "物业服务纠纷", "物管纠纷"),
        "其他": ("其它", "其他纠纷", "其它纠纷"),
        "旅游": ("旅游纠纷",), "知识产权": ("知识产权纠纷", "知产纠纷"), "互联网": ("互联网纠纷", "网络纠纷", "网购纠纷"),
    },
    "channel": {
        "综合服务大厅": ("综合服务大厅窗口", "服务大厅", "大厅", "窗口", "来访", "窗口来访"), "法治信箱": ("信箱", "来信"),
        "网格员排查": ("网格排查", "网格员", "网格上报", "排查"), "访前法律工作室": ("访前工作室", "法律工作室"),
        "12345热线": ("12345", "热线", "市民热线", "政务热线"), "网上平台": ("网上", "网络平台", "线上", "微信"),
        "转办": ("上级转办", "交办", "转交"), "法院委派": ("法院诉前委派", "诉前委派", "委派调解"),
    },
    "source": {
        "当事人申请": ("申请", "当事人申请调解", "依申请", "自行申请"), "主动调解": ("主动", "依职权", "主动排查"),
        "公安移交": ("派出所移交", "公安转来", "警调对接", "110移交"), "法院委托": ("法院委托调解", "诉调对接", "法院移交"),
        "政府指定": ("政府交办", "街道交办", "指定"),
    },
    "outcome": {
        SUCCEEDED: ("成功", "调解成功结案", "达成协议", "已调解", "调成"), PARTIAL: ("部分成功", "部分达成协议"),
        FAILED: ("调解失败", "调解不成功", "未达成协议", "不成功", "调解未成"), TERMINATED: ("终止", "调解终止"),
        REFUSED: ("不受理",), WITHDRAWN: ("撤回申请", "申请人撤回", "撤诉"), GUIDED: ("分流", "引导", "已引导"),
        CONCLUDED: ("已办结", "办结完毕"), TRANSFERRED: ("转送有权机关", "已转送"),
    },
}


def packaged_entries(kind: str) -> list[tuple[str, str | None, tuple[str, ...]]]:
    """(term, engine code or None, synonyms) of a code table as packaged."""
    if kind == "outcome":
        return [(term, None, SYNONYMS["outcome"].get(term, ())) for term in OUTCOMES]
    table = {"dispute_type": DISPUTE_TYPE_CODES, "channel": CHANNEL_CODES, "source": SOURCE_CODES}[kind]
    return [(term, code, SYNONYMS[kind].get(term, ())) for code, term in table.items()]
