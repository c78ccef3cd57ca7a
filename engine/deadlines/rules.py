"""Deadlines as data: SLA rules (listed, changed by supervisors) → deadline rows for tasks.

Rules are rows (editable by supervisors); each process reads them through a short cache,
so an edit is in force everywhere within ``RULE_CACHE_SECONDS``.
"""

import threading
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from engine.core import durations
from engine.core.calendar import default_calendar
from engine.core.errors import InvalidData
from engine.deadlines.calendar import CALENDAR
from engine.store import deadlines as store

RULE_CACHE_SECONDS = 10.0
DEFAULT_WARN_FRACTION = Decimal("0.8")
CLOCKS = ("natural", "workdays", "hours")
MAX_RULE_AMOUNT = {"natural": 366, "workdays": 366, "hours": 8784}
SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class Rule:
    key: str
    name: str
    kind: str
    process_key: str
    element_id: str
    dispute_type: str | None
    duration: int
    clock: str
    warn_fraction: Decimal | None
    warn_before_hours: int | None
    starts_from: str = "task"  # task (its creation) or a case date name (received_on, accepted_on …)
    scope: str = "task"  # task, or case: one clock over every task of process_key until that process ends
    extension_amount: int | None = None
    extension_clock: str | None = None
    extension_rule: str | None = None  # approval | consent
    pausable: bool = True
    closes_on: str | None = None  # case scope: the clock also closes (met) when this element completes


class _RuleCache:
    def __init__(self):
        self._lock = threading.Lock()
        self._loaded_at = -1e9
        self._by_element: dict[tuple[str, str], list[Rule]] = {}

    def get(self, conn: Connection) -> dict[tuple[str, str], list[Rule]]:
        now = time.monotonic()
        if now - self._loaded_at > RULE_CACHE_SECONDS:
            by_element: dict[tuple[str, str], list[Rule]] = {}
            for r in store.active_rules(conn):
                rule = Rule(
                    r.key,
                    r.name,
                    r.kind,
                    r.process_key,
                    r.element_id,
                    r.dispute_type,
                    r.duration,
                    r.clock,
                    r.warn_fraction,
                    r.warn_before_hours,
                    r.starts_from or "task",
                    r.scope or "task",
                    r.extension_amount,
                    r.extension_clock,
                    r.extension_rule,
                    bool(r.pausable),
                    r.closes_on,
                )
                by_element.setdefault((r.process_key, r.element_id), []).append(rule)
            with self._lock:
                self._by_element, self._loaded_at = by_element, now
        return self._by_element

    def clear(self) -> None:
        with self._lock:
            self._loaded_at = -1e9


RULES = _RuleCache()


def due_time(start: datetime, amount: int, clock: str) -> datetime:
    """End of the limit: natural days (rolled past holidays), 工作日, or hours."""
    if clock == "hours":
        return start + timedelta(hours=amount)
    cal = default_calendar()
    return cal.add_workdays(start, amount) if clock == "workdays" else cal.add_days(start, amount)


def calendar_confirmed(start: datetime, due: datetime, clock: str) -> bool:
    """False when a limit from ``start`` to ``due`` was counted over a year whose calendar is not entered."""
    return clock == "hours" or default_calendar().confirmed(start, due)


def warn_time(start: datetime, due: datetime, rule: Rule) -> datetime:
    if rule.warn_before_hours is not None:
        return max(start, due - timedelta(hours=rule.warn_before_hours))
    fraction = float(rule.warn_fraction if rule.warn_fraction is not None else DEFAULT_WARN_FRACTION)
    return start + (due - start) * fraction


def _matching(rules: list[Rule], dispute_type: str | None) -> list[Rule]:
    specific = [r for r in rules if r.dispute_type and r.dispute_type == dispute_type]
    return specific or [r for r in rules if not r.dispute_type]


def closed_by(conn: Connection, element_id: str | None) -> set[str]:
    """Keys of the case-scope rules whose clock closes when element ``element_id`` completes (no query: the
    rule cache)."""
    if element_id is None:
        return set()
    return {r.key for rules in RULES.get(conn).values() for r in rules
            if r.scope == "case" and r.closes_on == element_id}


def has_rule(conn: Connection, process_key: str, element_id: str) -> bool:
    return (process_key, element_id) in RULES.get(conn)


def day_start(day: date) -> datetime:
    """00:00 Asia/Shanghai of ``day`` (in UTC): where a clock counted from a case date starts."""
    return datetime.combine(day, clock_time.min, SHANGHAI).astimezone(UTC)


