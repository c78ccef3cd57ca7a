"""The annual report reproduces the seed's figures from a ledger, counts each case where it belongs, checks itself."""

import copy

from engine.reports.annual import checks
from engine.reports.render_md import to_markdown
from tests.helpers.ledger import row
from tests.helpers.reports import COMMUNITIES, TYPES, annual, load_ledger, seed_rows


def test_the_seed_figures_are_reproduced(db, tmp_path):
    load_ledger(db, tmp_path, seed_rows())
    r = annual(db)
    m = r["mediation"]
    assert (m["handled"], m["succeeded"], m["difficult"]) == (825, 811, 9)
    assert (m["success_rate"], m["amount_yuan"]) == ("0.9830", "5688200.00")
    assert sum(m["by_type"].values()) == 825 and set(m["by_type"]) == set(TYPES)
    assert m["by_community"] == {c: 165 for c in COMMUNITIES}
    # imported rows carry no deadlines: concluded, but neither on time nor late (no clock data)
    assert r["petitions"] == {"received": 166, "handled": 166, "concluded": 166, "transferred": 0,
                              "conclusion_rate": "1.0000", "on_time": 0, "late": 0, "no_clock_data": 166,
                              "on_time_rate": "0.0000", "extended": 0, "over_level": 0, "repeat_visited": 0,
                              "repeat_visits": 0}
    assert r["pre_petition_studio"] == {"guided": 61, "litigation": 1, "labour_arbitration": 4,
                                        "commercial_arbitration": 0, "mediation": 54, "consultation": 2,
                                        "other": 0, "guidance_letters": 61, "distinct_letter_numbers": 61,
                                        "consultations_without_letter": 0, "letters_in_other_bodies": 0}
    assert r["labour_center"] == {"handled": 87, "resolved": 87, "mediated": 66, "referred_to_arbitration": 21,
                                  "workers": 142, "wages_recovered_yuan": "109930.00"}
    assert r["arbitration_station"] == {"accepted": 36, "closed": 18, "amount_yuan": "1900000000.00"}
    assert all(ch["ok"] for ch in r["checks"]), [ch for ch in r["checks"] if not ch["ok"]]
    md = to_markdown(r)
    assert "共调处民间纠纷825宗，成功811宗，疑难复杂案件9件，调解成功率达98.30%，涉及金额568.82万元" in md
    assert "| 福新社区 | 165 |" in md and "### 按月份" in md and "涉案金额19.00亿元" in md
    assert "发出引导函61份" in md and "追回工资109930.00元" in md


def test_cases_count_where_they_belong(db, tmp_path):
    rows = [
        row("IN-1", "2025-01-05"),
        row("IN-2", "2025-12-31", 结案日期="2026-01-20"),  # accepted in 2025, closed in 2026: a 2025 case
        row("OUT-1", "2024-12-31", 结案日期="2025-01-03", **{"涉及金额(元)": "99999.00"}),  # a 2024 case
        row("OUT-2", "2026-01-01", 结案日期="2026-01-02"),
        row("WD-1", "2025-04-01", 处理结果="撤回", **{"涉及金额(元)": "50000.00"}),
        row("RF-1", "2025-04-02", 处理结果="不予受理"),
        row("OPEN-1", "2025-11-30", 结案日期=None, 处理结果=None),
        row("FAIL-1", "2025-06-01", 处理结果="调解不成", 疑难复杂="是"),
        row("XF-1", "2025-02-01", 处理机构="信访", 处理结果="办结", 结案日期="2025-05-15"),  # 103 days: late
        row("XF-2", "2025-02-01", 处理机构="信访", 结案日期=None, 处理结果=None),  # received, not yet handled
    ]
    load_ledger(db, tmp_path, rows)
    m = annual(db)["mediation"]
    assert (m["handled"], m["succeeded"], m["difficult"]) == (3, 2, 1)
    assert (m["withdrawn"], m["refused"], m["open"]) == (1, 1, 1)
    assert m["amount_yuan"] == "3000.00" and m["success_rate"] == "0.6667"
    assert m["by_month"] == {"1": 1, "6": 1, "12": 1}
    p = annual(db)["petitions"]
    assert (p["received"], p["handled"], p["concluded"], p["conclusion_rate"]) == (2, 1, 1, "0.5000")
    assert (p["on_time"], p["late"], p["no_clock_data"]) == (0, 0, 1)  # 103 days, but no clock rows: not judged
    assert annual(db, 2024)["mediation"]["amount_yuan"] == "99999.00"
    assert annual(db, 2026)["mediation"]["handled"] == 1


def test_checks_fail_when_a_part_does_not_sum(db, tmp_path):
    rows = [row("FQ-1", 处理机构="访前法律工作室", 处理结果="引导分流", 引导去向="诉讼", 引导函编号="YD-1"),
            row("FQ-2", 处理机构="访前法律工作室", 处理结果="引导分流", 引导去向="咨询"),  # no letter issued
            row("FQ-3", 处理机构="访前法律工作室", 处理结果="引导分流", 引导去向="咨询", 引导函编号="YD-1")]
    load_ledger(db, tmp_path, rows)
    r = annual(db)
    failed = {ch["name"] for ch in r["checks"] if not ch["ok"]}
    assert failed == {"studio.one_letter_per_guided_case"}
    tampered = copy.deepcopy(r)
    tampered["mediation"]["by_type"]["邻里"] = 5
    tampered["pre_petition_studio"]["mediation"] += 1
    failed = {ch["name"] for ch in checks(tampered) if not ch["ok"]}
    assert {"mediation.by_type_sums_to_handled", "studio.outcomes_sum_to_guided"} <= failed
