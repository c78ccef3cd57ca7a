"""The annual report (年度报告): figures of the 大调解 work in one year, with self-checks (parts sum to wholes)."""

from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import Connection

from engine.ledger import codes as c
from engine.store import report_queries as q

MEDIATION_HANDLED = (c.SUCCEEDED, c.PARTIAL, c.FAILED, c.TERMINATED)  # withdrawn and refused are not 调处
LABOUR_HANDLED = (c.SUCCEEDED, c.PARTIAL, c.FAILED, c.TERMINATED, c.GUIDED, c.CONCLUDED)
LABOUR_RESOLVED = (c.SUCCEEDED, c.PARTIAL, c.GUIDED, c.CONCLUDED)  # wider than mediated successfully
STUDIO_PARTS = {"litigation": "诉讼", "labour_arbitration": "劳动仲裁", "commercial_arbitration": "商事仲裁",
                "mediation": "人民调解", "consultation": "咨询"}
PETITION_DAYS, PETITION_EXTENDED_DAYS = 60, 90  # 信访工作条例 第34条 (configurable)


def money(v) -> str:
    return str(Decimal(v or 0).quantize(Decimal("0.01"), ROUND_HALF_UP))


def rate(part: int, whole: int) -> str:
    value = Decimal(part) / Decimal(whole) if whole else Decimal(0)
    return str(value.quantize(Decimal("0.0001"), ROUND_HALF_UP))


def _sum(groups, key, body, outcomes=None, target=None, closed=False) -> int | Decimal:
    return sum((g["closed"] if closed and key == "cases" else g[key]) for g in groups if g["handling_body"] == body
               and (outcomes is None or g["outcome"] in outcomes)
               and (target is None or g["guidance_to"] == target)) or 0


def _labelled(rows: dict, column: str) -> dict[str, int]:
    """Counts by stored value → by ledger term (engine codes and imported terms merge), largest first."""
    out: dict[str, int] = {}
    for k, n in rows.items():
        name = "未填" if k is None else str(c.label(column, k))
        out[name] = out.get(name, 0) + n
    if column == "month":
        return out
    return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))


def annual_report(conn: Connection, year: int) -> dict:
    g = [{**row, "outcome": c.ledger_outcome(row["outcome"])} for row in q.outcome_groups(conn, year)]
    m = c.MEDIATION
    handled = _sum(g, "cases", m, MEDIATION_HANDLED)
    succeeded = _sum(g, "cases", m, (c.SUCCEEDED,))
    mediation = {
        "handled": handled, "succeeded": succeeded, "success_rate": rate(succeeded, handled),
        "difficult": _sum(g, "difficult", m, MEDIATION_HANDLED), "amount_yuan": money(_sum(g, "amount", m, MEDIATION_HANDLED)),
        "withdrawn": _sum(g, "cases", m, (c.WITHDRAWN,)), "refused": _sum(g, "cases", m, (c.REFUSED,)),
        "open": _sum(g, "cases", m, (None,)),
    }
    for key, column in (("by_type", "dispute_type"), ("by_channel", "channel"), ("by_community", "community"),
                        ("by_month", "month")):
        mediation[key] = _labelled(q.breakdown(conn, year, m, c.stored_outcomes(MEDIATION_HANDLED), column), column)
    days = q.closing_days(conn, year, c.PETITIONS, PETITION_DAYS, PETITION_EXTENDED_DAYS)
    received = _sum(g, "cases", c.PETITIONS)
    petitions = {"received": received, "handled": _sum(g, "cases", c.PETITIONS, closed=True),
                 "handled_on_time_rate": rate(days["on_time"] + days["extended"], received),
                 "extended": days["extended"], "late": days["late"]}
    s = c.STUDIO
    guided = _sum(g, "cases", s, (c.GUIDED,))
    studio = {"guided": guided}
    for key, target in STUDIO_PARTS.items():
        studio[key] = _sum(g, "cases", s, (c.GUIDED,), target)
    studio["other"] = guided - sum(studio[k] for k in STUDIO_PARTS)
    studio["guidance_letters"] = _sum(g, "letters", s, (c.GUIDED,))
    studio["distinct_letter_numbers"] = q.distinct_letters(conn, year, s, c.stored_outcomes((c.GUIDED,)))
    lc = c.LABOUR_CENTER
    labour = {"handled": _sum(g, "cases", lc, LABOUR_HANDLED), "resolved": _sum(g, "cases", lc, LABOUR_RESOLVED),
              "mediated": _sum(g, "cases", lc, (c.SUCCEEDED, c.PARTIAL)),
              "referred_to_arbitration": _sum(g, "cases", lc, (c.GUIDED,), "劳动仲裁"),
              "workers": _sum(g, "people", lc, LABOUR_HANDLED),
              "wages_recovered_yuan": money(_sum(g, "recovered", lc, LABOUR_HANDLED))}
    a = c.ARBITRATION
    arbitration = {"accepted": _sum(g, "cases", a), "closed": _sum(g, "cases", a, closed=True),
                   "amount_yuan": money(_sum(g, "amount", a))}
    stages = q.sla_groups(conn, year)
    sla = {"deadlines": sum(r["deadlines"] for r in stages), "met": sum(r["met"] or 0 for r in stages),
           "breached": sum(r["breached"] or 0 for r in stages),
           "by_stage": {r["name"]: {"deadlines": r["deadlines"], "met": r["met"] or 0, "breached": r["breached"] or 0}
                        for r in stages}}
    report = {"year": year, "mediation": mediation, "petitions": petitions, "pre_petition_studio": studio,
              "labour_center": labour, "arbitration_station": arbitration, "sla": sla}
    report["checks"] = checks(report)
    return report


