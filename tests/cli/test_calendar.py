"""`tiaojie calendar …`: seed, import a year's notice, set a day, show a year, status; bad files refused."""

import json


def test_seed_show_import_set(cli, tmp_path):
    assert cli("calendar", "seed").stdout.strip() == "771 calendar days added"
    assert cli("calendar", "seed").stdout.strip() == "0 calendar days added"
    shown = cli("calendar", "show", "2026").stdout.splitlines()
    assert shown[0] == "2026 年：已确认；来源：国务院办公厅通知（随软件发布）"
    assert "2026-01-04\t周日\twork\t班\t元旦调休上班" in shown
    assert "2026-01-01\t周四\trest\t休\t元旦" in shown
    assert cli("calendar", "show", "2027").stdout.strip() == "2027 年：未确认（按周一至周五暂算）"

    f = tmp_path / "2027.json"
    f.write_text(json.dumps({"year": 2027, "source": "国办发明电〔2026〕样例", "days": [
        {"date": "2027-01-01", "kind": "rest", "name": "元旦"},
        {"date": "2027-01-02", "kind": "rest", "name": "元旦"}]}, ensure_ascii=False), encoding="utf-8")
    out = cli("calendar", "import", str(f), "--user", "admin").stdout.strip()
    assert out == "2027 年节假日安排已录入：休息日 2 天，调休上班 0 天；重算期限 0 条"
    shown = cli("calendar", "show", "2027").stdout.splitlines()
    assert shown == ["2027 年：已确认；来源：国办发明电〔2026〕样例", "2027-01-01\t周五\trest\t休\t元旦",
                     "2027-01-02\t周六\trest\t休\t元旦"]

    assert cli("calendar", "set", "2028-01-01", "rest", "--name", "元旦").stdout.strip() == (
        "2028-01-01 设为 rest；重算期限 0 条（2028 年仍未确认：请导入全年安排）")
    assert "2028-01-01\t周六\trest\t休\t元旦" in cli("calendar", "show", "2028").stdout
    status = cli("calendar", "status").stdout
    assert "已确认年份：2004–2027" in status


def test_bad_file_is_refused_naming_the_line(cli, tmp_path):
    f = tmp_path / "2027.csv"
    f.write_text("date,kind,name\n2027-01-01,rest,元旦\n2027-01-32,rest,元旦\n", encoding="utf-8")
    proc = cli("calendar", "import", str(f), ok=False)
    assert proc.returncode == 1
    assert proc.stderr.strip() == "refused: 第 3 行：日期 '2027-01-32' 不是 YYYY-MM-DD"
    assert "未确认" in cli("calendar", "show", "2027").stdout
    proc = cli("calendar", "set", "2027-01-05", "work", ok=False)
    assert proc.returncode == 1 and "调休上班日应为周六或周日" in proc.stderr
    proc = cli("calendar", "import", str(tmp_path / "missing.csv"), ok=False)
    assert proc.returncode == 1 and "no such file" in proc.stderr
