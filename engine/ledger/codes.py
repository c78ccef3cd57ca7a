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
OUTCOMES = (SUCCEEDED, PARTIAL, FAILED, TERMINATED, REFUSED, WITHDRAWN, GUIDED, CONCLUDED)

# 引导去向
GUIDANCE_TARGETS = ("人民调解", "诉讼", "劳动仲裁", "商事仲裁", "行政复议", "信访", "法律援助", "咨询")

DISPUTE_TYPES = ("婚姻家庭", "邻里", "房屋宅基地", "合同", "生产经营", "损害赔偿", "山林土地", "征地拆迁",
                 "环境污染", "劳动争议", "消费", "医疗", "道路交通事故", "物业", "其他", "旅游", "知识产权",
                 "互联网")

YES = ("是", "Y", "y", "1", "true", "TRUE", "True")
NO = ("否", "N", "n", "0", "false", "FALSE", "False", "")
