"""The words of the document templates page (/templates), Simplified Chinese first; merged into ``i18n.STRINGS``."""

TEMPLATE_STRINGS = {
    "nav_templates": ("文书模板", "Templates"),
    "templates_title": ("文书模板", "Document templates"),
    "templates_intro": ("每类文书使用“在用版本”生成；上传的新版本须只使用该类文书可用的字段，否则会被拒绝并列出字段名。",
                        "Each kind of paper is made with the version in use; an uploaded version may name only the "
                        "fields its kind has, else it is refused with the field names."),
    "templates_kind": ("文书", "Document"), "templates_in_use": ("在用版本", "In use"),
    "templates_packaged": ("内置模板", "packaged"), "templates_versions": ("版本", "Versions"),
    "templates_version": ("第{n}版", "v{n}"), "templates_retired": ("已停用", "retired"),
    "templates_all_offices": ("全部办事处", "all offices"),
    "templates_preview": ("预览", "Preview"), "templates_download": ("下载", "Download"),
    "templates_retire": ("停用", "Retire"), "templates_activate": ("启用", "Activate"),
    "templates_upload": ("上传新版本", "Upload a new version"), "templates_upload_button": ("上传", "Upload"),
    "templates_file": ("模板文件（HTML，UTF-8）", "Template file (HTML, UTF-8)"),
    "templates_note": ("说明", "Note"), "templates_office": ("办事处代码（留空为全部）", "Office code (empty: all)"),
    "templates_uploaded": ("已上传：{kind} 第{n}版", "Uploaded: {kind} v{n}"),
    "templates_refused": ("模板未通过检查：", "The template was refused:"),
    "templates_preview_title": ("预览（示例案件）", "Preview (sample case)"),
    "templates_by": ("上传人", "by"),
}
