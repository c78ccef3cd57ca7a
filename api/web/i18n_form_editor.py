"""The words of the form editor (form-editor.js, in the process editor) and the forms list (/forms), Simplified
Chinese first; merged into ``i18n.STRINGS``. ``fed_problem_<kind>`` word the kinds of POST /processes/forms/validate."""

_TYPES = {
    "text": ("单行文本", "Text"), "textarea": ("多行文本", "Long text"), "number": ("数字", "Number"),
    "integer": ("整数", "Whole number"), "date": ("日期", "Date"), "select": ("下拉选择", "Drop-down choice"),
    "radio": ("单选按钮", "Radio buttons"), "boolean": ("是/否", "Yes/no"),
}
_FORMATS = {
    "none": ("无（任意文本）", "None (any text)"), "cn_mobile": ("手机号码", "Mobile number"),
    "cn_phone": ("电话号码（手机或座机）", "Phone (mobile or landline)"), "cn_landline": ("座机号码", "Landline"),
    "cn_resident_id": ("居民身份证号码", "Resident ID number"), "cn_uscc": ("统一社会信用代码", "Unified social credit code"),
    "cn_id_number": ("证件号码（按证件类型）", "ID number (by its type)"),
}
_PROBLEMS = {
    "not_object": ("表单必须是一个对象", "a form is an object"),
    "schema": ("不是有效的表单定义（JSON Schema）", "not a valid form definition (JSON Schema)"),
    "form_title_missing": ("缺少中文标题", "has no Chinese title"),
    "properties_not_object": ("字段列表格式不正确", "the field list is malformed"),
    "too_many_fields": ("字段过多（最多 200 个）", "too many fields (at most 200)"),
    "key_invalid": ("字段名只能使用字母、数字和下划线，且不能以数字开头",
                    "a field name uses letters, digits and _ and does not start with a digit"),
    "field_not_object": ("字段定义格式不正确", "the field is malformed"),
    "title_missing": ("缺少中文标签", "has no Chinese label"),
    "format_unknown": ("格式不受支持", "has a format that is not supported"),
    "choices_empty": ("至少需要一个选项", "needs at least one choice"),
    "choices_too_many": ("选项过多（最多 500 个）", "has too many choices (at most 500)"),
    "choice_value_empty": ("有选项未填写取值", "has a choice without a value"),
    "choices_duplicate": ("有两个选项的取值相同", "has two choices with the same value"),
    "choice_label_missing": ("每个选项都需要中文名称", "every choice needs a Chinese label"),
    "choice_label_en_count": ("英文名称与选项数目不符", "its English labels do not match its choices"),
    "required_unknown": ("必填项中列有表单没有的字段", "is listed as required but the form has no such field"),
    "order_unknown": ("字段顺序中列有表单没有的字段", "is listed in the order but the form has no such field"),
    "other": ("定义有误", "is not valid"),
}

