"""Extension of a case clock by the parties' consent, recorded in a task of the model.

人民调解: when the term has run out, ``mediation_term_expired`` records whether both parties agree to go on
(``parties_consent_extension``), who consented (``consent_given_by``), until when (``extended_until``) and why
(``extension_reason``). The model's own term timer then runs to the end of ``extended_until``; the statutory
clock of the term (rule ``people_mediation_term_30d``) gets a ``deadline_extensions`` row of kind 'consent' and
the same due time, and stays open over the sessions that follow, so the clock and the model agree.
"""

from datetime import date, datetime

from sqlalchemy import Connection

from engine.core.calendar import local_day
from engine.core.errors import InvalidData
from engine.core.events import event
from engine.deadlines import rules as deadlines
from engine.deadlines.calendar import CALENDAR
from engine.store import case_clocks as clock_store
from engine.store import deadlines as store

# the task that records the consent → the rule whose clock it extends
CONSENT_TASKS = {"mediation_term_expired": "people_mediation_term_30d"}


def _day(value) -> date | None:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    try:
        return date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def after_task(conn: Connection, case_id: int, element_id: str | None, data: dict, actor: str | None,
               at: datetime) -> list[dict]:
    """After ``element_id`` was completed with the case ``data``: the consent extension of its clock, if the
    parties consented; returns the timeline event (not written)."""
    rule_key = CONSENT_TASKS.get(element_id or "")
    if rule_key is None or data.get("parties_consent_extension") is not True:
        return []
    rows = [r for r in store.for_case(conn, case_id) if r.rule_key == rule_key]
    if not rows:
        return []
    row = max(rows, key=lambda r: r.id)
    until = _day(data.get("extended_until"))
    if until is None:
        raise InvalidData("extended_until must be a date", {"extended_until": "invalid date"})
    amount = (until - local_day(row.due_at)).days  # natural days agreed beyond the term as it stood
    if amount < 1:
        raise InvalidData("延长后的期限须晚于原期限届满日", {"extended_until": "must be after the term ends"})
    CALENDAR.get(conn)
    new_due = deadlines.due_time(deadlines.day_start(until), 0, "natural")  # as the model's timer counts it
    new_warn = new_due - (row.due_at - row.warn_at) if row.warn_at is not None else None
    reason = str(data.get("extension_reason") or "").strip() or "当事人同意延长"
    requested_by = str(data.get("consent_given_by") or "").strip() or actor
    store.extend(conn, row, new_due, new_warn, amount=amount, clock="natural", reason=reason,
                 approved_by=actor or "system", at=at,
                 calendar_confirmed=deadlines.calendar_confirmed(row.starts_at, new_due, "natural"),
                 kind="consent", requested_by=requested_by)
    # the term's subprocess was interrupted by its timer, which closed the clock: the mediation goes on
    clock_store.move(conn, row.id, {"closed_at": None, "status": "pending", "escalation_level": 0,
                                    "next_escalation_at": None, "claimed_until": None, "updated_at": at})
    return [event(case_id, at, actor, "deadline_extended", deadline=row.id, name=row.name, amount=amount,
                  clock="natural", reason=reason, old_due=row.due_at.isoformat(), new_due=new_due.isoformat(),
                  extension_kind="consent", requested_by=requested_by, party_told_on=None,
                  extended_until=until.isoformat())]
