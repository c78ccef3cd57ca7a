"""Deadline arithmetic in natural days (自然日) and working days (工作日), over the official calendar as data.

Rules (docs: /work/shared/domain.md, "Deadlines"):

* The first day is not counted: a 15-day limit starting on day D ends at the end of D+15.
* Working days follow the official Chinese calendar (国务院办公厅's notice of each year), including
  调休 make-up workdays. The calendar is data (:class:`CalendarData`): rest days, 调休 working days and
  the years whose notice is entered ("confirmed"). The database keeps it (``calendar_days`` /
  ``calendar_years``, loaded by ``engine.deadlines.calendar``); ``holidays_cn.json`` next to this module is
  the packaged copy (2004–2026, generated once from the ``chinesecalendar`` package by
  ``scripts/holidays-from-chinese-calendar``) that seeds it and serves callers before any database is read.
* A day in a year that is not confirmed counts Monday–Friday, never silently: one warning per year on
  logger ``tiaojie.workdays``, and :meth:`WorkCalendar.confirmed` tells callers the result is provisional
  (deadline rows carry it as ``calendar_confirmed``).
* A natural-day deadline whose last day is not a working day (weekend or public
  holiday, as courts read 法定休假日) moves to the next working day. This is marked
  "verify" in the domain notes, so it is a flag (``roll_to_workday``), on by default.
* The office can add holidays / workdays (settings ``extra_holidays`` /
  ``extra_workdays``); they win over the calendar data and the fallback.
* ``default_calendar()`` is the process-wide calendar: the settings' extras over the current data, which
  ``use_data`` replaces (the database loader does, every few seconds) — callers without a connection
  (sandbox ``add_workdays``, ``due_time``) use it.

Time handling:

* Inputs: an aware ``datetime`` (any zone), a naive ``datetime`` (taken as UTC), a
  ``date`` (a Shanghai calendar day), or ``None`` (now).
* The day boundary is Asia/Shanghai midnight.
* Outputs are aware UTC datetimes marking the *inclusive end* of the deadline day:
  23:59:59.999999 Shanghai time (15:59:59.999999 UTC). A case is overdue iff
  ``now > deadline``; converting the result back to Shanghai gives the right day.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache, lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

from engine.core.clock import now
from engine.core.settings import get_settings

log = logging.getLogger("tiaojie.workdays")

SHANGHAI = ZoneInfo("Asia/Shanghai")
_END_OF_DAY = time(23, 59, 59, 999999)
_ONE_DAY = timedelta(days=1)
PACKAGED_FILE = Path(__file__).with_name("holidays_cn.json")
DAY_KINDS = ("rest", "work")

DateLike = datetime | date | None

_warned_years: set[int] = set()
_warn_lock = threading.Lock()


@dataclass(frozen=True)
class CalendarData:
    """The official calendar as data: days that differ from (or name) Monday–Friday, confirmed years."""

    rest: frozenset[date] = frozenset()
    work: frozenset[date] = frozenset()
    confirmed_years: frozenset[int] = frozenset()

    @classmethod
    def from_days(cls, days: Iterable[tuple[date, str]], confirmed_years: Iterable[int]) -> CalendarData:
        """From (day, kind) pairs, kind ``rest`` or ``work``."""
        rest, work = set(), set()
        for day, kind in days:
            if kind not in DAY_KINDS:
                raise ValueError(f"calendar day {day}: kind must be rest or work, got {kind!r}")
            (rest if kind == "rest" else work).add(day)
        return cls(frozenset(rest), frozenset(work), frozenset(confirmed_years))


@dataclass(frozen=True)
class PackagedCalendar:
    source: str
    years: tuple[int, ...]
    days: tuple[tuple[date, str, str], ...]  # (day, rest|work, name)


@cache
def packaged() -> PackagedCalendar:
    """The calendar shipped with tiaojie (``holidays_cn.json``)."""
    doc = json.loads(PACKAGED_FILE.read_text(encoding="utf-8"))
    days = tuple((date.fromisoformat(d), kind, name) for d, kind, name in doc["days"])
    return PackagedCalendar(doc["source"], tuple(doc["years"]), days)


@cache
def packaged_data() -> CalendarData:
    p = packaged()
    return CalendarData.from_days(((d, kind) for d, kind, _ in p.days), p.years)


def local_day(value: DateLike) -> date:
    """The Shanghai calendar day of ``value`` (see module docstring for input rules)."""
    if value is None:
        value = now()
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(SHANGHAI).date()
    if isinstance(value, date):
        return value
    raise TypeError(f"expected a date, datetime or None, got {type(value).__name__}")


def end_of_day(d: date) -> datetime:
    """The last microsecond of Shanghai day ``d``, as an aware UTC datetime."""
    return datetime.combine(d, _END_OF_DAY, tzinfo=SHANGHAI).astimezone(UTC)


def _warn_fallback(year: int) -> None:
    with _warn_lock:
        if year in _warned_years:
            return
        _warned_years.add(year)
    log.warning(
        "no confirmed holiday calendar for %d; counting Monday-Friday as working days (provisional). "
        "Enter the year's calendar: `tiaojie calendar import FILE` or the 节假日 page.",
        year,
    )


def _check_n(n: int) -> None:
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError(f"day count must be an int, got {type(n).__name__}")
    if n < 0:
        raise ValueError(f"day count must be zero or positive, got {n}")


class WorkCalendar:
    """Working-day calendar: the official calendar data plus office-configured exceptions.

    ``data=None`` is the packaged calendar (``packaged_data()``).
    """

    def __init__(self, extra_holidays: Iterable[date] = (), extra_workdays: Iterable[date] = (),
                 *, data: CalendarData | None = None):
        self.data = data if data is not None else packaged_data()
        self.extra_holidays = frozenset(_as_date(d) for d in extra_holidays)
        self.extra_workdays = frozenset(_as_date(d) for d in extra_workdays)
        both = self.extra_holidays & self.extra_workdays
        if both:
            listed = ", ".join(sorted(d.isoformat() for d in both))
            raise ValueError(f"dates configured as both extra holiday and extra workday: {listed}")

    def __repr__(self) -> str:
        years = sorted(self.data.confirmed_years)
        span = f"{years[0]}–{years[-1]}" if years else "none"
        return (
            f"WorkCalendar(confirmed={span}, extra_holidays={len(self.extra_holidays)}, "
            f"extra_workdays={len(self.extra_workdays)})"
        )

    def is_workday(self, d: date) -> bool:
        """Whether Shanghai day ``d`` is a working day (datetimes are converted first)."""
        if isinstance(d, datetime):
            d = local_day(d)
        if d in self.extra_workdays:
            return True
        if d in self.extra_holidays:
            return False
        if d in self.data.work:
            return True
        if d in self.data.rest:
            return False
        if d.year not in self.data.confirmed_years:
            _warn_fallback(d.year)
        return d.weekday() < 5

    def year_confirmed(self, year: int) -> bool:
        """Whether ``year``'s official calendar is entered (else its days count Monday–Friday)."""
        return year in self.data.confirmed_years

    def confirmed(self, start: DateLike, end: DateLike) -> bool:
        """Whether every year a count from ``start`` to ``end`` touches is confirmed.

        The days counted are those after ``start``'s day up to ``end``'s day (the first day is not
        counted); with no day between them, ``end``'s day. False means the result is provisional.
        """
        a, b = local_day(start), local_day(end)
        if b < a:
            a, b = b, a
        first = min(a + _ONE_DAY, b)
        return all(y in self.data.confirmed_years for y in range(first.year, b.year + 1))

    def next_workday(self, d: date) -> date:
        """``d`` itself if it is a working day, else the first working day after it."""
        while not self.is_workday(d):
            d += _ONE_DAY
        return d

    def add_workdays(self, start: DateLike, n: int) -> datetime:
        """End of the n-th working day after ``start``'s day (that day not counted).

        ``start=None`` means now. ``n=0`` gives the end of the start day itself.
        A start on a rest day simply counts from the following working days.
        Returns an aware UTC datetime (23:59:59.999999 Shanghai).
        """
        _check_n(n)
        d = local_day(start)
        remaining = n
        while remaining:
            d += _ONE_DAY
            if self.is_workday(d):
                remaining -= 1
        return end_of_day(d)

    def add_days(self, start: DateLike, n: int, roll_to_workday: bool = True) -> datetime:
        """End of natural day D+n, D being ``start``'s Shanghai day (``None`` = now).

        With ``roll_to_workday`` (default) a last day that is not a working day moves
        to the next working day. Returns an aware UTC datetime (23:59:59.999999 Shanghai).
        """
        _check_n(n)
        d = local_day(start) + timedelta(days=n)
        if roll_to_workday:
            d = self.next_workday(d)
        return end_of_day(d)

    def workdays_between(self, start: DateLike, end: DateLike) -> int:
        """Working days in the Shanghai days after ``start``'s day up to ``end``'s day.

        Same counting as :meth:`add_workdays` (first day not counted), so
        ``workdays_between(s, add_workdays(s, n)) == n``. Negative when ``end`` is
        before ``start`` (e.g. working days overdue). ``None`` means now.
        """
        a, b = local_day(start), local_day(end)
        sign = 1
        if b < a:
            a, b, sign = b, a, -1
        count = 0
        d = a
        while d < b:
            d += _ONE_DAY
            if self.is_workday(d):
                count += 1
        return sign * count


