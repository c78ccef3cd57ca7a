"""The report of any period: 办结率 apart from 按期办结率 (deadline rows, approved extensions counted), 转送 not
concluded, imported rows without clocks as "no clock data", pauses and extensions, studio guidance of engine cases."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from engine.core.errors import InvalidData
from engine.reports import annual_report, choose_period, parse_period, range_period, render_report, report
from engine.reports.render_md import to_markdown
from engine.reports.render_pdf import to_html

SHANGHAI = ZoneInfo("Asia/Shanghai")


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


# ----------------------------------------------------------------------------- petitions with clocks (fixture q4)
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
    assert (p["over_level"], p["repeat_visited"], p["repeat_visits"]) == (1, 1, 2)
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
    assert "越级信访1件；重复来访事项1件（重复来访2人次，记入原事项，不重复立案）。" in md
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
