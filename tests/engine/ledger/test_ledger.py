"""Ledger (台账) import and export: whole-file validation, GBK, idempotency, round trip, bulk speed."""

import time

import pytest
from sqlalchemy import func, select

from engine.ledger import export_year, import_file
from engine.ledger.codes import COLUMNS
from engine.store.tables import case_parties, cases
from engine.store.tables import events as case_events
from tests.helpers.ledger import read_xlsx, row, write_csv, write_xlsx
from tests.helpers.paths import ROOT


def _count(db, table=cases):
    with db.begin() as c:
        return c.execute(select(func.count()).select_from(table)).scalar_one()


def _import(db, path, **kw):
    with db.begin() as c:
        return import_file(c, path, **kw)


BAD = [
    (row("A-1", accepted="2025-13-01"), "受理日期", "不是有效日期"),
    (row("A-2", **{"涉及金额(元)": "-5"}), "涉及金额(元)", "负数"),
    (row("A-3", 纠纷类型="打架"), "纠纷类型", "未知纠纷类型"),
    (row("A-4", 结案日期="2025-02-01"), "结案日期", "早于受理日期"),
    (row("A-5", 处理机构="居委会"), "处理机构", "未知处理机构"),
    (row("A-6", 处理结果="搞定"), "处理结果", "未知处理结果"),
    (row("A-7", 涉及人数="两"), "涉及人数", "不是有效人数"),
]


def test_every_bad_row_is_reported_and_nothing_imported(db, tmp_path):
    good = [row("OK-1"), row("DUP-1"), row("DUP-1", 社区="园岭社区")]
    path = write_xlsx(tmp_path / "bad.xlsx", good + [r for r, _, _ in BAD])
    result = _import(db, path)
    assert not result.ok and result.imported == 0
    got = {(p.row, p.column) for p in result.problems}
    assert (4, "案号") in got  # the duplicate: the second occurrence, row 4 of the sheet
    assert any("第3行" in p.reason for p in result.problems if p.row == 4)
    for i, (_, column, reason) in enumerate(BAD):
        number = 5 + i
        assert (number, column) in got
        assert any(reason in p.reason for p in result.problems if p.row == number and p.column == column)
    assert _count(db) == 0


def test_unknown_columns_are_reported_missing_required_refuse(db, tmp_path):
    cols = (*COLUMNS, "说明")
    res = _import(db, write_csv(tmp_path / "extra.csv", [row("E-1")], columns=cols))
    assert res.ok and res.imported == 1
    assert [(w.column, w.row) for w in res.warnings] == [("说明", 0)]
    cols = tuple(c for c in COLUMNS if c != "受理日期")
    res = _import(db, write_csv(tmp_path / "missing.csv", [row("E-2")], columns=cols))
    assert not res.ok and [(p.row, p.column) for p in res.problems] == [(0, "受理日期")]
    assert _count(db) == 1


def test_gbk_csv_and_dry_run_and_idempotent(db, tmp_path):
    rows = [row(f"G-{i}", 社区="莲花社区", 申请人="陈一、陈二") for i in range(5)]
    path = write_csv(tmp_path / "gbk.csv", rows, encoding="gbk")
    dry = _import(db, path, dry_run=True)
    assert dry.ok and dry.imported == 5 and _count(db) == 0
    first = _import(db, path)
    assert (first.imported, first.unchanged) == (5, 0)
    second = _import(db, path)
    assert (second.imported, second.unchanged) == (0, 5)
    assert _count(db) == 5 and _count(db, case_events) == 5 and _count(db, case_parties) == 15
    with db.begin() as c:
        r = c.execute(select(cases).where(cases.c.case_number == "G-0")).one()
        kinds = c.execute(select(case_events.c.kind).where(case_events.c.case_id == r.id)).scalars().all()
    assert r.imported and r.community == "莲花社区" and r.status == "completed" and kinds == ["imported"]
    assert r.data["applicants"] == ["陈一", "陈二"]