def start_of(rule_starts_from: str | None, dates: dict[str, date], created: datetime) -> datetime:
    """The clock's start: 00:00 Shanghai of the case date it counts from when the case has it, else ``created``."""
    day = dates.get(rule_starts_from) if rule_starts_from and rule_starts_from != "task" else None
    return day_start(day) if day is not None else created


def rule_by_key(conn: Connection, key: str | None) -> Rule | None:
    for rules in RULES.get(conn).values():
        for r in rules:
            if r.key == key:
                return r
    return None


def reached_rules(conn: Connection, states: dict[str, dict[str, list[str]]]) -> list[Rule]:
    """Rules whose element the case's workflow has reached (``states``: ``Run.element_states()``): the only
    ones that may have an open deadline (no query: the rule cache)."""
    out = []
    for (process_key, element_id), rules in RULES.get(conn).items():
        got = states.get(process_key)
        if got and (element_id in got["active"] or element_id in got["completed"]):
            out.extend(rules)
    return out


def needs_dates(conn: Connection, tasks: list[dict]) -> bool:
    """Whether a rule of one of ``tasks`` counts from a case date (no query: the rule cache)."""
    by_element = RULES.get(conn)
    return any(r.starts_from not in (None, "task") for t in tasks
               for r in by_element.get((t["process_key"], t["element_id"]), []))


def task_deadlines(
    conn: Connection, case_id: int, tasks: list[dict], dispute_type: str | None, at: datetime,
    dates: dict[str, date] | None = None, open_case_rules: set[str] | frozenset = frozenset(),
) -> list[dict]:
    """Deadline rows for newly created task rows, from the matching rules.

    A rule's clock starts at 00:00 Shanghai of its case date (``dates``) when the case has it, else at ``at``
    (the task's creation). A case-scope rule opens one clock (no task of its own) unless one is open
    (``open_case_rules``); it then serves every task of its process.
    """
    by_element = RULES.get(conn)
    CALENDAR.get(conn)  # the calendar as the database has it (due_time reads the process-wide one)
    dates = dates or {}
    opened = set(open_case_rules)
    rows = []
    for t in tasks:
        for rule in _matching(by_element.get((t["process_key"], t["element_id"]), []), dispute_type):
            if rule.scope == "case":
                if rule.key in opened:
                    continue
                opened.add(rule.key)
            start = start_of(rule.starts_from, dates, at)
            due = due_time(start, rule.duration, rule.clock)
            rows.append(
                {
                    "case_id": case_id,
                    "task_id": t["id"] if rule.scope != "case" else None,
                    "kind": rule.kind,
                    "rule_key": rule.key,
                    "name": rule.name,
                    "clock": rule.clock,
                    "starts_at": start,
                    "due_at": due,
                    "calendar_confirmed": calendar_confirmed(start, due, rule.clock),
                    "warn_at": warn_time(start, due, rule),
                    "status": "pending",
                    "paused_seconds": 0,
                    "escalation_level": 0,
                    "attempts": 0,
                    "created_at": at,
                    "updated_at": at,
                    "amount": rule.duration,
                    "starts_from": rule.starts_from,
                    "scope": rule.scope,
                    "process_key": rule.process_key,
                }
            )
    return rows


def list_rules(conn: Connection) -> list:
    """Every rule, active or not, by process, element and key."""
    return store.all_rules(conn)


def _office_limit(changes: dict) -> dict:
    """``duration`` written the office's way ("20 个工作日", "30 日", "48 小时", "P30D") -> duration + clock."""
    text = changes.get("duration")
    if not isinstance(text, str):
        return changes
    try:
        if text.strip().isdigit():  # a number of the rule's clock units
            if not 1 <= int(text) <= MAX_RULE_AMOUNT["natural"]:
                raise durations.DurationError(text.strip(), "zero" if int(text) < 1 else "too_long")
            return {**changes, "duration": int(text)}
        limit = durations.to_limit(text, changes.get("clock"))
        if limit.amount > MAX_RULE_AMOUNT[limit.clock]:
            raise durations.DurationError(text.strip(), "too_long")
    except durations.DurationError as err:
        bad = InvalidData(err.en, {"duration": err.en})
        bad.kinds = {"duration": f"duration_{err.key}"}
        raise bad from None
    return {**changes, "duration": limit.amount, "clock": limit.clock}


def limit_text(rule) -> str:
    """A rule's limit the office's way: "20 个工作日", "30 日", "48 小时"."""
    return durations.limit_text(rule.duration, rule.clock)
