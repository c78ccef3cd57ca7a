"""Cases run by the engine carry the ledger (台账) terms: the annual report and the export count them like imported ones."""

from datetime import date

from sqlalchemy import select

from engine import Database
from engine.cases import service
from engine.ledger import export_year, import_file
from engine.reports.annual import annual_report
from engine.store.tables import cases
from tests.helpers.ledger import read_xlsx
from tests.helpers.process_driver import (
    ACCEPT,
    FOLLOW_UP,
    GUIDANCE,
    LABOUR_ACCEPT,
    LABOUR_AGREEMENT,
    LABOUR_FOLLOW_UP,
    REFUSE,
    SIGN_OFF,
    agreement,
    drive,
    handle,
    intake,
    labour_session,
    register,
    review,
    session,
    take_charge,
)

MEDIATED = [("intake", intake(difficult=True)), ("lawyer_review", review("people_mediation")),
            ("leader_take_charge", take_charge(meeting=False)),  # 疑难复杂: 领导包案
            ("mediation_accept", ACCEPT), ("mediation_session", session("agreement_reached")),
            ("mediation_agreement", agreement()), ("follow_up_visit", FOLLOW_UP), ("leader_sign_off", SIGN_OFF)]
REFUSED = [("intake", intake(community="岗厦社区")), ("lawyer_review", review("people_mediation")),
           ("mediation_accept", REFUSE)]
GUIDED = [("intake", intake(channel="pre_petition_studio", request_kind="legal_procedure")),
          ("lawyer_review", review("litigation")), ("issue_guidance_letter", GUIDANCE)]
LABOUR = [("labour_accept", LABOUR_ACCEPT), ("labour_session", labour_session("agreement_reached")),
          ("labour_agreement", LABOUR_AGREEMENT), ("labour_follow_up", LABOUR_FOLLOW_UP)]
PETITION = [("petition_register", register()), ("petition_handle", handle())]


def _drive_all(db) -> dict[str, int]:
    ids = {}
    for name, key, steps, data in (("mediated", "dispute_case", MEDIATED, None),
                                   ("refused", "dispute_case", REFUSED, None),
                                   ("guided", "dispute_case", GUIDED, None),
                                   ("labour", "labour_mediation", LABOUR, {"dispute_type": "labour", "amount": 42000}),
                                   ("petition", "petition_handling", PETITION, {"dispute_type": "other"}),
                                   ("unrouted", "dispute_case", [("intake", intake())], None),
                                   ("cancelled", "dispute_case", [("intake", intake())], None)):
        case, _ = drive(db, key, steps, data)
        ids[name] = case.id
    with db.begin() as conn:
        service.cancel_case(conn, ids["cancelled"], "super1", "重复登记")
    return ids


def _report(db, year=2025):
    with db.begin() as conn:
        return annual_report(conn, year)


def test_engine_cases_fill_the_ledger_columns_and_count_in_the_report(db, tmp_path):
    ids = _drive_all(db)
    with db.begin() as conn:
        rows = {r.id: r for r in conn.execute(select(cases))}
    mediated, guided, labour = rows[ids["mediated"]], rows[ids["guided"]], rows[ids["labour"]]
    assert (mediated.handling_body, mediated.accepted_on, mediated.closed_on) == ("人民调解委员会", date(2025, 3, 3),
                                                                                 date(2025, 3, 3))
    assert (mediated.mediator, mediated.imported, mediated.outcome) == ("陈调解员", False, "mediated")
    assert (guided.handling_body, guided.guidance_to, guided.guidance_letter_no) == (
        "访前法律工作室", "诉讼", GUIDANCE["guidance_letter_no"])
    assert (labour.handling_body, labour.people_count, str(labour.recovered_amount)) == (
        "和谐劳动关系综合服务中心", 6, "42000.00")
    assert rows[ids["petition"]].handling_body == "信访"
    assert rows[ids["unrouted"]].handling_body is None and rows[ids["unrouted"]].closed_on is None
    assert rows[ids["cancelled"]].handling_body is None  # 作废: counts nowhere

    r = _report(db)
    m = r["mediation"]
    assert (m["handled"], m["succeeded"], m["difficult"], m["refused"], m["amount_yuan"]) == (1, 1, 1, 1, "3000.00")
    assert (m["by_type"], m["by_channel"], m["by_community"], m["by_month"]) == (
        {"邻里": 1}, {"综合服务大厅": 1}, {"福田社区": 1}, {"3": 1})
    s = r["pre_petition_studio"]
    assert (s["guided"], s["litigation"], s["guidance_letters"], s["distinct_letter_numbers"]) == (1, 1, 1, 1)
    assert r["labour_center"] == {"handled": 1, "resolved": 1, "mediated": 1, "referred_to_arbitration": 0,
                                  "workers": 6, "wages_recovered_yuan": "42000.00"}
    assert (r["petitions"]["received"], r["petitions"]["handled"]) == (1, 1)
    assert r["petitions"]["handled_on_time_rate"] == "1.0000"
    assert all(ch["ok"] for ch in r["checks"]), [ch for ch in r["checks"] if not ch["ok"]]
    assert _report(db, 2024)["mediation"]["handled"] == 0


def test_engine_cases_export_in_ledger_terms_and_reimport_to_the_same_figures(db, tmp_path):
    _drive_all(db)
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
    original, copied = _report(db), _report(other)
    for section in ("mediation", "petitions", "pre_petition_studio", "labour_center", "arbitration_station"):
        assert copied[section] == original[section], section
    other.dispose()
