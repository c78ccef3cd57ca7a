"""A realistic sample case (a neighbours' dispute, two parties) as the full template context of any kind: what
template previews and tests render with. Form values come from the kind's forms (sample values by field name,
else one made from the field's schema)."""

from engine.documents.contract import FILE_LISTS, FILE_ROOTS, LISTS, ROOTS
from engine.documents.forms import all_forms, forms_of
from engine.documents.kinds import get as get_kind

_PARTIES = [
    {"ref": "P1", "role": "applicant", "role_label": "申请人", "party_kind_label": "自然人", "name": "张三",
     "id_type_label": "居民身份证", "id_number": "440304198001021234", "phone": "13800138000",
     "address": "深圳市福田区福田街道福山社区福华路1号3栋502", "legal_representative": ""},
    {"ref": "P2", "role": "respondent", "role_label": "被申请人", "party_kind_label": "自然人", "name": "李四",
     "id_type_label": "居民身份证", "id_number": "440304198505074321", "phone": "13900139000",
     "address": "深圳市福田区福田街道福山社区福华路1号3栋602", "legal_representative": ""},
]

# Sample values by field name (the rest is made from the schema).
_VALUES = {
    "summary": "申请人张三住福华路1号3栋502，被申请人李四住其楼上602。2026年10月起602卫生间渗水，致502天花板、墙面"
               "霉变受损。双方多次协商未果，申请人向福山社区人民调解委员会申请调解。",
    "requests": "请求被申请人修复漏水并赔偿装修损失人民币8000元。",
    "terms": "一、被申请人李四于2026年12月20日前自费修复602卫生间防水层，修复后闭水试验48小时不渗漏；\n"
             "二、被申请人李四赔偿申请人张三装修损失人民币6000元，于2026年12月31日前一次性支付；\n"
             "三、双方就本纠纷再无其他争议。",
    "record": "调解员介绍调解程序及双方权利义务。申请人陈述渗水经过及损失；被申请人承认卫生间防水老化，"
              "同意修复，但认为损失金额过高。经调解员释法说理，双方同意按6000元赔偿。",
    "investigation": "2026年11月20日调解员会同物业到现场查看：502卫生间天花板约2平方米霉变，602卫生间地面"
                     "防水层破损。物业维修记录证实渗水始于2026年10月。",
    "advice": "本纠纷属劳动争议，建议向福田区劳动人事争议仲裁委员会申请仲裁。",
    "target_body": "深圳市福田区劳动人事争议仲裁委员会",
    "limitation_note": "劳动争议申请仲裁的时效期间为一年，从当事人知道或者应当知道其权利被侵害之日起计算。",
    "arbitration_limit_note": "仲裁时效期间为一年（劳动争议调解仲裁法第二十七条）。",
    "opinion_summary": "经调查核实，信访人反映的楼上渗水问题属实，责成物业于十五日内组织维修。",
    "review_opinion_summary": "经复查，原处理意见认定事实清楚，维持原处理意见。",
    "recheck_opinion_summary": "经复核，复查意见适用依据正确，维持复查意见。",
    "refusal_reason": "信访人所诉事项已由人民法院受理，依法应当通过诉讼途径解决。",
    "leader_opinion": "同意结案。调解协议已履行完毕，双方满意。",
    "notes": "双方均表示满意，邻里关系已缓和。",
    "mediator_name": "王调解",
    "amount": 8000, "amount_agreed": 6000, "back_pay_amount": 6000, "amount_outstanding": 6000, "amount_paid": 6000,
    "people_count": 2, "paid_workers": 1,
    "parties": [{"role": p["role"], "party_kind": "person", "name": p["name"], "id_type": "resident_id",
                 "id_number": p["id_number"], "phone": p["phone"], "address": p["address"]} for p in _PARTIES],
}


def _value(name: str, schema: dict):
    if name in _VALUES:
        return _VALUES[name]
    types = schema.get("type")
    t = types[0] if isinstance(types, list) else types
    enum = schema.get("enum")
    if enum:
        return enum[0]
    if t == "boolean":
        return True
    if t in ("number", "integer"):
        return 1
    if t == "array":
        items = schema.get("items") or {}
        return [items["enum"][0], items["enum"][1]] if items.get("enum") else []
    if name.endswith(("_on", "_date")) or schema.get("format") == "date":
        return "2026-12-05"
    if name.endswith("_no"):
        return "(2026)福田人调字第12号"
    return f"{schema.get('title', name)}（示例）"


def _label(schema: dict, value):
    names = schema.get("x-enumNames")
    enum = schema.get("enum")
    if enum and names and value in enum:
        return names[enum.index(value)]
    items = schema.get("items") or {}
    if isinstance(value, list) and items.get("enum") and items.get("x-enumNames"):
        return "、".join(items["x-enumNames"][items["enum"].index(v)] for v in value if v in items["enum"])
    return None


