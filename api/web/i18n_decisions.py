"""The web UI's words for the 决策表 pages (issue 17): the list of decision tables, the dmn-js editor with its try
panel, publish, versions and the cell diff (decisions.js). Merged into ``api.web.i18n.STRINGS``; key: (zh, en).
The dmn-js editor's own labels are translated in ``frontend/src/dmn-zh.js``.
"""

DECISION_STRINGS = {
    "dec_title": ("决策表", "Decision tables"),
    "dec_intro": ("流程中的业务规则任务按决策表给出建议（如诉访分离甄别）。在此修改规则，先用样例试算，校验通过后发布为使用它的流程的新版本；"
                  "新案件按新规则甄别，进行中的案件不受影响。",
                  "Business rule tasks of the processes decide by these tables (e.g. the screening). Edit the rules "
                  "here, try them on a sample, and publish them as a new version of the processes that use them; new "
                  "cases follow the new rules, running cases keep theirs."),
    "dec_none": ("已发布的流程中没有决策表", "No deployed process uses a decision table"),
    "dec_name": ("决策表", "Decision table"), "dec_hit_policy": ("命中策略", "Hit policy"),
    "dec_size": ("规模", "Size"), "dec_size_of": ("{inputs} 个条件 · {outputs} 个结果 · {rules} 条规则",
                                             "{inputs} conditions · {outputs} results · {rules} rules"),
    "dec_used_by": ("使用它的流程", "Used by"), "dec_process_version": ("{name}（第 {version} 版）", "{name} (version {version})"),
    "dec_edit": ("编辑", "Edit"), "dec_file": ("文件", "File"),
    "dec_hp_first": ("首个命中（自上而下第一条命中的规则生效）", "First (the first matching rule, top down)"),
    "dec_hp_unique": ("唯一（只能命中一条规则）", "Unique (only one rule may match)"),
    "dec_hp_collect": ("收集（所有命中规则的结果）", "Collect (the results of every matching rule)"),
    "dec_back": ("返回决策表列表", "Back to the decision tables"),
    "dec_editor": ("编辑决策表", "Edit the decision table"),
    "dec_cells_hint": ("单元格为表达式：文本须加双引号，“-”表示任意，“?”代表该列的输入值。例如：",
                       "Cells are expressions: text in double quotes, \"-\" for any, \"?\" for the column's input. "
                       "For example:"),
    "dec_validate": ("校验", "Validate"), "dec_publish": ("发布", "Publish"), "dec_download": ("导出 .dmn", "Export .dmn"),
    "dec_valid": ("校验通过：引擎可运行此决策表，使用它的流程编译无误", "Valid: the engine runs this table and the processes using it compile"),
    "dec_invalid": ("校验未通过，请先修正以下问题", "Not valid: fix these problems first"),
    "dec_publish_refused": ("校验未通过，未发布", "Not valid: not published"),
    "dec_published": ("已发布：{list}。新案件按此决策表甄别。", "Published: {list}. New cases are screened by this table."),
    "dec_unchanged": ("内容未变，未产生新版本", "Nothing changed: no new version"),
    "dec_new_version": ("{name} 第 {version} 版", "{name} version {version}"),
    "dec_line": ("第 {line} 行", "line {line}"),
    "dec_try": ("试算", "Try it"),
    "dec_try_intro": ("用样例输入试算编辑中的决策表（尚未发布的修改也参与计算），查看命中的规则和结果。",
                      "Evaluate the table as edited (unpublished changes included) on a sample input: the rule that "
                      "matches and its results."),
    "dec_try_run": ("试算", "Evaluate"), "dec_empty": ("（未填）", "(empty)"),
    "dec_yes": ("是", "yes"), "dec_no": ("否", "no"),
    "dec_matched": ("命中规则", "Matched rule"), "dec_rule_row": ("第 {row} 条规则", "Rule {row}"),
    "dec_no_match": ("没有规则命中，决策表不给出结果", "No rule matches: the table gives no result"),
    "dec_outputs": ("结果", "Results"), "dec_output": ("结果项", "Result"), "dec_value": ("取值", "Value"),
    "dec_try_failed": ("试算出错", "The evaluation failed"),
    "dec_versions": ("版本", "Versions"),
    "dec_versions_intro": ("「{process}」中决策表有改动的版本", "The versions of \"{process}\" in which the table changed"),
    "dec_version": ("第 {version} 版", "Version {version}"),
    "dec_version_by": ("{by} · {at} · {rules} 条规则", "{by} · {at} · {rules} rules"),
    "dec_diff_prev": ("与上一版比较", "Compare with the previous version"),
    "dec_diff_title": ("第 {from} 版 → 第 {to} 版的改动", "Changes from version {from} to {to}"),
    "dec_diff_none": ("决策表没有改动", "The table did not change"),
    "dec_diff_rule": ("规则", "Rule"), "dec_diff_column": ("列", "Column"),
    "dec_diff_old": ("原值", "Old"), "dec_diff_new": ("新值", "New"), "dec_any": ("任意（-）", "any (-)"),
    "dec_diff_annotation": ("注释", "Annotation"),
    "dec_rules_added": ("新增规则", "Rules added"), "dec_rules_removed": ("删除规则", "Rules removed"),
    "dec_columns_added": ("新增列", "Columns added"), "dec_columns_removed": ("删除列", "Columns removed"),
    "dec_hp_changed": ("命中策略改为", "Hit policy changed to"),
    "dec_moved": ("（原第 {row} 条）", "(was rule {row})"),
    "dec_unsaved": ("有未发布的修改", "Unpublished changes"),
}
