"""The web UI's words for documents (文书, issue 15): the task page's panel and the case page's section
(documents.js), refused actions by error code ("err_<code>"), the case file's timeline events.
Merged into ``api.web.i18n.STRINGS``; key: (zh, en).
"""

DOCUMENT_STRINGS = {
    "doc_panel": ("文书", "Documents"), "doc_none_offered": ("此环节无需制作文书。", "No document is made at this step."),
    "doc_preview": ("预览", "Preview"), "doc_generate": ("生成", "Generate"),
    "doc_regenerate": ("更正后重新生成", "Generate a corrected version"),
    "doc_preview_of": ("预览：{title}（草稿，文号待编）", "Preview: {title} (draft, number not yet assigned)"),
    "doc_preview_close": ("关闭预览", "Close the preview"),
    "doc_preview_frame": ("文书预览", "Document preview"),
    "doc_not_made": ("尚未生成", "Not generated yet"),
    "doc_number": ("文号", "Number"), "doc_version": ("版本", "Version"), "doc_issued_on": ("制作日期", "Issued on"),
    "doc_made_by": ("制作人", "Made by"), "doc_hash": ("校验值", "Hash"), "doc_kind": ("文书", "Document"),
    "doc_state": ("状态", "State"), "doc_current": ("现行版本", "current"), "doc_superseded": ("已更正", "superseded"),
    "doc_no_number": ("（无文号）", "(no number)"), "doc_version_n": ("第 {n} 版", "version {n}"),
    "doc_note": ("更正原因", "Reason for the correction"),
    "doc_note_hint": ("重新生成将保留原版本，文号不变，版本号加一。",
                      "The earlier version is kept; the number stays, the version goes up by one."),
    "doc_note_required": ("请填写更正原因", "Give the reason for the correction"),
    "doc_confirm_regenerate": ("确认重新生成", "Generate the new version"),
    "doc_generated": ("已生成：{title} {number}（第 {version} 版）", "Generated: {title} {number} (version {version})"),
    "doc_download_pdf": ("下载 PDF", "Download PDF"), "doc_download_docx": ("下载 DOCX", "Download DOCX"),
    "doc_copy": ("份别", "Copy"), "doc_downloads": ("下载", "Downloads"),
    "doc_copy_file": ("存档", "File copy"), "doc_copy_masked": ("脱敏", "Masked"), "doc_copy_all": ("全部", "All copies"),
    "doc_upload_signed": ("上传签字件", "Upload the signed copy"),
    "doc_upload_signed_hint": ("签字捺印后的扫描件或照片（PDF、JPEG、PNG）", "A scan or photo of the signed paper (PDF, JPEG, PNG)"),
    "doc_signed": ("签字件", "Signed copies"), "doc_no_signed": ("尚未上传签字件", "No signed copy yet"),
    "doc_signed_uploaded": ("签字件已上传：{name}", "Signed copy uploaded: {name}"),
    "doc_signed_linked": ("已同时加入表单的“{field}”。", "Also added to the form's “{field}”."),
    "doc_earlier": ("历史版本", "Earlier versions"),
    "doc_case_none": ("本案尚未生成文书。", "No document has been made for this case yet."),
    "doc_case_make": ("生成案件文书", "Make a case document"),
    "doc_load_failed": ("文书信息无法加载", "The documents could not be loaded"),
    "doc_note_label": ("备注", "Note"),
    # refused actions, by the API's error code (the page's language, not the server's summary)
    "err_signed_agreement_missing": ("尚未上传签字的调解协议书：请先生成并打印调解协议书，由各方当事人签字（捺印）后，"
                                     "在“文书”栏点击“上传签字件”上传扫描件或照片，再提交办结。",
                                     "The signed mediation agreement is missing: generate and print the agreement, "
                                     "have every party sign it, upload the scan with “Upload the signed copy” in "
                                     "Documents, then complete the task."),
    "err_case_filed": ("案件已归档，不能修改；如需更正，请由司法所先撤回归档。",
                       "The case is filed and cannot be changed; a supervisor must reopen the file first."),
    # the case page's timeline: the case file's events (document_issued/_signed are in _VALUES["event"])
    "v_event_case_filed": ("立卷归档", "case filed"), "v_event_case_reopened": ("撤回归档", "case file reopened"),
    "v_event_attachment_added": ("上传附件", "attachment added"),
    "doc_event_issued_on": ("制作日期 {date}", "issued {date}"),
    "doc_event_retention": ("保管期限 {value}", "kept {value}"),
    "v_retention_permanent": ("永久", "permanent"), "v_retention_long": ("长期", "long-term"),
    "v_retention_short": ("短期", "short-term"),
}
