"""The report of the 大调解 work in a period (a year, a quarter, the year to date, any from/to), with self-checks
(parts sum to wholes). The annual report (年度报告) is the report of a calendar year."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import Connection

from engine.ledger import codes as c
from engine.reports.period import range_period
from engine.store import report_passes as passes
from engine.store import report_queries as q

MEDIATION_HANDLED = (c.SUCCEEDED, c.PARTIAL, c.FAILED, c.TERMINATED)  # withdrawn and refused are not 调处
LABOUR_HANDLED = (c.SUCCEEDED, c.PARTIAL, c.FAILED, c.TERMINATED, c.GUIDED, c.CONCLUDED)
LABOUR_RESOLVED = (c.SUCCEEDED, c.PARTIAL, c.GUIDED, c.CONCLUDED)  # wider than mediated successfully
STUDIO_PARTS = {"litigation": "诉讼", "labour_arbitration": "劳动仲裁", "commercial_arbitration": "商事仲裁",
                "mediation": "人民调解", "consultation": "咨询"}


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


PAUSE_KINDS = ("appraisal", "hearing", "party", "other")  # 鉴定 · 听证 · 等待当事人 · 其他
EXTENSION_KINDS = ("approval", "consent")  # 批准延长 · 当事人同意延长


def annual_report(conn: Connection, year: int) -> dict:
    """The report of calendar year ``year`` (cases accepted in it)."""
    return report(conn, date(year, 1, 1), date(year, 12, 31))


def _conclusion(rows: list[dict]) -> dict:
    """办结情况 of some cases: received, concluded (closed, not transferred), transferred, on time / late / no clock."""
    received = sum(r["cases"] for r in rows)
    transferred = sum(r["cases"] for r in rows if r["closed"] and r["outcome"] == c.TRANSFERRED)
    concluded = [r for r in rows if r["closed"] and r["outcome"] != c.TRANSFERRED]
    done = sum(r["cases"] for r in concluded)
    on_time = sum(r["cases"] for r in concluded if r["clocked"] and not r["late"])
    late = sum(r["cases"] for r in concluded if r["clocked"] and r["late"])
    return {"received": received, "concluded": done, "transferred": transferred,
            "open": received - done - transferred, "conclusion_rate": rate(done, received),
            "on_time": on_time, "late": late, "no_clock_data": done - on_time - late,
            "on_time_rate": rate(on_time, on_time + late)}


def _clocks(pauses: dict, extensions: dict, body: str | None = None) -> dict:
    """Cases with a pause / an approved extension (all bodies, or one), in all and by kind."""
    def count(d: dict, kind) -> int:
        return sum(n for (b, k), n in d.items() if k == kind and (body is None or b == body))

    return {"paused_cases": count(pauses, None), "paused_by_kind": {k: count(pauses, k) for k in PAUSE_KINDS},
            "extended_cases": count(extensions, None),
            "extended_by_kind": {k: count(extensions, k) for k in EXTENSION_KINDS}}


NO_VISITS = {"over_level": 0, "repeat_visited": 0, "repeat_visits": 0}


def _figures(conn: Connection, start: date, end: date, body: str, outcomes: tuple[str, ...]) -> dict:
    """The grouped figures the report is made of: outcome groups, ``body``'s cases with ``outcomes`` broken down,
    conclusion groups, visit counts by body. On PostgreSQL two passes over the period's cases
    (``report_passes``); elsewhere one statement a question (``report_queries``)."""
    if conn.dialect.name == "postgresql":
        passes.settle(conn)
        groups, conclusion, visits = passes.outcome_pass(conn, start, end)
        return {"groups": groups, "conclusion": conclusion, "visits": visits,
                "breakdowns": passes.breakdown_pass(conn, start, end, body, outcomes)}
    visits = {b: q.visit_counts(conn, start, end, b) for b in (c.PETITIONS,)}
    return {"groups": q.outcome_groups(conn, start, end), "conclusion": q.conclusion_groups(conn, start, end),
            "visits": visits, "breakdowns": {by: q.breakdown(conn, start, end, body, outcomes, by)
                                             for by in passes.BREAKDOWNS}}


def report(conn: Connection, start: date, end: date) -> dict:
    """The figures of the cases accepted (受理) from ``start`` to ``end`` (both counted), with self-checks."""
    period = range_period(start, end)  # refuses an end before the start
    m = c.MEDIATION
    f = _figures(conn, start, end, m, c.stored_outcomes(MEDIATION_HANDLED))
    g = [{**row, "outcome": c.ledger_outcome(row["outcome"])} for row in f["groups"]]
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
        mediation[key] = _labelled(f["breakdowns"][column], column)
    done = [{**row, "outcome": c.ledger_outcome(row["outcome"])} for row in f["conclusion"]]
    conclusion = {body: _conclusion([r for r in done if r["handling_body"] == body])
                  for body in c.BODIES if any(r["handling_body"] == body for r in done)}
    conclusion["合计"] = _conclusion(done)
    pauses, extensions = q.pause_counts(conn, start, end), q.extension_counts(conn, start, end)
    p = _conclusion([r for r in done if r["handling_body"] == c.PETITIONS])
    petitions = {"received": p["received"], "handled": _sum(g, "cases", c.PETITIONS, closed=True),
                 "concluded": p["concluded"], "transferred": p["transferred"], "conclusion_rate": p["conclusion_rate"],
                 "on_time": p["on_time"], "late": p["late"], "no_clock_data": p["no_clock_data"],
                 "on_time_rate": p["on_time_rate"],
                 "extended": _clocks(pauses, extensions, c.PETITIONS)["extended_cases"],
                 **f["visits"].get(c.PETITIONS, NO_VISITS)}
    studio = _studio(conn, g, start, end)
    lc = c.LABOUR_CENTER
    labour = {"handled": _sum(g, "cases", lc, LABOUR_HANDLED), "resolved": _sum(g, "cases", lc, LABOUR_RESOLVED),
              "mediated": _sum(g, "cases", lc, (c.SUCCEEDED, c.PARTIAL)),
              "referred_to_arbitration": _sum(g, "cases", lc, (c.GUIDED,), "劳动仲裁"),
              "workers": _sum(g, "people", lc, LABOUR_HANDLED),
              "wages_recovered_yuan": money(_sum(g, "recovered", lc, LABOUR_HANDLED))}
    a = c.ARBITRATION
    arbitration = {"accepted": _sum(g, "cases", a), "closed": _sum(g, "cases", a, closed=True),
                   "amount_yuan": money(_sum(g, "amount", a))}
    stages = q.sla_groups(conn, start, end)
    sla = {"deadlines": sum(r["deadlines"] for r in stages), "met": sum(r["met"] or 0 for r in stages),
           "breached": sum(r["breached"] or 0 for r in stages),
           "by_stage": {r["name"]: {"deadlines": r["deadlines"], "met": r["met"] or 0, "breached": r["breached"] or 0}
                        for r in stages}}
    out = {"year": period.year, "period": period.as_dict(), "mediation": mediation, "petitions": petitions,
           "pre_petition_studio": studio, "labour_center": labour, "arbitration_station": arbitration,
           "conclusion": conclusion, "clocks": _clocks(pauses, extensions), "sla": sla}
    out["checks"] = checks(out)
    return out


def _studio(conn: Connection, g: list[dict], start: date, end: date) -> dict:
    """访前法律工作室: its guided cases (imported or run by the engine), its consultations (an engine case answered on
    the spot is 办结 without a letter), and guidance letters issued in other bodies' cases (labour guidance)."""
    s = c.STUDIO
    lettered = [r for r in g if r["handling_body"] != s and r["outcome"] == c.GUIDED and r["letters"]]
    consulted = _sum(g, "cases", s, (c.CONCLUDED,))
    guided = _sum(g, "cases", s, (c.GUIDED,))
    studio = {"guided": guided + consulted + sum(r["letters"] for r in lettered)}
    for key, target in STUDIO_PARTS.items():
        studio[key] = (_sum(g, "cases", s, (c.GUIDED,), target)
                       + sum(r["letters"] for r in lettered if r["guidance_to"] == target))
    studio["consultation"] += consulted
    studio["other"] = studio["guided"] - sum(studio[k] for k in STUDIO_PARTS)
    studio["guidance_letters"] = _sum(g, "letters", s, (c.GUIDED,)) + sum(r["letters"] for r in lettered)
    studio["distinct_letter_numbers"] = q.distinct_letters(conn, start, end, c.stored_outcomes((c.GUIDED,)))
    studio["consultations_without_letter"] = consulted
    studio["letters_in_other_bodies"] = sum(r["letters"] for r in lettered)
    return studio


