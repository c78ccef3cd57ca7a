"""The report's text in Chinese: section sentences and tables, shared by Markdown, xlsx, HTML and PDF."""

from decimal import ROUND_HALF_UP, Decimal


def wan(amount: str) -> str:
    """元 → 万元 with two decimals."""
    return str((Decimal(amount) / 10000).quantize(Decimal("0.01"), ROUND_HALF_UP))


def yi(amount: str) -> str:
    """元 → 亿元 with two decimals."""
    return str((Decimal(amount) / 100000000).quantize(Decimal("0.01"), ROUND_HALF_UP))


def pct(fraction: str) -> str:
    return f"{Decimal(fraction) * 100:.2f}%"


PAUSE_LABELS = {"appraisal": "鉴定", "hearing": "听证", "party": "等待当事人", "other": "其他"}
EXTENSION_LABELS = {"approval": "批准延长", "consent": "当事人同意延长"}
NO_CLOCK_NOTE = ("台账导入的案件（以及未设办理时限的案件）没有办理时限记录，计为“无时限数据”，"
                 "既不算按期也不算超期，不计入按期办结率。")
CONCLUSION_HEAD = ("处理机构", "受理", "办结", "转送", "办理中", "办结率", "按期", "超期", "无时限数据", "按期办结率")


def title(report: dict) -> str:
    if report.get("year") is not None:
        return f"{report['year']}年度矛盾纠纷多元化解工作报告"
    return f"{report['period']['label']}矛盾纠纷多元化解工作报告"


def scope(report: dict) -> str:
    """统计口径 line: which cases the report counts."""
    p = report["period"]
    return (f"统计口径：受理日期在{p['label']}（{p['from']}至{p['to']}）内的案件（含台账导入与系统办理案件）")


def _petitions(p: dict) -> str:
    judged = p["on_time"] + p["late"]
    out = (f"受理信访事项{p['received']}件，依规办理{p['handled']}件，其中办结{p['concluded']}件，"
           f"办结率{pct(p['conclusion_rate'])}；转送有权处理机关{p['transferred']}件，不计入办结。"
           f"按期办结率{pct(p['on_time_rate'])}（有办理时限的{judged}件中按期{p['on_time']}件、超期{p['late']}件，"
           f"经批准延期办理{p['extended']}件，延长后按期的计为按期）。")
    if p["no_clock_data"]:
        out += f"另有{p['no_clock_data']}件无时限数据（台账导入或未设办理时限），不计入按期办结率。"
    if p.get("over_level") or p.get("repeat_visited"):
        out += (f"越级信访{p.get('over_level', 0)}件；重复来访事项{p.get('repeat_visited', 0)}件"
                f"（重复来访{p.get('repeat_visits', 0)}人次，记入原事项，不重复立案）。")
    return out


def _studio(s: dict) -> str:
    out = (f"引导{s['guided']}人次，其中涉法涉诉{s['litigation']}人、劳动仲裁{s['labour_arbitration']}人、"
           f"商事仲裁{s['commercial_arbitration']}人、调解{s['mediation']}人、法律咨询{s['consultation']}人，"
           f"发出引导函{s['guidance_letters']}份。")
    notes = []
    if s.get("consultations_without_letter"):
        notes.append(f"法律咨询中当场解答、未出具引导函{s['consultations_without_letter']}人")
    if s.get("letters_in_other_bodies"):
        notes.append(f"含其他机构系统办理案件中出具的引导函{s['letters_in_other_bodies']}份")
    return out + (f"（{'；'.join(notes)}）" if notes else "")


def _conclusion(f: dict) -> str:
    judged = f["on_time"] + f["late"]
    out = (f"受理案件合计{f['received']}件，办结{f['concluded']}件，办结率{pct(f['conclusion_rate'])}；"
           f"转送{f['transferred']}件不计入办结。按期办结率{pct(f['on_time_rate'])}"
           f"（有办理时限的{judged}件中按期{f['on_time']}件、超期{f['late']}件）。")
    if f["no_clock_data"]:
        out += f"无时限数据{f['no_clock_data']}件：{NO_CLOCK_NOTE}"
    return out


