"""Cases run by the engine carry the ledger (台账) terms: the annual report and the export count them like imported ones."""

from datetime import date

from sqlalchemy import select

from engine import Database
from engine.ledger import export_year, import_file
from engine.store.tables import cases
from tests.helpers.ledger import drive_all, read_xlsx
from tests.helpers.process_driver import GUIDANCE
from tests.helpers.reports import annual


def test_engine_cases_fill_the_ledger_columns_and_count_in_the_report(db, tmp_path):
    ids = drive_all(db)
    with db.begin() as conn:
        rows = {r.id: r for r in conn.execute(select(cases))}
    mediated, guided, labour = rows[ids["mediated"]], rows[ids["guided"]], rows[ids["labour"]]
    # 受理日期 is the form's accepted_on; 结案日期 the day the leader signed off and the case ended
    assert (mediated.handling_body, mediated.accepted_on, mediated.closed_on) == ("人民调解委员会", date(2025, 3, 3),
                                                                                 date(2025, 3, 25))
    assert (mediated.mediator, mediated.imported, mediated.outcome) == ("陈调解员", False, "mediated")
    assert (guided.handling_body, guided.guidance_to, guided.guidance_letter_no) == (
        "访前法律工作室", "诉讼", GUIDANCE["guidance_letter_no"])
    assert (labour.handling_body, labour.people_count, str(labour.recovered_amount)) == (
        "和谐劳动关系综合服务中心", 6, "42000.00")
    assert rows[ids["petition"]].handling_body == "信访"
    assert rows[ids["unrouted"]].handling_body is None and rows[ids["unrouted"]].closed_on is None
    assert rows[ids["cancelled"]].handling_body is None  # 作废: counts nowhere

    r = annual(db)
    m = r["mediation"]
    assert (m["handled"], m["succeeded"], m["difficult"], m["refused"], m["amount_yuan"]) == (1, 1, 1, 1, "3000.00")
    assert (m["by_type"], m["by_channel"], m["by_community"], m["by_month"]) == (
        {"邻里": 1}, {"综合服务大厅": 1}, {"福田社区": 1}, {"3": 1})
    s = r["pre_petition_studio"]
    assert (s["guided"], s["litigation"], s["guidance_letters"], s["distinct_letter_numbers"]) == (1, 1, 1, 1)
    assert r["labour_center"] == {"handled": 1, "resolved": 1, "mediated": 1, "referred_to_arbitration": 0,
                                  "workers": 6, "wages_recovered_yuan": "42000.00"}
    assert (r["petitions"]["received"], r["petitions"]["handled"]) == (1, 1)
    assert (r["petitions"]["concluded"], r["petitions"]["conclusion_rate"]) == (1, "1.0000")
    assert all(ch["ok"] for ch in r["checks"]), [ch for ch in r["checks"] if not ch["ok"]]
    assert annual(db, 2024)["mediation"]["handled"] == 0


def test_engine_cases_export_in_ledger_terms_and_reimport_to_the_same_figures(db, tmp_path):
    drive_all(db)
    out = tmp_path / "export.xlsx"
    with db.begin() as conn:
        assert export_year(conn, 2025, out) == 5  # not the unrouted nor the cancelled case
    header, *body = read_xlsx(out)
    # read-only xlsx trims empty trailing cells: strict=False
    by_number = {r[0]: dict(zip(header, r, strict=False)) for r in body}
    mediated = next(r for r in by_number.values() if r["处理结果"] == "调解成功")
    assert (mediated["纠纷类型"], mediated["来源渠道"], mediated["案件来源"]) == ("邻里", "综合服务大厅", "当事人申请")
    assert (mediated["申请人"], mediated["被申请人"], mediated["疑难复杂"]) == ("张某", "李某", "是")
    assert sorted(r["处理结果"] for r in by_number.values()) == sorted(["调解成功", "不予受理", "引导分流", "调解成功", "办结"])

    other = Database(f"sqlite:///{tmp_path / 'other.sqlite'}")
    other.create_all()
    with other.begin() as conn:
        result = import_file(conn, out)
    assert result.ok and result.imported == 5, result.problems
    original, copied = annual(db), annual(other)
    for section in ("mediation", "petitions", "pre_petition_studio", "labour_center", "arbitration_station"):
        assert copied[section] == original[section], section
    other.dispose()