def _as_date(value: date) -> date:
    if isinstance(value, datetime):
        raise TypeError(f"extra holidays/workdays must be dates, got datetime {value!r}")
    if not isinstance(value, date):
        raise TypeError(f"extra holidays/workdays must be dates, got {type(value).__name__}")
    return value


def parse_dates(text: str, setting: str = "dates") -> list[date]:
    """Parse comma-separated ISO dates (blanks ignored); ValueError names the bad entry."""
    out = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        try:
            out.append(date.fromisoformat(part))
        except ValueError:
            raise ValueError(f"{setting}: {part!r} is not an ISO date (YYYY-MM-DD)") from None
    return out


_current: CalendarData | None = None


def use_data(data: CalendarData | None) -> None:
    """Make ``data`` the process-wide calendar data (``None``: the packaged calendar)."""
    global _current
    _current = data
    default_calendar.cache_clear()


def current_data() -> CalendarData:
    return _current if _current is not None else packaged_data()


@lru_cache(maxsize=1)
def default_calendar() -> WorkCalendar:
    """The office calendar: the current data with the settings' extras (cached; ``use_data`` refreshes it,
    ``default_calendar.cache_clear()`` rereads the settings)."""
    settings = get_settings()
    return WorkCalendar(
        extra_holidays=parse_dates(settings.extra_holidays, "extra_holidays"),
        extra_workdays=parse_dates(settings.extra_workdays, "extra_workdays"),
        data=current_data(),
    )
