"""Ledger (台账) test helpers: write and read ledger files; engine cases of every kind that count in it."""

import csv
from datetime import date, timedelta
from pathlib import Path

from engine.cases import service
from engine.ledger.codes import COLUMNS
from tests.helpers.process_driver import (
    ACCEPT,
    FOLLOW_THROUGH,
    FOLLOW_UP,
    GUIDANCE,
    LABOUR_ACCEPT,
    LABOUR_AGREEMENT,
    LABOUR_FOLLOW_UP,
    REFUSE,
    SIGN_OFF,
    Wait,
    agreement,
    drive,
    handle,
    intake,
    labour_session,
    opinion,
    register,
    review,
    session,
    take_charge,
)


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


# ----------------------------------------------------------------------------- engine cases in ledger terms
# each step on the day its form says (a case date may not lie in the future): session and agreement on Thursday
# 6 March, the follow-up visit and the leader's follow-through on 20 March, the sign-off (the case ends) on 25 March
MEDIATED = [("intake", intake(difficult=True)), ("lawyer_review", review("people_mediation")),
            ("leader_take_charge", take_charge(meeting=False)),  # 疑难复杂: 领导包案, in parallel with the mediation
            ("mediation_accept", ACCEPT), Wait(days=3), ("mediation_session", session("agreement_reached")),
            ("mediation_agreement", agreement()), Wait(days=14), ("follow_up_visit", FOLLOW_UP),
            ("leader_follow_up", FOLLOW_THROUGH), Wait(days=5), ("leader_sign_off", SIGN_OFF)]
REFUSED = [("intake", intake(community="岗厦社区")), ("lawyer_review", review("people_mediation")),
           ("mediation_accept", REFUSE)]
GUIDED = [("intake", intake(channel="pre_petition_studio", request_kind="legal_procedure")),
          ("lawyer_review", review("litigation")), ("issue_guidance_letter", GUIDANCE)]
LABOUR = [("labour_accept", LABOUR_ACCEPT), ("labour_session", labour_session("agreement_reached")),
          ("labour_agreement", LABOUR_AGREEMENT), ("labour_follow_up", LABOUR_FOLLOW_UP)]
# the 处理意见书 served and no review requested within 30 days: the matter ends
PETITION = [("petition_register", register()), ("petition_handle", handle()), ("petition_opinion", opinion()),
            Wait(days=31)]


def drive_all(db) -> dict[str, int]:
    """One engine case of each kind (mediated, refused, guided, labour, petition, unrouted, cancelled): name → id."""
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