def _kinds(counts: dict, labels: dict) -> str:
    return "、".join(f"{labels.get(k, k)}{n}件" for k, n in counts.items())


def _clocks(cl: dict) -> str:
    return (f"办理时限中止的案件{cl['paused_cases']}件（{_kinds(cl['paused_by_kind'], PAUSE_LABELS)}），"
            f"延长办理时限的案件{cl['extended_cases']}件（{_kinds(cl['extended_by_kind'], EXTENSION_LABELS)}）。"
            f"中止期间不计入办理时限，延长后的期限内办结的计为按期。")


def sections(report: dict) -> list[tuple[str, str]]:
    """(heading, summary sentence) of every section, in the report's order."""
    m, p, s = report["mediation"], report["petitions"], report["pre_petition_studio"]
    lab, arb, sla = report["labour_center"], report["arbitration_station"], report["sla"]
    return [
        ("人民调解", f"共调处民间纠纷{m['handled']}宗，成功{m['succeeded']}宗，疑难复杂案件{m['difficult']}件，"
                 f"调解成功率达{pct(m['success_rate'])}，涉及金额{wan(m['amount_yuan'])}万元。"),
        ("信访", _petitions(p)),
        ("访前法律工作室", _studio(s)),
        ("和谐劳动关系综合服务中心", f"处理劳动纠纷{lab['handled']}宗，化解{lab['resolved']}宗"
                             f"（其中调解成功{lab['mediated']}宗，引导劳动仲裁{lab['referred_to_arbitration']}宗），"
                             f"涉及劳动者{lab['workers']}人，追回工资{lab['wages_recovered_yuan']}元。"),
        ("仲裁工作站", f"受理案件{arb['accepted']}宗，结案{arb['closed']}宗，涉案金额{yi(arb['amount_yuan'])}亿元。"),
        ("办结情况", _conclusion(report["conclusion"]["合计"])),
        ("时限中止与延长", _clocks(report["clocks"])),
        ("办理时限", f"共设办理时限{sla['deadlines']}项，按期完成{sla['met']}项，超期{sla['breached']}项。"),
    ]


def _month(k: str) -> str:
    """1–12 → 3月; year*100+month (a period over several years) → 2025年11月."""
    n = int(k)
    return f"{n}月" if n <= 12 else f"{n // 100}年{n % 100}月"


def month_rows(report: dict) -> dict[str, int]:
    by_month = report["mediation"]["by_month"]
    ordered = sorted(by_month.items(), key=lambda kv: int(kv[0]) if kv[0].isdigit() else 10**7)
    return {(_month(k) if k.isdigit() else k): v for k, v in ordered}


def conclusion_rows(report: dict) -> list[tuple]:
    """One row per handling body and the total: CONCLUSION_HEAD's columns."""
    return [(body, f["received"], f["concluded"], f["transferred"], f["open"], pct(f["conclusion_rate"]),
             f["on_time"], f["late"], f["no_clock_data"], pct(f["on_time_rate"]))
            for body, f in report["conclusion"].items()]


def clock_rows(report: dict) -> list[tuple[str, str, int]]:
    """(中止/延长, kind label, cases) rows of the pauses and extensions."""
    cl = report["clocks"]
    rows = [("中止", PAUSE_LABELS.get(k, k), n) for k, n in cl["paused_by_kind"].items()]
    rows.append(("中止", "合计（案件数）", cl["paused_cases"]))
    rows += [("延长", EXTENSION_LABELS.get(k, k), n) for k, n in cl["extended_by_kind"].items()]
    rows.append(("延长", "合计（案件数）", cl["extended_cases"]))
    return rows


