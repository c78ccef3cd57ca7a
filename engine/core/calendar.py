"""Deadline arithmetic in natural days (自然日) and working days (工作日).

Rules (docs: /work/shared/domain.md, "Deadlines"):

* The first day is not counted: a 15-day limit starting on day D ends at the end of D+15.
* Working days follow the official Chinese calendar, including 调休 make-up workdays,
  via the ``chinese_calendar`` package. For a year the package does not cover we fall
  back to Monday–Friday and log one warning per year on logger ``tiaojie.workdays``.
* A natural-day deadline whose last day is not a working day (weekend or public
  holiday, as courts read 法定休假日) moves to the next working day. This is marked
  "verify" in the domain notes, so it is a flag (``roll_to_workday``), on by default.
* The office can add holidays / workdays (settings ``extra_holidays`` /
  ``extra_workdays``); they win over the package and the fallback.

Time handling:

* Inputs: an aware ``datetime`` (any zone), a naive ``datetime`` (taken as UTC), a
  ``date`` (a Shanghai calendar day), or ``None`` (now).
* The day boundary is Asia/Shanghai midnight.
* Outputs are aware UTC datetimes marking the *inclusive end* of the deadline day:
  23:59:59.999999 Shanghai time (15:59:59.999999 UTC). A case is overdue iff
  ``now > deadline``; converting the result back to Shanghai gives the right day.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from functools import cache, lru_cache
from zoneinfo import ZoneInfo

import chinese_calendar

from engine.core.clock import now
from engine.core.settings import get_settings

log = logging.getLogger("tiaojie.workdays")

SHANGHAI = ZoneInfo("Asia/Shanghai")
_END_OF_DAY = time(23, 59, 59, 999999)
_ONE_DAY = timedelta(days=1)

DateLike = datetime | date | None

_warned_years: set[int] = set()
_warn_lock = threading.Lock()


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


@cache
def _package_covers(year: int) -> bool:
    """Whether chinese_calendar has data for ``year`` (its check is per year)."""
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return False
    return True


def _warn_fallback(year: int) -> None:
    with _warn_lock:
        if year in _warned_years:
            return
        _warned_years.add(year)
    log.warning(
        "chinese_calendar has no holiday data for %d; counting Monday-Friday as working days. "
        "Upgrade chinesecalendar or set TIAOJIE_EXTRA_HOLIDAYS / TIAOJIE_EXTRA_WORKDAYS.",
        year,
    )


def _check_n(n: int) -> None:
    if not isinstance(n, int) or isinstance(n, bool):
        raise TypeError(f"day count must be an int, got {type(n).__name__}")
    if n < 0:
        raise ValueError(f"day count must be zero or positive, got {n}")


class WorkCalendar:
    """Working-day calendar: chinese_calendar plus office-configured exceptions."""

    def __init__(self, extra_holidays: Iterable[date] = (), extra_workdays: Iterable[date] = ()):
        self.extra_holidays = frozenset(_as_date(d) for d in extra_holidays)
        self.extra_workdays = frozenset(_as_date(d) for d in extra_workdays)
        both = self.extra_holidays & self.extra_workdays
        if both:
            listed = ", ".join(sorted(d.isoformat() for d in both))
            raise ValueError(f"dates configured as both extra holiday and extra workday: {listed}")

    def __repr__(self) -> str:
        return (
            f"WorkCalendar(extra_holidays={len(self.extra_holidays)}, "
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
        if _package_covers(d.year):
            return chinese_calendar.is_workday(d)
        _warn_fallback(d.year)
        return d.weekday() < 5

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


@lru_cache(maxsize=1)
def default_calendar() -> WorkCalendar:
    """The office calendar from settings (cached; call ``default_calendar.cache_clear()``)."""
    settings = get_settings()
    return WorkCalendar(
        extra_holidays=parse_dates(settings.extra_holidays, "extra_holidays"),
        extra_workdays=parse_dates(settings.extra_workdays, "extra_workdays"),
    )
