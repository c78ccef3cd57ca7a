"""Ledger (台账) terms of a case the engine runs: computed in Python at every step, written with the step.

Imported and engine-run cases then share the columns the annual report groups by: 处理机构, 受理日期,
结案日期, 引导去向, 引导函编号, 调解员, 追回金额 (dispute type, channel and outcome stay engine codes on
the row and are translated when read: ``codes.label`` and ``codes.ledger_outcome``).
"""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from engine.ledger import codes

SHANGHAI = ZoneInfo("Asia/Shanghai")


def handling_body(process_key: str, data: dict) -> str | None:
    """处理机构: a `handling_body` variable naming a known body, else by process, else by the decided route.

    A 大调解 case not yet routed by the lawyer has none (it counts nowhere until it is routed)."""
    named = data.get("handling_body")
    if isinstance(named, str) and named in codes.BODIES:
        return named
    if process_key in codes.PROCESS_BODIES:
        return codes.PROCESS_BODIES[process_key]
    route = data.get("final_route")
    return codes.ROUTE_BODIES.get(route) if isinstance(route, str) else None


def _money(value) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        d = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return None
    return d if d.is_finite() and d >= 0 else None


def _text(value, size: int) -> str | None:
    if value is None or isinstance(value, (dict, list)):
        return None
    s = str(value).strip()
    return s[:size] or None


def _day(value):
    """An ISO date from a form field, or None."""
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _closed_on(data: dict, status: str, completed_at: datetime | None):
    """结案日期: the day the case completed; a petition concluded (办结) on the day its 处理意见书 was served, though
    the matter stays open for a 复查 request afterwards (信访工作条例 第35条)."""
    if status == "completed" and completed_at:
        served = _day(data.get("opinion_served_on")) if data.get("outcome") == "petition_concluded" else None
        return served or completed_at.astimezone(SHANGHAI).date()
    if status == "active" and data.get("outcome") == "petition_concluded":
        return _day(data.get("opinion_served_on"))
    return None


def ledger_fields(process_key: str, data: dict, status: str, created_at: datetime,
                  completed_at: datetime | None) -> dict:
    """The ledger columns of an engine case after a step. A cancelled (作废) case counts nowhere."""
    outcome = data.get("outcome") if isinstance(data.get("outcome"), str) else None
    body = None if status == "cancelled" else handling_body(process_key, data)
    closed = _closed_on(data, status, completed_at)
    # 受理日期: the day the law counts from (accepted, else received), else the day the case was registered
    accepted = _day(data.get("accepted_on")) or _day(data.get("received_on")) or created_at.astimezone(SHANGHAI).date()
    return {
        "handling_body": body,
        "mediator": _text(data.get("mediator_name"), 100),
        "accepted_on": accepted,
        "closed_on": closed,
        "guidance_to": codes.GUIDED_TO.get(outcome) if outcome else None,
        "guidance_letter_no": _text(data.get("guidance_letter_no"), 60),
        "recovered_amount": _money(data.get("back_pay_amount")),
    }


def case_ledger(process_key: str, data: dict, status: str, created_at: datetime,
                completed_at: datetime | None) -> dict:
    """What a step writes: the ledger columns, and 涉及人数 (``people_count``) of a labour case with workers."""
    out = ledger_fields(process_key, data, status, created_at, completed_at)
    if out["handling_body"] == codes.LABOUR_CENTER and workers(data) is not None:
        out["people_count"] = workers(data)
    return out


def workers(data: dict) -> int | None:
    """涉及人数 of a labour case: the workers counted at acceptance, when given."""
    n = data.get("workers_count")
    return n if isinstance(n, int) and not isinstance(n, bool) and n >= 0 else None