def _form(forms: list[dict]) -> tuple[dict, dict]:
    from engine.documents.fields import form_fields

    values, labels = {}, {}
    for name, schema in form_fields(forms).items():
        values[name] = _value(name, schema)
        label = _label(schema, values[name])
        if label is not None:
            labels[name] = label
    return values, labels


def sample_context(kind: str, forms_of_kind: list[dict] | None = None, data_forms: list[dict] | None = None) -> dict:
    """The context of ``kind`` for the sample case: every name of ``engine.documents.contract`` present; form
    values from ``forms_of_kind`` (default: the packaged forms of the kind's tasks), data from ``data_forms``."""
    k = get_kind(kind)
    form, form_labels = _form(forms_of(kind) if forms_of_kind is None else forms_of_kind)
    data, data_labels = _form(all_forms() if data_forms is None else data_forms)
    data.update(form)
    data_labels.update(form_labels)
    ctx = {
        "doc": {"kind": kind, "title": k.title if k else kind, "number": f"(2026)福田{k.word}字第12号" if k and k.word
                else None, "year": 2026, "serial": 12 if k and k.word else None, "version": 1,
                "issued_on": "2026-12-05", "issued_on_cn": "2026年12月5日", "copy_label": "存档", "draft": False},
        "office": {"code": "福田", "name": "福田街道办事处", "committee": "福田街道福山社区人民调解委员会",
                   "street": "福田街道", "address": "深圳市福田区福华路88号", "phone": "0755-83000000"},
        "case": {"case_number": "FT-2026-0012", "process_key": "people_mediation", "channel": "service_hall",
                 "channel_label": "综治中心窗口", "source_label": "当事人申请", "dispute_type": "neighbourhood",
                 "dispute_type_label": "邻里纠纷", "request_kind_label": "调解", "summary": _VALUES["summary"],
                 "requests": _VALUES["requests"], "amount": 8000, "people_count": 2, "risk_level_label": "黄色",
                 "community": "福山社区", "received_on": "2026-11-18", "received_on_cn": "2026年11月18日",
                 "accepted_on": "2026-11-19", "accepted_on_cn": "2026年11月19日", "closed_on": "2026-12-05",
                 "closed_on_cn": "2026年12月5日", "mediator": "王调解", "outcome": "mediated",
                 "outcome_label": "调解成功", "guidance_to_label": "", "status": "open",
                 "created_on_cn": "2026年11月18日"},
        "form": form, "form_labels": form_labels, "data": data, "data_labels": data_labels,
        "mediator": {"name": "王调解"},
        "parties": [dict(p) for p in _PARTIES],
        "applicants": [dict(_PARTIES[0])], "respondents": [dict(_PARTIES[1])], "others": [],
        "clocks": [
            {"rule": "petition_conclude_60d", "title": "办结信访事项（受理起60日）", "started_on": "2026-11-19",
             "started_on_cn": "2026年11月19日", "due_on": "2027-01-18", "due_on_cn": "2027年1月18日",
             "status": "running"},
            {"rule": "people_mediation_term_30d", "title": "人民调解期限（30日）", "started_on": "2026-11-19",
             "started_on_cn": "2026年11月19日", "due_on": "2026-12-19", "due_on_cn": "2026年12月19日",
             "status": "running"},
            {"rule": "petition_review_decide_30d", "title": "复查并出具复查意见（收到复查请求起30日）",
             "started_on": "2026-11-20", "started_on_cn": "2026年11月20日", "due_on": "2026-12-20",
             "due_on_cn": "2026年12月20日", "status": "done"},
        ],
    }
    if k and kind.startswith("file_"):
        ctx["file"] = {"file_number": "(2026)福田调档字第3号", "year": 2026, "retention": "long",
                       "retention_label": "长期", "retention_years": 30, "filed_by": "赵主任",
                       "filed_on_cn": "2026年12月5日", "pages": 12, "reopen_reason": ""}
        ctx["contents"] = [{"seq": 1, "title": "人民调解申请书", "number": "", "issued_on_cn": "2026年11月18日",
                            "first_page": 1, "last_page": 2, "pages": 2, "note": ""},
                           {"seq": 2, "title": "人民调解协议书", "number": "(2026)福田人调字第12号",
                            "issued_on_cn": "2026年12月5日", "first_page": 3, "last_page": 4, "pages": 2,
                            "note": ""}]
        ctx["history"] = [{"kind": "case_filed", "kind_label": "立卷归档", "by": "赵主任", "on_cn": "2026年12月5日",
                           "reason": ""}]
    assert set(ctx) >= set(ROOTS) | set(LISTS)
    assert not kind.startswith("file_") or set(ctx) >= set(FILE_ROOTS) | set(FILE_LISTS)
    return ctx
