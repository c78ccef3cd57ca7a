"""The official calendar from the database: loaded into ``engine.core.calendar`` with a short cache, seeded
from the packaged calendar, and its status (which years are confirmed; the banner for supervisors).

A year's data is the database's once the database has that year (a ``calendar_years`` row or any day row),
else the packaged calendar's: a database never seeded still counts 2004–2026 right. Each process rereads
the tables at most every ``CALENDAR_CACHE_SECONDS``, so an admin's edit is in force everywhere within
seconds; callers without a connection use ``engine.core.calendar.default_calendar()``, which the load
refreshes.
"""

import threading
import time
from datetime import date, datetime

from sqlalchemy import Connection

from engine.core import calendar as core
from engine.core.calendar import CalendarData, WorkCalendar, local_day
from engine.core.clock import now
from engine.store import calendar as store

CALENDAR_CACHE_SECONDS = 10.0
PACKAGED_SOURCE = "国务院办公厅通知（随软件发布）"
BANNER_FROM = (11, 1)  # from 1 November, next year's missing calendar is announced


def load(conn: Connection) -> CalendarData:
    """The calendar data: the database's years over the packaged ones."""
    days = store.all_days(conn)
    entered = {r.year for r in store.years(conn)}
    in_db = entered | {d.year for d, _ in days}
    p = core.packaged()
    pairs = [(d, k) for d, k in days] + [(d, k) for d, k, _ in p.days if d.year not in in_db]
    return CalendarData.from_days(pairs, entered | {y for y in p.years if y not in in_db})


class _CalendarCache:
    def __init__(self):
        self._lock = threading.Lock()
        self._loaded_at = -1e9

    def get(self, conn: Connection) -> WorkCalendar:
        """The process-wide calendar, reloaded from ``conn`` when older than ``CALENDAR_CACHE_SECONDS``."""
        if time.monotonic() - self._loaded_at > CALENDAR_CACHE_SECONDS:
            self.refresh(conn)
        return core.default_calendar()

    def refresh(self, conn: Connection) -> WorkCalendar:
        """Reload now (after an edit in this transaction)."""
        data = load(conn)
        with self._lock:
            core.use_data(data)
            self._loaded_at = time.monotonic()
        return core.default_calendar()

    def clear(self) -> None:
        with self._lock:
            self._loaded_at = -1e9


CALENDAR = _CalendarCache()


def calendar(conn: Connection) -> WorkCalendar:
    """The office calendar as the database has it (cached for a few seconds)."""
    return CALENDAR.get(conn)


def seed(conn: Connection, actor: str = "seed") -> int:
    """Add the packaged years the database does not have yet (days and a confirmed-year row each);
    years already there, entered or edited by an admin, are left alone. Returns the days added."""
    in_db = {r.year for r in store.years(conn)} | store.years_with_days(conn)
    p = core.packaged()
    at = now()
    missing = [y for y in p.years if y not in in_db]
    if not missing:
        return 0
    rows = [{"day": d, "kind": kind, "name": name, "source": p.source, "updated_by": actor, "updated_at": at}
            for d, kind, name in p.days if d.year in missing]
    store.add_missing_days(conn, rows)
    store.add_missing_years(conn, [{"year": y, "source": p.source, "entered_by": actor, "entered_at": at}
                                   for y in missing])
    CALENDAR.refresh(conn)
    return len(rows)


def banner_year(cal: WorkCalendar, today: date) -> int | None:
    """The year a supervisor is warned about: this year if not confirmed, next year from 1 November."""
    if not cal.year_confirmed(today.year):
        return today.year
    if (today.month, today.day) >= BANNER_FROM and not cal.year_confirmed(today.year + 1):
        return today.year + 1
    return None


def banner_text(year: int, lang: str = "zh") -> str:
    if lang == "en":
        return (f"The {year} public holiday calendar is not entered yet; deadlines in {year} "
                f"count Monday–Friday provisionally.")
    return f"{year} 年节假日安排尚未录入，涉及 {year} 年的期限按周一至周五暂算"


def status(conn: Connection, at: datetime | None = None, *, counts: bool = True) -> dict:
    """Which years are confirmed, and the banner (if any) for supervisors and admins."""
    today = local_day(at or now())
    cal = calendar(conn)
    year = banner_year(cal, today)
    out = {
        "today": today,
        "confirmed_years": sorted(cal.data.confirmed_years),
        "this_year": today.year,
        "this_year_confirmed": cal.year_confirmed(today.year),
        "next_year": today.year + 1,
        "next_year_confirmed": cal.year_confirmed(today.year + 1),
        "banner_year": year,
        "banner": banner_text(year) if year is not None else None,
    }
    if counts:
        out["unconfirmed_deadlines"] = store.count_unconfirmed_open(conn)
    return out


def unconfirmed_tasks(conn: Connection, task_ids: list[str]) -> set[str]:
    """Of ``task_ids``, those whose open deadlines were counted over a year not confirmed."""
    return store.unconfirmed_tasks(conn, task_ids)
