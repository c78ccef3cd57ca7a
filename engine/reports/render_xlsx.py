"""The report as an xlsx workbook: a sheet per section, breakdown tables; numbers stay numbers."""

import io
from decimal import Decimal

from engine.core.spreadsheets import xlsx_text_only
from engine.reports.render_md import (
    CONCLUSION_HEAD,
    NO_CLOCK_NOTE,
    clock_rows,
    month_rows,
    scope,
    sections,
    sla_rows,
    title,
)

LABELS = {
    "mediation": ("人民调解", {"handled": "调处纠纷（宗）", "succeeded": "调解成功（宗）", "success_rate": "调解成功率",
                              "difficult": "疑难复杂（件）", "amount_yuan": "涉及金额（元）", "withdrawn": "撤回（宗）",
                              "refused": "不予受理（宗）", "open": "办理中（宗）"}),
    "petitions": ("信访", {"received": "受理信访事项（件）", "handled": "依规办理（件）", "concluded": "办结（件）",
                          "transferred": "转送（件，不计入办结）", "conclusion_rate": "办结率",
                          "on_time": "按期办结（件）", "late": "超期办结（件）",
                          "no_clock_data": "无时限数据（件，台账导入等）", "on_time_rate": "按期办结率",
                          "extended": "经批准延期（件）"}),
    "pre_petition_studio": ("访前法律工作室", {"guided": "引导（人次）", "litigation": "涉法涉诉", "labour_arbitration": "劳动仲裁",
                                          "commercial_arbitration": "商事仲裁", "mediation": "人民调解",
                                          "consultation": "法律咨询", "other": "其他去向",
                                          "guidance_letters": "引导函（份）", "distinct_letter_numbers": "引导函编号（个）",
                                          "consultations_without_letter": "当场解答未出函（人）",
                                          "letters_in_other_bodies": "其他机构案件引导函（份）"}),
    "labour_center": ("和谐劳动关系综合服务中心", {"handled": "处理劳动纠纷（宗）", "resolved": "化解（宗）",
                                               "mediated": "调解成功（宗）", "referred_to_arbitration": "引导劳动仲裁（宗）",
                                               "workers": "涉及劳动者（人）", "wages_recovered_yuan": "追回工资（元）"}),
    "arbitration_station": ("仲裁工作站", {"accepted": "受理案件（宗）", "closed": "结案（宗）",
                                         "amount_yuan": "涉案金额（元）"}),
}


def _number(key: str, value):
    if key.endswith("_yuan"):
        return Decimal(value), "#,##0.00"
    if key.endswith("_rate"):
        return Decimal(value), "0.00%"
    return value, None


def _bold(ws, row: int, col: int = 1) -> None:
    from openpyxl.styles import Font

    ws.cell(row=row, column=col).font = Font(bold=True)


def _table(ws, top: int, left: int, heading: str, head: list[str], rows: list[list]) -> None:
    ws.cell(row=top, column=left, value=heading)
    _bold(ws, top, left)
    for j, h in enumerate(head):
        ws.cell(row=top + 1, column=left + j, value=h)
        _bold(ws, top + 1, left + j)
    for i, r in enumerate(rows):
        for j, v in enumerate(r):
            ws.cell(row=top + 2 + i, column=left + j, value=v)


def _figures(ws, key: str, data: dict) -> int:
    name, labels = LABELS[key]
    ws.append(["指标", "数值"])
    _bold(ws, 1), _bold(ws, 1, 2)
    for k, label in labels.items():
        value, fmt = _number(k, data[k])
        ws.append([label, value])
        if fmt:
            ws.cell(row=ws.max_row, column=2).number_format = fmt
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 18
    return ws.max_row


def _rate(v):
    return Decimal(v) if isinstance(v, str) else v


def _conclusion_values(report: dict) -> list[tuple]:
    """The 办结情况 rows with rates as fractions (formatted as % in the sheet)."""
    return [(body, f["received"], f["concluded"], f["transferred"], f["open"], f["conclusion_rate"], f["on_time"],
             f["late"], f["no_clock_data"], f["on_time_rate"]) for body, f in report["conclusion"].items()]


def to_xlsx(report: dict) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "概览"
    ws.append([title(report), scope(report)])
    _bold(ws, 1)
    for heading, sentence in sections(report):
        ws.append([heading, sentence])
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 110
    for key in LABELS:
        sheet = wb.create_sheet(LABELS[key][0][:31])
        last = _figures(sheet, key, report[key])
        if key == "mediation":
            m = report["mediation"]
            breakdowns = (("按纠纷类型", "纠纷类型", m["by_type"]), ("按月份", "月份", month_rows(report)),
                          ("按社区", "社区", m["by_community"]), ("按来源渠道", "来源渠道", m["by_channel"]))
            for j, (heading, head, rows) in enumerate(breakdowns):
                _table(sheet, last + 2, 1 + j * 3, heading, [head, "宗数"], [[k, v] for k, v in rows.items()])
                sheet.column_dimensions[sheet.cell(row=1, column=1 + j * 3).column_letter].width = 24
    done = wb.create_sheet("办结情况")
    rows = [[body, *[_rate(v) for v in rest]] for body, *rest in _conclusion_values(report)]
    _table(done, 1, 1, "办结情况", list(CONCLUSION_HEAD), rows)
    for i in range(len(rows)):
        for col in (6, 10):
            done.cell(row=3 + i, column=col).number_format = "0.00%"
    done.cell(row=4 + len(rows), column=1, value=NO_CLOCK_NOTE)
    done.column_dimensions["A"].width = 28
    pauses = wb.create_sheet("时限中止与延长")
    _table(pauses, 1, 1, "时限中止与延长", ["类别", "情形", "案件数"], [list(r) for r in clock_rows(report)])
    pauses.column_dimensions["B"].width = 20
    sla = wb.create_sheet("办理时限")
    s = report["sla"]
    _table(sla, 1, 1, "办理时限", ["环节", "时限数", "按期", "超期"],
           [*[list(r) for r in sla_rows(report)], ["合计", s["deadlines"], s["met"], s["breached"]]])
    sla.column_dimensions["A"].width = 30
    # the self-checks are beside the document (report["checks"]), not in it
    xlsx_text_only(wb)  # community names, dispute types: text, never a formula
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
