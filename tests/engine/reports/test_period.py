"""The report of any period: 办结率 apart from 按期办结率 (deadline rows, approved extensions counted), 转送 not
concluded, imported rows without clocks as "no clock data", pauses and extensions, studio guidance of engine cases."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import delete, insert, select

from engine.cases import service
from engine.core.errors import InvalidData
from engine.deadlines import seed_rules
from engine.deadlines.rules import due_time
from engine.reports import annual_report, choose_period, parse_period, range_period, render_report, report
from engine.reports.render_md import to_markdown
from engine.reports.render_pdf import to_html
from engine.store.tables import case_pauses, cases, deadline_extensions, deadlines
from tests.helpers.ledger import row
from tests.helpers.process_driver import (
    CONSULTATION,
    LABOUR_GUIDANCE,
    LABOUR_REFUSE,
    SUPERVISION,
    drive,
    handle,
    intake,
    open_tasks,
    opinion,
    register,
    review,
)
from tests.helpers.reports import load_ledger

SHANGHAI = ZoneInfo("Asia/Shanghai")
T0 = datetime(2026, 10, 12, 10, 0, tzinfo=SHANGHAI)  # Monday: the Q4 petitions are registered (受理)
NOV = datetime(2026, 11, 2, 10, 0, tzinfo=SHANGHAI)  # the transferred petition


def _minute(at: datetime) -> str:
    return at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


# ----------------------------------------------------------------------------- periods and labels
def test_periods_and_their_labels():
    q4 = parse_period("2026Q4")
    assert (q4.start, q4.end, q4.label) == (date(2026, 10, 1), date(2026, 12, 31), "2026年第4季度")
    assert parse_period("2026q1").end == date(2026, 3, 31) and parse_period("2028Q1").label == "2028年第1季度"
    y = parse_period("2026")
    assert (y.start, y.end, y.label, y.year) == (date(2026, 1, 1), date(2026, 12, 31), "2026年", 2026)
    assert q4.year is None
    custom = range_period("2025-11-01", "2026-01-31")
    assert custom.label == "2025年11月1日至2026年1月31日"
    assert range_period(date(2026, 4, 1), date(2026, 6, 30)).label == "2026年第2季度"  # a quarter is named so
    assert range_period("2026-03-01", "2026-03-01").label == "2026年3月1日至3月1日"


def test_year_to_date_is_counted_in_shanghai():
    with time_machine.travel(datetime(2026, 12, 5, 9, 30, tzinfo=SHANGHAI), tick=False):
        ytd = parse_period("ytd")
    assert (ytd.start, ytd.end, ytd.label) == (date(2026, 1, 1), date(2026, 12, 5), "2026年1月1日至12月5日")
    # 2026-12-31 16:30 UTC is already 1 January 2027 in Shanghai
    with time_machine.travel(datetime(2026, 12, 31, 16, 30, tzinfo=UTC), tick=False):
        new_year = choose_period("YTD")
    assert (new_year.start, new_year.end, new_year.label) == (date(2027, 1, 1), date(2027, 1, 1), "2027年1月1日至1月1日")


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"period": "2026Q5"}, "period"), ({"period": "26"}, "period"), ({"period": ""}, "period"),
    ({"period": "1800"}, "period"), ({"period": "ytd2"}, "period"),
    ({"start": "2026-12-01", "end": "2026-11-30"}, "to"), ({"start": "2026-02-30", "end": "2026-03-01"}, "from"),
    ({"start": "2026-11-01"}, "to"), ({"end": "2026-11-01"}, "from"),
    ({"period": "2026", "start": "2026-01-01", "end": "2026-02-01"}, "to"), ({}, "period"),
    ({"year": 3001}, "year"),
])
def test_bad_periods_are_refused_with_a_field_error(kwargs, field):
    with pytest.raises(InvalidData) as err:
        choose_period(**kwargs)
    assert field in err.value.errors, err.value.errors
    assert str(err.value)  # a one-line reason in Chinese


def test_report_refuses_an_end_before_its_start(db):
    with db.begin() as conn, pytest.raises(InvalidData):
        report(conn, date(2026, 12, 31), date(2026, 10, 1))


# ----------------------------------------------------------------------------- petitions with clocks
def _register_petition(db, at: datetime, decision: str = "accepted") -> int:
    on = at.astimezone(SHANGHAI).date().isoformat()  # registered and accepted the day it is recorded
    case, _ = drive(db, "petition_handling", [("petition_register", register(decision, on=on))],
                    {"dispute_type": "other"}, start=at.astimezone(UTC))
    return case.id


def _conclusion_clock(db, case_id: int, at: datetime) -> int:
    """The 60-day 信访 conclusion clock from acceptance as the clocks record it (one case clock, in place of what
    the rules made), so the figures below depend only on the report."""
    due = due_time(at, 60, "natural")
    with db.begin() as conn:
        conn.execute(delete(deadlines).where(deadlines.c.case_id == case_id, deadlines.c.kind != "timer",
                                             deadlines.c.closed_at.is_(None)))
        return conn.execute(insert(deadlines).values(
            case_id=case_id, kind="statutory", rule_key="petition_conclude_60d", name="信访事项办结（60日）",
            clock="natural", starts_at=at, due_at=due, status="pending", created_at=at, updated_at=at, amount=60,
            starts_from="accepted_on", scope="case", process_key="petition_handling")).inserted_primary_key[0]


def _conclude(db, case_id: int, at: datetime) -> None:
    with time_machine.travel(at.astimezone(UTC), tick=False):
        task = next(t for t in open_tasks(db, case_id) if t.element_id == "petition_handle")
        with db.begin() as conn:
            done = service.complete_task(conn, task.id, data=handle(), actor="test")
        # past the BPMN's own 60-day timer the 督办 task opened: the case ends when it is done too
        for task in [t for t in open_tasks(db, case_id) if t.element_id == "petition_overdue_supervise"]:
            with db.begin() as conn:
                done = service.complete_task(conn, task.id, data=SUPERVISION, actor="test")
        # 办结: the 处理意见书 is served; the matter then waits 30 days for a 复查 request
        day = at.astimezone(SHANGHAI).date().isoformat()
        task = next(t for t in open_tasks(db, case_id) if t.element_id == "petition_opinion")
        with db.begin() as conn:
            done = service.complete_task(conn, task.id, data=opinion(served=day, received=day), actor="test")
    assert done.status == "active" and done.outcome == "petition_concluded"


def _extend(db, deadline_id: int, days: int, at: datetime) -> datetime:
    with db.begin() as conn:
        old = conn.execute(select(deadlines.c.due_at).where(deadlines.c.id == deadline_id)).scalar_one()
        new = due_time(old, days, "natural")
        conn.execute(deadlines.update().where(deadlines.c.id == deadline_id).values(due_at=new, updated_at=at))
        conn.execute(insert(deadline_extensions).values(
            deadline_id=deadline_id, amount=days, clock="natural", old_due_at=old, new_due_at=new,
            reason="涉及多个部门，情况复杂", approved_by="leader1", at=at, kind="approval", requested_by="clerk1",
            party_told_on=at.date()))
    return new


def _pause(db, case_id: int, kind: str, at: datetime, days: int) -> None:
    with db.begin() as conn:
        conn.execute(insert(case_pauses).values(case_id=case_id, kind=kind, reason="测试", started_at=at,
                                                started_by="clerk1", approved_by="leader1",
                                                ended_at=at + timedelta(days=days), ended_by="clerk1"))


@pytest.fixture
def q4(db, tmp_path):
    """Q4 2026: petitions concluded before the due, after it, after it within an approved extension; one
    transferred (11月), one still open; an imported concluded petition; an engine consultation and an engine
    labour case guided to arbitration with a letter."""
    with db.begin() as conn:  # the rules: the 60-day clock is met when the 处理意见书 is recorded (closes_on)
        seed_rules(conn)
    ids = {}
    for name in ("on_time", "late", "extended", "open"):
        ids[name] = _register_petition(db, T0)
    ids["transferred"] = _register_petition(db, NOV, "transferred")
    clocks = {name: _conclusion_clock(db, ids[name], T0) for name in ("on_time", "late", "extended", "open")}
    with db.begin() as conn:
        due = conn.execute(select(deadlines.c.due_at).where(deadlines.c.id == clocks["late"])).scalar_one()
    assert _minute(due) == "2026-12-11 23:59"  # 12 October + 60 days (first day not counted), a Friday
    extended_due = _extend(db, clocks["extended"], 30, datetime(2026, 12, 1, 9, 0, tzinfo=SHANGHAI))
    assert _minute(extended_due) == "2027-01-11 23:59"  # 10 January 2027 is a Sunday: the next working day
    _pause(db, ids["late"], "appraisal", datetime(2026, 10, 20, 9, 0, tzinfo=SHANGHAI), 5)
    _pause(db, ids["extended"], "hearing", datetime(2026, 11, 3, 9, 0, tzinfo=SHANGHAI), 2)
    _pause(db, ids["extended"], "party", datetime(2026, 11, 10, 9, 0, tzinfo=SHANGHAI), 3)
    _conclude(db, ids["on_time"], datetime(2026, 11, 20, 15, 0, tzinfo=SHANGHAI))
    _conclude(db, ids["late"], datetime(2026, 12, 14, 9, 0, tzinfo=SHANGHAI))  # 3 days after its due
    _conclude(db, ids["extended"], datetime(2026, 12, 20, 9, 0, tzinfo=SHANGHAI))  # late but for the extension
    with db.begin() as conn:
        met = dict(conn.execute(select(deadlines.c.id, deadlines.c.status).where(
            deadlines.c.id.in_(list(clocks.values())))).all())
    assert [met[clocks[n]] for n in ("on_time", "late", "extended", "open")] == ["met", "met", "met", "pending"]
    t0 = T0.astimezone(SHANGHAI).date().isoformat()  # the engine cases come in the day they are recorded
    consult, _ = drive(db, "dispute_case", [("intake", intake(request_kind="consultation", received_on=t0)),
                                            ("lawyer_review", review("consultation")),
                                            ("legal_consultation", CONSULTATION)], start=T0.astimezone(UTC))
    labour, _ = drive(db, "dispute_case", [("intake", intake(dispute_type="labour", people_count=3, received_on=t0)),
                                           ("lawyer_review", review("labour_mediation")),
                                           ("labour_accept", dict(LABOUR_REFUSE, applied_on=t0)),
                                           ("labour_guidance_letter", LABOUR_GUIDANCE)], start=T0.astimezone(UTC))
    ids.update(consultation=consult.id, labour=labour.id)
    load_ledger(db, tmp_path, [row("XF-Q4", "2026-10-15", 处理机构="信访", 处理结果="办结", 结案日期="2026-11-30"),
                               row("XF-Q3", "2026-09-30", 处理机构="信访", 处理结果="办结", 结案日期="2026-10-30")])
    with db.begin() as conn:
        accepted = dict(conn.execute(select(cases.c.id, cases.c.accepted_on)).all())
    assert accepted[ids["on_time"]] == date(2026, 10, 12) and accepted[ids["transferred"]] == date(2026, 11, 2)
    return ids


def _report(db, start: date, end: date) -> dict:
    with db.begin() as conn:
        return report(conn, start, end)


def test_quarter_counts_conclusion_and_on_time_apart(db, q4):
    r = _report(db, date(2026, 10, 1), date(2026, 12, 31))
    assert r["period"] == {"from": "2026-10-01", "to": "2026-12-31", "label": "2026年第4季度"} and r["year"] is None
    p = r["petitions"]
    # received 6: four from October, the transferred one, the imported one (XF-Q3 is a Q3 case)
    assert (p["received"], p["concluded"], p["transferred"], p["conclusion_rate"]) == (6, 4, 1, "0.6667")
    assert (p["on_time"], p["late"], p["no_clock_data"], p["on_time_rate"]) == (2, 1, 1, "0.6667")
    assert p["extended"] == 1 and p["handled"] == 5  # handled: closed, the transferred one included
    done = r["conclusion"]["信访"]
    assert (done["open"], done["received"]) == (1, 6)
    assert r["clocks"] == {"paused_cases": 2, "paused_by_kind": {"appraisal": 1, "hearing": 1, "party": 1, "other": 0},
                           "extended_cases": 1, "extended_by_kind": {"approval": 1, "consent": 0}}
    s = r["pre_petition_studio"]
    assert (s["guided"], s["consultation"], s["labour_arbitration"], s["guidance_letters"]) == (2, 1, 1, 1)
    assert (s["consultations_without_letter"], s["letters_in_other_bodies"], s["distinct_letter_numbers"]) == (1, 1, 1)
    assert r["labour_center"]["referred_to_arbitration"] == 1  # still counted where it was handled
    assert all(ch["ok"] for ch in r["checks"]), [ch for ch in r["checks"] if not ch["ok"]]
    total = r["conclusion"]["合计"]
    assert (total["received"], total["concluded"], total["transferred"]) == (8, 6, 1)  # + consultation, labour
    assert total["on_time"] + total["late"] + total["no_clock_data"] == 6

    md = to_markdown(r)
    assert md.startswith("# 2026年第4季度矛盾纠纷多元化解工作报告")
    assert "受理信访事项6件，依规办理5件，其中办结4件，办结率66.67%；转送有权处理机关1件，不计入办结。" in md
    assert "按期办结率66.67%（有办理时限的3件中按期2件、超期1件，经批准延期办理1件" in md
    assert "另有1件无时限数据（台账导入或未设办理时限），不计入按期办结率。" in md
    assert "| 信访 | 6 | 4 | 1 | 1 | 66.67% | 2 | 1 | 1 | 66.67% |" in md
    assert "办理时限中止的案件2件（鉴定1件、听证1件、等待当事人1件、其他0件）" in md
    assert "| 延长 | 批准延长 | 1 |" in md
    assert "法律咨询中当场解答、未出具引导函1人；含其他机构系统办理案件中出具的引导函1份" in md
    html = to_html(r)
    assert "2026年第4季度矛盾纠纷多元化解工作报告" in html and "<th>按期办结率</th>" in html
    assert "受理日期在2026年第4季度（2026-10-01至2026-12-31）内" in html


def test_xlsx_has_the_conclusion_and_clock_sheets(db, q4):
    import io

    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(render_report(_report(db, date(2026, 10, 1), date(2026, 12, 31)), "xlsx")))
    rows = {r[0]: r for r in wb["办结情况"].iter_rows(min_row=3, values_only=True) if r[0]}
    assert rows["信访"][:5] == ("信访", 6, 4, 1, 1) and rows["信访"][6:9] == (2, 1, 1)
    assert rows["信访"][5] == pytest.approx(0.6667) and wb["办结情况"].cell(row=3, column=6).number_format == "0.00%"
    figures = {r[0]: r[1] for r in wb["信访"].iter_rows(values_only=True) if r[0]}
    assert figures["按期办结率"] == pytest.approx(0.6667) and figures["转送（件，不计入办结）"] == 1
    clocks = list(wb["时限中止与延长"].iter_rows(min_row=3, values_only=True))
    assert ("中止", "鉴定", 1) in clocks and ("延长", "合计（案件数）", 1) in clocks


def test_custom_period_and_year_to_date(db, q4):
    nov = _report(db, date(2026, 11, 1), date(2026, 11, 30))
    assert nov["period"]["label"] == "2026年11月1日至11月30日"
    p = nov["petitions"]
    assert (p["received"], p["concluded"], p["transferred"], p["conclusion_rate"], p["on_time_rate"]) == (
        1, 0, 1, "0.0000", "0.0000")
    assert all(ch["ok"] for ch in nov["checks"])
    with time_machine.travel(datetime(2026, 12, 5, 9, 0, tzinfo=SHANGHAI), tick=False):
        ytd = choose_period("ytd")
    r = _report(db, ytd.start, ytd.end)
    assert r["period"]["label"] == "2026年1月1日至12月5日"
    assert (r["petitions"]["received"], r["petitions"]["no_clock_data"]) == (7, 2)  # XF-Q3 now counts
    year = annual_report_of(db, 2026)
    assert year["year"] == 2026 and year["period"]["label"] == "2026年"
    assert year["petitions"] == r["petitions"]
    assert to_markdown(year).startswith("# 2026年度矛盾纠纷多元化解工作报告")


def annual_report_of(db, year: int) -> dict:
    with db.begin() as conn:
        return annual_report(conn, year)


def test_checks_still_catch_parts_that_do_not_add_up(db, q4):
    from engine.reports.annual import checks

    r = _report(db, date(2026, 10, 1), date(2026, 12, 31))
    r["conclusion"]["信访"]["on_time"] += 1
    r["conclusion"]["合计"]["transferred"] -= 1
    r["clocks"]["paused_by_kind"]["other"] = 5
    failed = {ch["name"] for ch in checks(r) if not ch["ok"]}
    assert {"conclusion.信访.on_time_late_no_clock_sum_to_concluded", "conclusion.信访.rates",
            "conclusion.bodies_sum_to_total.on_time", "conclusion.bodies_sum_to_total.transferred",
            "conclusion.合计.parts_sum_to_received", "clocks.paused_kinds_cover_cases"} <= failed
