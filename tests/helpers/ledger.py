"""Write ledger files (台账) for tests."""

import csv
from datetime import date, timedelta
from pathlib import Path

from engine.ledger.codes import COLUMNS


def _later(accepted: str, days: int = 9) -> str:
    try:
        return (date.fromisoformat(accepted) + timedelta(days=days)).isoformat()
    except ValueError:
        return "2025-03-10"


def row(case_number: str, accepted: str = "2025-03-01", **kw) -> dict:
    base = {"案号": case_number, "受理日期": accepted, "纠纷类型": "邻里", "处理机构": "人民调解委员会",
            "社区": "福新社区", "来源渠道": "综合服务大厅", "案件来源": "当事人申请", "申请人": "张三",
            "被申请人": "李四", "涉及人数": 2, "涉及金额(元)": "1000.00", "调解员": "王调解",
            "结案日期": _later(accepted), "处理结果": "调解成功", "疑难复杂": "否"}
    base.update(kw)
    return base


def write_csv(path: Path, rows: list[dict], encoding: str = "utf-8", columns=COLUMNS) -> Path:
    with path.open("w", encoding=encoding, newline="") as f:
        w = csv.writer(f)
        w.writerow(columns)
        for r in rows:
            w.writerow(["" if r.get(c) is None else r.get(c) for c in columns])
    return path


def write_xlsx(path: Path, rows: list[dict], columns=COLUMNS) -> Path:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("台账")
    ws.append(list(columns))
    for r in rows:
        ws.append([r.get(c) for c in columns])
    wb.save(path)
    return path


def read_xlsx(path: Path) -> list[tuple]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    try:
        return [tuple(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
    finally:
        wb.close()
