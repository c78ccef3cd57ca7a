"""The annual report's text in Chinese: section sentences and tables, shared by Markdown, xlsx and PDF."""

from decimal import ROUND_HALF_UP, Decimal


def wan(amount: str) -> str:
    """元 → 万元 with two decimals."""
    return str((Decimal(amount) / 10000).quantize(Decimal("0.01"), ROUND_HALF_UP))


def yi(amount: str) -> str:
    """元 → 亿元 with two decimals."""
    return str((Decimal(amount) / 100000000).quantize(Decimal("0.01"), ROUND_HALF_UP))


def pct(fraction: str) -> str:
    return f"{Decimal(fraction) * 100:.2f}%"


def title(report: dict) -> str:
    return f"{report['year']}年度矛盾纠纷多元化解工作报告"


def sections(report: dict) -> list[tuple[str, str]]:
    """(heading, summary sentence) of every section, in the report's order."""
    m, p, s = report["mediation"], report["petitions"], report["pre_petition_studio"]
    lab, arb, sla = report["labour_center"], report["arbitration_station"], report["sla"]
    return [
        ("人民调解", f"共调处民间纠纷{m['handled']}宗，成功{m['succeeded']}宗，疑难复杂案件{m['difficult']}件，"
                 f"调解成功率达{pct(m['success_rate'])}，涉及金额{wan(m['amount_yuan'])}万元。"),
        ("信访", f"受理信访事项{p['received']}件，依规办理{p['handled']}件，"
               f"按期办结率{pct(p['handled_on_time_rate'])}（延期办理{p['extended']}件）。"),
        ("访前法律工作室", f"引导{s['guided']}人次，其中涉法涉诉{s['litigation']}人、劳动仲裁"
                     f"{s['labour_arbitration']}人、商事仲裁{s['commercial_arbitration']}人、调解{s['mediation']}人、"
                     f"法律咨询{s['consultation']}人，发出引导函{s['guidance_letters']}份。"),
        ("和谐劳动关系综合服务中心", f"处理劳动纠纷{lab['handled']}宗，化解{lab['resolved']}宗"
                             f"（其中调解成功{lab['mediated']}宗，引导劳动仲裁{lab['referred_to_arbitration']}宗），"
                             f"涉及劳动者{lab['workers']}人，追回工资{lab['wages_recovered_yuan']}元。"),
        ("仲裁工作站", f"受理案件{arb['accepted']}宗，结案{arb['closed']}宗，涉案金额{yi(arb['amount_yuan'])}亿元。"),
        ("办理时限", f"共设办理时限{sla['deadlines']}项，按期完成{sla['met']}项，超期{sla['breached']}项。"),
    ]


def month_rows(report: dict) -> dict[str, int]:
    by_month = report["mediation"]["by_month"]
    return {f"{k}月": v for k, v in sorted(by_month.items(), key=lambda kv: int(kv[0]) if kv[0].isdigit() else 99)}


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
    lines = [f"# {title(report)}", ""]
    for heading, sentence in sections(report):
        lines += [f"## {heading}", "", sentence, ""]
        if heading == "人民调解":
            for t, head, rows in tables(report):
                lines += _table(t, head, rows)
        if heading == "办理时限":
            lines += ["| 环节 | 时限数 | 按期 | 超期 |", "|---|---:|---:|---:|"]
            lines += [f"| {n} | {d} | {m} | {b} |" for n, d, m, b in sla_rows(report)] or ["| （无） | 0 | 0 | 0 |"]
            lines.append("")
    lines += ["## 自检", ""]
    lines += [f"- {'✓' if ch['ok'] else '✗'} {ch['name']}：{ch['detail']}" for ch in report["checks"]]
    return "\n".join(lines) + "\n"