def tables(report: dict) -> list[tuple[str, str, dict[str, int]]]:
    """(title, key heading, {key: cases}) of the mediation breakdowns."""
    m = report["mediation"]
    return [("按纠纷类型", "纠纷类型", m["by_type"]), ("按月份", "月份", month_rows(report)),
            ("按社区", "社区", m["by_community"]), ("按来源渠道", "来源渠道", m["by_channel"])]


def sla_rows(report: dict) -> list[tuple[str, int, int, int]]:
    """(stage, deadlines, met, breached) per deadline name."""
    return [(name, v["deadlines"], v["met"], v["breached"]) for name, v in report["sla"]["by_stage"].items()]


def _table(title: str, head: str, rows: dict) -> list[str]:
    lines = [f"### {title}", "", f"| {head} | 宗数 |", "|---|---:|"]
    lines += [f"| {k} | {v} |" for k, v in rows.items()] or ["| （无） | 0 |"]
    return [*lines, ""]


def to_markdown(report: dict) -> str:
    lines = [f"# {title(report)}", "", scope(report), ""]
    for heading, sentence in sections(report):
        lines += [f"## {heading}", "", sentence, ""]
        if heading == "办结情况":
            lines += ["| " + " | ".join(CONCLUSION_HEAD) + " |", "|---|" + "---:|" * (len(CONCLUSION_HEAD) - 1)]
            lines += ["| " + " | ".join(str(v) for v in r) + " |" for r in conclusion_rows(report)]
            lines.append("")
        if heading == "时限中止与延长":
            lines += ["| 类别 | 情形 | 案件数 |", "|---|---|---:|"]
            lines += [f"| {a} | {b} | {n} |" for a, b, n in clock_rows(report)]
            lines.append("")
        if heading == "人民调解":
            for t, head, rows in tables(report):
                lines += _table(t, head, rows)
        if heading == "办理时限":
            lines += ["| 环节 | 时限数 | 按期 | 超期 |", "|---|---:|---:|---:|"]
            lines += [f"| {n} | {d} | {m} | {b} |" for n, d, m, b in sla_rows(report)] or ["| （无） | 0 | 0 | 0 |"]
            lines.append("")
    return "\n".join(lines) + "\n"  # the self-checks are beside the document (report["checks"]), not in it


def _figure(title: str, columns: list[str], rows: list[list], chart: str | None = None, note: str | None = None,
            numeric_from: int = 1) -> dict:
    return {"title": title, "columns": columns, "rows": rows, "chart": chart, "note": note,
            "numeric_from": numeric_from}


def document(report: dict) -> dict:
    """The report as it reads, for a page and the DOCX: title, scope, and per section its heading, sentence and
    tables (columns, rows; ``chart``: bars, columns (by month) or sla, drawn by the reader). No self-checks."""
    out = []
    for heading, sentence in sections(report):
        figures = []
        if heading == "人民调解":
            figures = [_figure(t, [head, "宗数"], [[k, v] for k, v in rows.items()] or [["（无）", 0]],
                               "columns" if t == "按月份" else "bars") for t, head, rows in tables(report)]
        elif heading == "办结情况":
            figures = [_figure("办结情况", list(CONCLUSION_HEAD), [list(r) for r in conclusion_rows(report)],
                               note=NO_CLOCK_NOTE)]
        elif heading == "时限中止与延长":
            figures = [_figure("时限中止与延长", ["类别", "情形", "案件数"], [list(r) for r in clock_rows(report)],
                               numeric_from=2)]
        elif heading == "办理时限":
            figures = [_figure("办理时限", ["环节", "时限数", "按期", "超期"],
                               [list(r) for r in sla_rows(report)] or [["（无）", 0, 0, 0]], "sla")]
        out.append({"heading": heading, "text": sentence, "tables": figures})
    return {"title": title(report), "scope": scope(report), "sections": out}