def checks(report: dict) -> list[dict]:
    """Parts against wholes; each check says what it compared."""
    m, p, s = report["mediation"], report["petitions"], report["pre_petition_studio"]
    lab, arb, sla = report["labour_center"], report["arbitration_station"], report["sla"]
    out = []

    def check(name: str, ok: bool, detail: str, key: str | None = None, **args: str) -> None:
        """``key``: what is checked, without the handling body (``args``) a page words it by; ``detail``: the
        numbers compared, as a formula."""
        out.append({"name": name, "key": key or name, "args": args, "ok": bool(ok), "detail": detail})

    for key in ("by_type", "by_channel", "by_community", "by_month"):
        total = sum(m[key].values())
        check(f"mediation.{key}_sums_to_handled", total == m["handled"], f"{total} = {m['handled']}")
    check("mediation.succeeded_within_handled", m["succeeded"] <= m["handled"], f"{m['succeeded']} <= {m['handled']}")
    check("mediation.difficult_within_handled", m["difficult"] <= m["handled"], f"{m['difficult']} <= {m['handled']}")
    check("mediation.success_rate", m["success_rate"] == rate(m["succeeded"], m["handled"]),
          f"{m['succeeded']}/{m['handled']} = {m['success_rate']}")
    check("petitions.handled_within_received", p["handled"] <= p["received"], f"{p['handled']} <= {p['received']}")
    for body, f in report["conclusion"].items():
        parts = f["concluded"] + f["transferred"] + f["open"]
        check(f"conclusion.{body}.parts_sum_to_received", parts == f["received"] and f["open"] >= 0,
              f"{f['concluded']} + {f['transferred']} + {f['open']} = {f['received']}",
              "conclusion.parts_sum_to_received", body=body)
        parts = f["on_time"] + f["late"] + f["no_clock_data"]
        check(f"conclusion.{body}.on_time_late_no_clock_sum_to_concluded", parts == f["concluded"],
              f"{f['on_time']} + {f['late']} + {f['no_clock_data']} = {f['concluded']}",
              "conclusion.on_time_late_no_clock_sum_to_concluded", body=body)
        check(f"conclusion.{body}.rates", f["conclusion_rate"] == rate(f["concluded"], f["received"])
              and f["on_time_rate"] == rate(f["on_time"], f["on_time"] + f["late"]),
              f"{f['concluded']}/{f['received']} = {f['conclusion_rate']}, "
              f"{f['on_time']}/{f['on_time'] + f['late']} = {f['on_time_rate']}", "conclusion.rates", body=body)
    bodies = [f for body, f in report["conclusion"].items() if body != "合计"]
    for key in ("received", "concluded", "transferred", "on_time", "late", "no_clock_data"):
        total = sum(f[key] for f in bodies)
        check(f"conclusion.bodies_sum_to_total.{key}", total == report["conclusion"]["合计"][key],
              f"{total} = {report['conclusion']['合计'][key]}")
    cl = report["clocks"]
    for what in ("paused", "extended"):
        kinds, whole = cl[f"{what}_by_kind"], cl[f"{what}_cases"]
        check(f"clocks.{what}_kinds_cover_cases", all(n <= whole for n in kinds.values())
              and (sum(kinds.values()) >= whole), f"{' + '.join(str(n) for n in kinds.values())} >= {whole}")
    parts = sum(s[k] for k in (*STUDIO_PARTS, "other"))
    check("studio.outcomes_sum_to_guided", parts == s["guided"], f"{parts} = {s['guided']}")
    unlettered = s["consultations_without_letter"]
    check("studio.one_letter_per_guided_case",
          s["guidance_letters"] + unlettered == s["guided"] and s["guidance_letters"] == s["distinct_letter_numbers"],
          f"{s['guidance_letters']} + {unlettered} = {s['guided']}, "
          f"{s['guidance_letters']} = {s['distinct_letter_numbers']}")
    check("labour.resolved_within_handled", lab["resolved"] <= lab["handled"], f"{lab['resolved']} <= {lab['handled']}")
    parts = lab["mediated"] + lab["referred_to_arbitration"]
    check("labour.mediated_and_referred_within_resolved", parts <= lab["resolved"], f"{parts} <= {lab['resolved']}")
    check("arbitration.closed_within_accepted", arb["closed"] <= arb["accepted"], f"{arb['closed']} <= {arb['accepted']}")
    parts = sla["met"] + sla["breached"]
    check("sla.met_and_breached_within_deadlines", parts <= sla["deadlines"], f"{parts} <= {sla['deadlines']}")
    return out