def checks(report: dict) -> list[dict]:
    """Parts against wholes; each check says what it compared."""
    m, p, s = report["mediation"], report["petitions"], report["pre_petition_studio"]
    lab, arb, sla = report["labour_center"], report["arbitration_station"], report["sla"]
    out = []

    def check(name: str, ok: bool, detail: str) -> None:
        out.append({"name": name, "ok": bool(ok), "detail": detail})

    for key in ("by_type", "by_channel", "by_community", "by_month"):
        total = sum(m[key].values())
        check(f"mediation.{key}_sums_to_handled", total == m["handled"], f"{total} = {m['handled']}")
    check("mediation.succeeded_within_handled", m["succeeded"] <= m["handled"], f"{m['succeeded']} <= {m['handled']}")
    check("mediation.difficult_within_handled", m["difficult"] <= m["handled"], f"{m['difficult']} <= {m['handled']}")
    check("mediation.success_rate", m["success_rate"] == rate(m["succeeded"], m["handled"]),
          f"{m['succeeded']}/{m['handled']} = {m['success_rate']}")
    check("petitions.handled_within_received", p["handled"] <= p["received"], f"{p['handled']} <= {p['received']}")
    parts = sum(s[k] for k in (*STUDIO_PARTS, "other"))
    check("studio.outcomes_sum_to_guided", parts == s["guided"], f"{parts} = {s['guided']}")
    check("studio.one_letter_per_guided_case", s["guidance_letters"] == s["guided"] == s["distinct_letter_numbers"],
          f"letters {s['guidance_letters']}, distinct numbers {s['distinct_letter_numbers']}, guided {s['guided']}")
    check("labour.resolved_within_handled", lab["resolved"] <= lab["handled"], f"{lab['resolved']} <= {lab['handled']}")
    parts = lab["mediated"] + lab["referred_to_arbitration"]
    check("labour.mediated_and_referred_within_resolved", parts <= lab["resolved"], f"{parts} <= {lab['resolved']}")
    check("arbitration.closed_within_accepted", arb["closed"] <= arb["accepted"], f"{arb['closed']} <= {arb['accepted']}")
    parts = sla["met"] + sla["breached"]
    check("sla.met_and_breached_within_deadlines", parts <= sla["deadlines"], f"{parts} <= {sla['deadlines']}")
    return out