FORM_EDITOR_STRINGS = {
    "fed_edit": ("编辑表单", "Edit form"), "fed_new": ("新建表单", "New form"),
    "fed_title": ("编辑表单", "Edit form"), "fed_apply": ("应用到流程", "Apply to the process"),
    "fed_cancel": ("取消", "Cancel"),
    "fed_publish_hint": ("应用后，表单随流程“发布”成为新版本；新立的案件按新表单填写，在办案件不受影响。",
                         "Once applied, the form is published with the process (发布) as a new version; new cases "
                         "use it, running cases keep theirs."),
    "fed_applied": ("表单已应用，发布流程后生效", "Form applied; it takes effect when the process is published"),
    "fed_not_applied": ("表单有问题，未应用", "The form has problems and was not applied"),
    "fed_form_props": ("表单", "Form"),
    "fed_form_title_zh": ("表单标题（中文）", "Form title (Chinese)"),
    "fed_form_title_en": ("表单标题（英文）", "Form title (English)"),
    "fed_form_desc_zh": ("表单说明（中文）", "Form description (Chinese)"),
    "fed_form_desc_en": ("表单说明（英文）", "Form description (English)"),
    "fed_fields": ("字段", "Fields"), "fed_no_fields": ("还没有字段", "No fields yet"),
    "fed_add_field": ("添加字段", "Add a field"), "fed_untitled": ("（未命名字段）", "(unnamed field)"),
    "fed_key": ("字段名（数据中的名称）", "Field name (its name in the data)"),
    "fed_key_hint": ("字母、数字和下划线；保存后不宜再改，流程条件和文书按此名称读取",
                     "Letters, digits and _; the process's conditions and papers read the field by it"),
    "fed_key_taken": ("已有同名字段", "Another field has this name"),
    "fed_label_zh": ("标签（中文）", "Label (Chinese)"), "fed_label_en": ("标签（英文）", "Label (English)"),
    "fed_help_zh": ("填写说明（中文）", "Help text (Chinese)"), "fed_help_en": ("填写说明（英文）", "Help text (English)"),
    "fed_type": ("类型", "Type"), "fed_format": ("格式校验", "Format check"),
    "fed_type_other": ("复合字段（列表、附件等），类型保持不变", "Compound field (list, attachments …): its type is kept"),
    "fed_required": ("必填", "Required"),
    "fed_move_up": ("上移", "Move up"), "fed_move_down": ("下移", "Move down"),
    "fed_remove_field": ("删除字段", "Remove field"),
    "fed_moved": ("“{name}”移到第 {n} 位", "“{name}” moved to position {n}"),
    "fed_choices": ("选项", "Choices"), "fed_add_choice": ("添加选项", "Add a choice"),
    "fed_remove_choice": ("删除选项", "Remove choice"),
    "fed_choice_value": ("取值", "Value"), "fed_choice_zh": ("中文名称", "Chinese label"),
    "fed_choice_en": ("英文名称", "English label"),
    "fed_preview": ("预览（任务页面的样子）", "Preview (as the task page shows it)"),
    "fed_preview_hint": ("可在预览中试填，“试填校验”按办理任务时的规则检查。",
                         "Fill in the preview and press “Try” to check it as completing the task would."),
    "fed_preview_failed": ("预览无法显示此表单", "The preview cannot show this form"),
    "fed_try": ("试填校验", "Try"), "fed_try_ok": ("试填数据通过校验", "The sample data passes"),
    "fed_valid": ("表单校验通过", "The form passes the checks"),
    "fed_invalid": ("表单有以下问题：", "The form has these problems:"),
    "fed_the_form": ("表单", "The form"), "fed_field_named": ("字段“{name}”", "Field “{name}”"),
    "fed_field_number": ("第 {n} 个字段", "field {n}"),
    # the forms list (/forms)
    "fed_list_title": ("表单", "Forms"),
    "fed_list_intro": ("各流程现行版本中每个办理环节使用的表单。编辑表单在流程编辑器中进行，随流程发布。",
                       "The form of each step in the live version of every process. Forms are edited in the process "
                       "editor and published with the process."),
    "fed_list_step": ("环节", "Step"), "fed_list_form": ("表单", "Form"), "fed_list_fields": ("字段数", "Fields"),
    "fed_list_required": ("必填", "Required"), "fed_list_none": ("未设置表单", "No form"),
    "fed_list_empty": ("没有已部署的流程", "No process is deployed"),
    "fed_list_no_tasks": ("此流程没有办理环节", "This process has no user tasks"),
    "fed_list_version": ("现行版本 v{n}", "live version v{n}"),
}
FORM_EDITOR_STRINGS.update({f"fed_type_{k}": v for k, v in _TYPES.items()})
FORM_EDITOR_STRINGS.update({f"fed_format_{k}": v for k, v in _FORMATS.items()})
FORM_EDITOR_STRINGS.update({f"fed_problem_{k}": v for k, v in _PROBLEMS.items()})