def test_round_trip_export_import_export(db, tmp_path):
    rows = [row("R-1"), row("R-2", 结案日期=None, 处理结果=None, **{"涉及金额(元)": "1234567.89"}),
            row("R-3", 处理机构="访前法律工作室", 处理结果="引导分流", 引导去向="劳动仲裁", 引导函编号="YD-001",
                疑难复杂="是", 备注="两位律师接待"),
            row("R-4", 处理机构="和谐劳动关系综合服务中心", 纠纷类型="劳动争议", **{"追回金额(元)": "5000.50"}),
            row("R-5", accepted="2024-12-31")]
    assert _import(db, write_xlsx(tmp_path / "in.xlsx", rows)).imported == 5
    with db.begin() as c:
        assert export_year(c, 2025, tmp_path / "out1.xlsx") == 4
    first = read_xlsx(tmp_path / "out1.xlsx")
    assert first[0] == COLUMNS
    with db.begin() as c:
        c.execute(case_parties.delete())
        c.execute(case_events.delete())
        c.execute(cases.delete())
    assert _import(db, tmp_path / "out1.xlsx").imported == 4
    with db.begin() as c:
        export_year(c, 2025, tmp_path / "out2.xlsx")
    assert read_xlsx(tmp_path / "out2.xlsx") == first
    r2 = next(r for r in first if r[0] == "R-2")
    assert r2[COLUMNS.index("结案日期")] is None and float(r2[COLUMNS.index("涉及金额(元)")]) == 1234567.89


@pytest.mark.parametrize("n", [10_000])
def test_ten_thousand_rows_import_in_seconds(db, tmp_path, n):
    rows = [row(f"B-{i:05d}", 社区=f"社区{i % 12}") for i in range(n)]
    path = write_csv(tmp_path / "big.csv", rows)
    t0 = time.monotonic()
    res = _import(db, path)
    elapsed = time.monotonic() - t0
    assert res.imported == n and _count(db) == n
    assert elapsed < 20, elapsed


def test_cli_import_dry_run_refusal_and_export(tmp_path):
    import os
    import subprocess
    import sys

    root = ROOT
    env = {**os.environ, "TIAOJIE_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite'}"}

    def cli(*args):
        return subprocess.run([sys.executable, "-m", "cli.main", *args], cwd=root, env=env,
                              capture_output=True, text=True, timeout=120)

    assert cli("db", "upgrade").returncode == 0
    good = write_xlsx(tmp_path / "good.xlsx", [row("C-1"), row("C-2")])
    bad = write_csv(tmp_path / "bad.csv", [row("C-3", 纠纷类型="打架")], encoding="gbk")
    dry = cli("ledger", "import", str(good), "--dry-run")
    assert dry.returncode == 0 and "would import 2" in dry.stdout
    refused = cli("ledger", "import", str(bad))
    assert refused.returncode == 1 and "第2行 [纠纷类型] 未知纠纷类型: 打架" in refused.stderr
    done = cli("ledger", "import", str(good))
    assert done.returncode == 0 and "imported 2" in done.stdout and "2/2" in done.stderr
    again = cli("ledger", "import", str(good))
    assert "imported 0, already present 2" in again.stdout
    out = tmp_path / "out.xlsx"
    assert cli("ledger", "export", "--year", "2025", str(out)).returncode == 0
    assert [r[0] for r in read_xlsx(out)] == ["案号", "C-1", "C-2"]
    md = cli("report", "annual", "--year", "2025", "--format", "md")
    assert md.returncode == 0 and "共调处民间纠纷2宗，成功2宗" in md.stdout
    js = cli("report", "annual", "--year", "2025")
    import json

    assert json.loads(js.stdout)["mediation"]["amount_yuan"] == "2000.00"
    assert cli("report", "annual", "--year", "2025", "--format", "pdf").returncode == 1
