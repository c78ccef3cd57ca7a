"""Messages in the user's language: Simplified Chinese by default, English on request."""

import re

from starlette.requests import Request

MESSAGES = {
    "not_found": ("未找到所请求的对象", "not found"),
    "data_key_missing": ("数据密钥缺失，无法读取加密的个人信息，请联系管理员", "data key missing: encrypted personal data cannot be read"),
    "conflict": ("操作冲突：对象已被他人处理或状态已变化", "conflict: someone else changed it first"),
    "forbidden": ("您的角色或所属社区无权执行此操作", "your role or communities do not allow this"),
    "invalid_data": ("提交的数据不符合要求", "the submitted data is invalid"),
    "definition_rejected": ("流程定义校验未通过", "the process definition was refused"),
    "decision_failed": ("决策表在该输入上求值出错，请检查单元格表达式", "the decision table failed on this input; check its cells"),
    "ledger_rejected": ("台账文件校验未通过，未导入任何案件", "the ledger file was refused; nothing was imported"),
    "migration_refused": ("该案件不能安全迁移到目标版本", "the case cannot be migrated safely"),
    "step_failed": ("流程执行出错，已记录事件，案件保持原状", "a step of the process failed; an incident was recorded"),
    "auth_failed": ("未登录或登录已失效", "not logged in or the session has expired"),
    "validation": ("请求数据不合法", "the request is invalid"),
    "malformed_json": ("请求体不是合法的 JSON", "the request body is not valid JSON"),
    "body_too_large": ("请求体过大", "the request body is too large"),
    "method_not_allowed": ("不支持该请求方法", "method not allowed"),
    "bad_request": ("请求格式错误", "the request is malformed"),
    "error": ("服务器内部错误", "internal server error"),
    "csrf": ("缺少或错误的 CSRF 令牌", "missing or wrong CSRF token"),
    "unavailable": ("数据库暂时无法连接，请稍后重试", "the database is unreachable for now; please try again shortly"),
    "read_only": ("数据库暂时只读，更改未保存，请稍后重试",
                  "the database is read-only for now; nothing was saved, please try again shortly"),
    "login_throttled": ("登录失败次数过多，请稍后再试", "too many failed logins: wait a little and try again"),
    "login_locked": ("登录失败次数过多，已临时锁定 15 分钟；管理员可解锁",
                     "too many failed logins: locked for 15 minutes; an admin can unlock it"),
    # documents (engine.documents, engine.cases)
    "case_filed": ("案件已立卷归档，不能修改；如需更正请先说明理由重新开卷",
                   "the case is filed and read-only; reopen it with a reason to correct it"),
    "signed_agreement_missing": ("书面调解协议书尚未上传签署件，不能办结", "the signed agreement has not been uploaded"),
    "template_error": ("文书模板无法生成该文书", "the document template cannot be rendered"),
    # the case file (卷宗)
    "case_already_filed": ("案件已立卷归档", "the case is already filed"),
    "case_not_closed": ("案件尚未办结，不能立卷归档", "the case is not closed and cannot be filed"),
    "case_not_filed": ("案件未立卷归档", "the case is not filed"),
    # SLA rules (engine.deadlines.rule_admin)
    "sla_rule_exists": ("已有同一编码的时限规则", "an SLA rule with this key exists"),
    # users (engine.people.admin)
    "password_change_required": ("请先修改临时密码，再进行其他操作", "change your temporary password first"),
    "account_inactive": ("该账号已停用，请联系管理员", "this account is deactivated; ask an admin"),
    "last_admin": ("这是最后一位在用的管理员，不能停用或改为其他角色；请先将另一位用户设为管理员",
                   "this is the last active admin and cannot be deactivated or given another role; "
                   "make another user an admin first"),
}

