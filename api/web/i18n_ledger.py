"""The words of the ledger page (/ledger: 台账 import, export and code tables), Simplified Chinese first; merged
into ``i18n.STRINGS``."""

LEDGER_STRINGS = {
    "ledger_title": ("台账", "Case ledger"),
    "ledger_intro": ("上传台账文件（.xlsx 或 .csv）先检查：每个问题行列出行号、列和原因，每个未知写法只列一次并给出最接近的词条；"
                     "检查通过后再导入。同一案号已存在的行不会重复导入。",
                     "Upload a ledger file (.xlsx or .csv) and check it first: each bad row with its row, column and "
                     "reason, each unknown wording once with the nearest known terms; import once it is clean. Rows "
                     "whose case number exists are not imported twice."),
    "ledger_import_h": ("导入台账", "Import a ledger"),
    "ledger_file": ("台账文件（.xlsx / .csv，UTF-8 或 GB18030 编码）", "Ledger file (.xlsx / .csv, UTF-8 or GBK)"),
    "ledger_check": ("检查（试导入）", "Check (dry run)"), "ledger_import": ("导入", "Import"),
    "ledger_checked_ok": ("检查通过：共 {rows} 行，将导入 {imported} 行，已存在 {unchanged} 行。",
                          "Clean: {rows} rows, {imported} to import, {unchanged} already present."),
    "ledger_imported": ("已导入 {imported} 行（已存在 {unchanged} 行，未重复导入）。",
                        "Imported {imported} rows ({unchanged} already present, left as they were)."),
    "ledger_refused": ("检查未通过：{n} 处问题，未导入任何案件。请修改文件，或把未知写法加为某词条的同义词后重新检查。",
                       "Refused: {n} problems; nothing was imported. Fix the file, or add an unknown wording as a "
                       "synonym of a term and check again."),
    "ledger_problems_h": ("问题行", "Bad rows"), "ledger_row": ("行", "Row"), "ledger_column": ("列", "Column"),
    "ledger_reason": ("原因", "Reason"), "ledger_header_row": ("表头", "header"),
    "ledger_terms_h": ("未知写法", "Unknown wordings"),
    "ledger_terms_intro": ("以下写法不在代码表中，每个只列一次。来源渠道、案件来源的未知写法按原样导入，其他列的未知写法会使所在行不能导入。",
                           "These wordings are in no code table, each listed once. Unknown channels and sources are "
                           "imported as written; in other columns they refuse their rows."),
    "ledger_term": ("写法", "Wording"), "ledger_count": ("行数", "Rows"), "ledger_rows_at": ("所在行", "At rows"),
    "ledger_nearest": ("最接近的词条", "Nearest terms"), "ledger_none_near": ("（无相近词条）", "(none near)"),
    "ledger_as_synonym": ("加为同义词", "Add as synonym"), "ledger_synonym_of": ("作为以下词条的同义词", "as a synonym of"),
    "ledger_synonym_added": ("已把“{w}”加为“{term}”的同义词", "Added “{w}” as a synonym of “{term}”"),
    "ledger_not_blocking": ("按原样导入", "imported as written"), "ledger_blocking": ("不能导入", "refuses its rows"),
    "ledger_fixed_list": ("固定词表，请修改文件", "fixed list: fix the file"),
    "ledger_warnings_h": ("提示", "Notes"),
    "ledger_export_h": ("导出台账", "Export the ledger"),
    "ledger_export_intro": ("按受理日期导出任意期间的台账，列与导入相同，可再次导入。",
                            "Export the cases accepted in any period, with the import columns (it imports again)."),
    "ledger_by_year": ("按年度", "A year"), "ledger_by_quarter": ("按季度", "A quarter"),
    "ledger_by_range": ("自定义期间", "From / to"), "ledger_year": ("年度", "Year"),
    "ledger_quarter": ("季度", "Quarter"), "ledger_quarter_n": ("第{n}季度", "Q{n}"),
    "ledger_from": ("开始日期", "From"), "ledger_to": ("结束日期", "To"), "ledger_format": ("格式", "Format"),
    "ledger_download": ("下载", "Download"), "ledger_downloaded": ("已下载 {name}", "Downloaded {name}"),
    "ledger_codes_h": ("代码表", "Code tables"),
    "ledger_codes_intro": ("各办事处的习惯写法、简称记为词条的同义词；导入台账和受理登记都按代码表识别。每次保存为新版本，保留历史。",
                           "The wordings and abbreviations offices write are synonyms of a term; ledger import and "
                           "case intake read them. Each save is a new version; the history is kept."),
    "ledger_kind_dispute_type": ("纠纷类型", "Dispute types"), "ledger_kind_channel": ("来源渠道", "Channels"),
    "ledger_kind_source": ("案件来源", "Sources"), "ledger_kind_outcome": ("处理结果", "Outcomes"),
    "ledger_entry": ("词条", "Term"), "ledger_synonyms": ("同义词、简称", "Synonyms, abbreviations"),
    "ledger_synonyms_hint": ("用顿号、逗号或换行分隔", "separate with 、 , or new lines"),
    "ledger_version": ("版本", "Version"), "ledger_changed": ("修改人 · 时间", "Changed by · at"),
    "ledger_packaged": ("内置", "packaged"), "ledger_version_n": ("第{n}版", "v{n}"),
    "ledger_retired": ("已停用", "retired"), "ledger_retire": ("停用", "Retired"),
    "ledger_note": ("修改说明", "Note"), "ledger_edit": ("编辑", "Edit"), "ledger_history": ("历史", "History"),
    "ledger_saved": ("已保存“{term}” {version}", "Saved “{term}” {version}"),
    "ledger_new_entry": ("新增词条", "New term"), "ledger_add": ("新增", "Add"),
    "ledger_read_only": ("代码表由司法所或管理员维护。", "Supervisors and administrators maintain the code tables."),
}