FIELD_MESSAGES = {
    "code_term_exists": ("该词条已存在", "the table already has this term"),  # ledger code tables
    "missing": ("必填项", "required"),
    "one_target": ("请指定改派给某人或某一组（二选一）", "give a username or a group, not both"),
    "extra_forbidden": ("不允许的字段", "unknown field"),
    "string_type": ("应为文本", "must be a string"),
    "int_type": ("应为整数", "must be an integer"),
    "int_parsing": ("应为整数", "must be an integer"),
    "float_type": ("应为数字", "must be a number"),
    "float_parsing": ("应为数字", "must be a number"),
    "bool_type": ("应为是/否", "must be true or false"),
    "bool_parsing": ("应为是/否", "must be true or false"),
    "dict_type": ("应为对象", "must be an object"),
    "list_type": ("应为列表", "must be a list"),
    "string_too_long": ("过长", "too long"),
    "string_too_short": ("过短", "too short"),
    "greater_than_equal": ("数值过小", "too small"),
    "less_than_equal": ("数值过大", "too large"),
    "date_from_datetime_parsing": ("日期格式错误", "invalid date"),
    "date_parsing": ("日期格式错误", "invalid date"),
    "datetime_parsing": ("时间格式错误", "invalid date-time"),
    "literal_error": ("取值不在允许范围内", "not one of the allowed values"),
    "enum": ("取值不在允许范围内", "not one of the allowed values"),
    "json_invalid": ("不是合法的 JSON", "invalid JSON"),
    # case dates and clocks (engine.cases.dates, engine.cases.pause)
    "date_in_future": ("不能晚于今天", "must not be in the future"),
    "date_too_old": ("早于五年前，请核对", "more than 5 years ago"),
    "unknown_date": ("不是可更改的案件日期", "not a case date"),
    "not_approver": ("批准人须为主管、领导或管理员", "must be a supervisor, leader or admin"),
    "extension_kind": ("该期限不能以此方式延长", "this limit cannot be extended this way"),
    "extension_clock": ("延长期限的计算方式不符", "wrong clock for this extension"),
    "extension_too_long": ("超出法定可延长期限", "longer than the law allows"),
    "consent_missing": ("理由须写明当事人同意", "must name the parties' consent"),
    "username_taken": ("该用户名已被使用", "this username is taken"),
    "username_invalid": ("用户名只能由字母、数字、点、下划线或连字符组成", "letters, digits, '.', '_' or '-' only"),
    "current_password_wrong": ("当前密码不正确", "the current password is wrong"),
    "password_unchanged": ("新密码不能与当前密码相同", "the new password must differ from the current one"),
    "password_policy": ("密码须为 8–200 个字符，不能与用户名相同，不能是同一字符重复，也不能是常见密码",
                        "a password has 8 to 200 characters, is not the user name, not one character repeated "
                        "and not a common password"),
    # form checks (JSON Schema keywords and engine.processes.forms kinds)
    "required": ("必填项", "required"),
    "minimum": ("数值过小", "too small"),
    "exclusiveMinimum": ("数值过小", "too small"),
    "maximum": ("数值过大", "too large"),
    "exclusiveMaximum": ("数值过大", "too large"),
    "type": ("类型不正确", "wrong type"),
    "format": ("格式不正确", "wrong format"),
    "pattern": ("格式不正确", "wrong format"),
    "maxLength": ("过长", "too long"),
    "minLength": ("过短", "too short"),
    "minItems": ("条目过少", "too few items"),
    "maxItems": ("条目过多", "too many items"),
    "const": ("取值不正确", "wrong value"),
    "additionalProperties": ("不允许的字段", "unknown field"),
    "not_finite": ("应为有限数值", "must be a finite number"),
    "too_large": ("数值过大", "too large"),
    "too_deep": ("嵌套层级过深", "nested too deeply"),
    "nul": ("含有非法字符", "contains a forbidden character"),
    "string_pattern_mismatch": ("格式不正确", "wrong format"),
    "value_error": ("取值不正确", "invalid value"),
    "too_many_filters": ("已保存的筛选条件过多（每页最多 50 个），请先删除不用的", "at most 50 saved filters per page"),
    "unknown_attachment": ("附件不存在或不属于本案", "no such attachment in this case"),
    "signed_agreement_missing": ("请先制作调解协议书，经当事人签署后上传签署件",
                                 "make the agreement, have it signed and upload the signed scan first"),
    # identifiers (engine.core.identifiers, forms with "format": "cn-id-number", "cn-phone" …)
    "id_format": ("证件号码格式不正确", "not a valid ID number"),
    "id_old_15": ("15 位身份证号码已停止使用，请填写 18 位号码", "15-digit ID numbers are no longer valid; enter the 18 digits"),
    "id_area": ("身份证号码的地区码不正确", "the area code of the ID number is not valid"),
    "id_birth_date": ("身份证号码中的出生日期不正确", "the birth date in the ID number is not valid"),
    "id_check_digit": ("身份证号码校验码不正确，请核对", "the check digit of the ID number does not match; check it"),
    "foreign_id_format": ("外国人永久居留身份证号码格式不正确", "not a foreign permanent resident ID number"),
    "passport_format": ("护照号码格式不正确", "not a passport number"),
    "hk_macao_permit_format": ("港澳居民来往内地通行证号码格式不正确（H 或 M 加 8 位数字）",
                               "not a Hong Kong/Macao permit number (H or M and 8 digits)"),
    "taiwan_permit_format": ("台湾居民来往大陆通行证号码格式不正确（8 位数字）", "not a Taiwan permit number (8 digits)"),
    "uscc_format": ("统一社会信用代码格式不正确（18 位）", "not a unified social credit code (18 characters)"),
    "uscc_check": ("统一社会信用代码校验位不正确，请核对", "the check character of the credit code does not match; check it"),
    "mobile_format": ("手机号码格式不正确（11 位，以 13–19 开头）", "not a mobile number (11 digits starting 13–19)"),
    "landline_format": ("固定电话格式不正确（区号-号码，如 0755-83000000）",
                        "not a landline number (area code and number, e.g. 0755-83000000)"),
    "phone_format": ("电话号码格式不正确：请填写手机号或带区号的固定电话",
                     "not a phone number: enter a mobile or a landline with its area code"),
    # reasons the engine gives without a kind (found by their English words)
    "unknown_user": ("没有此用户", "unknown user"),
    "inactive_user": ("该用户已停用", "inactive user"),
    "unknown_task": ("不是离岗人员名下的待办任务", "unknown task"),
    "unknown_case": ("不是离岗人员名下的案件", "unknown case"),
    "out_of_range": ("超出范围", "out of range"),
    "invalid": ("不正确", "invalid"),
    "unknown": ("不是可选的取值", "unknown"),
    "is_assignee": ("已是该任务的办理人", "is the assignee"),
    "is_departing": ("不能交接给离岗人员本人", "is the departing user"),
    "not_an_object": ("应为对象", "not an object"),
    "not_a_format": ("不支持的格式", "not a format"),
    "after_term": ("须晚于原期限届满日", "must be after the term ends"),
    "file_type": ("文件类型不允许：请上传 PDF、JPEG、PNG 或 DOCX 文件", "file type not allowed: PDF, JPEG, PNG or DOCX"),
    # documents (engine.documents)
    "document_kind_unknown": ("没有这种文书", "not a document kind"),
    "document_not_offered": ("该任务不制作这种文书", "not made at this task"),
    "document_not_reached": ("案件尚未进行到制作这种文书的环节", "the case has not reached the task that makes it"),
    "document_task_other_case": ("不是本案的任务", "not a task of this case"),
    "document_task_cancelled": ("该任务已取消", "the task was cancelled"),
    "document_copy_unknown": ("该文书没有这一份", "not a copy of this document"),
    "signed_file_type": ("签署件须为 PDF、JPEG 或 PNG 文件", "a signed copy must be a PDF, JPEG or PNG file"),
    # a rule's limit written the office's way (engine.core.durations)
    "duration_unknown": ("无法识别的期限，请写成如“20 个工作日”“30 日”“48 小时”或 P30D",
                         "unrecognised duration; write e.g. 20 个工作日, 30 日, 48 小时 or P30D"),
    "duration_zero": ("期限必须大于零", "a duration must be more than zero"),
    "duration_too_long": ("期限过长", "duration too long"),
    "duration_rule_clock": ("规则期限只能按日、工作日或小时计算", "a rule's limit counts in days, working days or hours"),
    "duration_clock_mismatch": ("期限与计时方式不一致", "the duration does not match the clock"),
    "duration_no_clock": ("缺少计时方式", "the clock is missing"),
    # SLA rules (engine.deadlines.rule_admin)
    "alerts_unknown": ("提醒对象只能是承办人、司法所或街道领导", "alerted: the assignee, supervisors or leaders"),
    "clock_unknown": ("计时方式只能是日、工作日或小时", "the clock counts days, working days or hours"),
    "starts_from_unknown": ("不是可作为起算日的案件日期", "not a case date a limit can count from"),
    "rule_field_fixed": ("该项不能修改，请新建规则", "this cannot be changed; add a new rule"),
    "scope_unknown": ("计时范围只能是单个任务或整个案件", "the scope is a task or the whole case"),
}


def language(request: Request) -> str:
    """'en' when the client prefers English (Accept-Language), else 'zh'."""
    header = request.headers.get("accept-language", "")
    for part in header.split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("en"):
            return "en"
        if tag.startswith("zh"):
            return "zh"
    return "zh"


def message(code: str, lang: str) -> str:
    zh, en = MESSAGES.get(code, MESSAGES["error"])
    return en if lang == "en" else zh


# an engine reason without a kind that is word for word a known English message ("too large", "required")
_BY_ENGLISH = {en.lower(): (zh, en) for zh, en in reversed(list(FIELD_MESSAGES.values()))}


# reasons with a value in them
_PATTERNS = [
    (re.compile(r"does not serve (.+)"), "不负责{0}"),
    (re.compile(r"must have role '(\w+)'"), "须为该任务所需角色的用户"),
    (re.compile(r'"(.+)" is already a wording of "(.+)"'), "“{0}”已是“{1}”的写法"),  # ledger code tables
]


def _has_han(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)


def field_message(kind: str, fallback: str, lang: str) -> str:
    """A field's message by its kind; a kind without a translation keeps its English reason in English and
    says "取值不正确" in Chinese (never English in a Chinese page)."""
    pair = FIELD_MESSAGES.get(kind) or _BY_ENGLISH.get(str(fallback).strip().lower())
    if pair is None and lang != "en":
        for pattern, zh in _PATTERNS:
            if m := pattern.fullmatch(str(fallback).strip()):
                return zh.format(*m.groups())
    if pair is None:
        if lang == "en" or _has_han(str(fallback)):
            return fallback
        return FIELD_MESSAGES["value_error"][0]
    return pair[1] if lang == "en" else pair[0]
