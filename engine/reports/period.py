"""Report periods: a calendar year, a quarter, the year to date or any from/to range, with the report's label."""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from engine.core.calendar import local_day
from engine.core.errors import InvalidData

FIRST_YEAR, LAST_YEAR = 1949, 2999
_QUARTER_STARTS = {1: 1, 2: 4, 3: 7, 4: 10}
_PERIOD = re.compile(r"^(\d{4})(?:[Qq]([1-4]))?$")


@dataclass(frozen=True)
class Period:
    start: date  # first day counted (受理日期 from)
    end: date  # last day counted, inclusive

    @property
    def year(self) -> int | None:
        """The year of a whole calendar year, else None."""
        s, e = self.start, self.end
        return s.year if (s.month, s.day, e.month, e.day) == (1, 1, 12, 31) and s.year == e.year else None

    @property
    def quarter(self) -> int | None:
        s, e = self.start, self.end
        for q, month in _QUARTER_STARTS.items():
            if s == date(s.year, month, 1) and e == _quarter_end(s.year, q):
                return q
        return None

    @property
    def label(self) -> str:
        """2026年 · 2026年第4季度 · 2026年1月1日至12月5日 · 2025年11月1日至2026年1月31日."""
        if self.year is not None:
            return f"{self.year}年"
        if self.quarter is not None:
            return f"{self.start.year}年第{self.quarter}季度"
        s, e = self.start, self.end
        end = f"{e.month}月{e.day}日" if s.year == e.year else f"{e.year}年{e.month}月{e.day}日"
        return f"{s.year}年{s.month}月{s.day}日至{end}"

    def as_dict(self) -> dict:
        return {"from": self.start.isoformat(), "to": self.end.isoformat(), "label": self.label}


def _quarter_end(year: int, quarter: int) -> date:
    return (date(year + 1, 1, 1) if quarter == 4 else date(year, _QUARTER_STARTS[quarter + 1], 1)) - timedelta(days=1)


def _year_ok(year: int, field: str) -> None:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidData(f"年份须在{FIRST_YEAR}至{LAST_YEAR}之间", {field: f"年份{year}超出范围"})


def year_period(year: int) -> Period:
    _year_ok(year, "year")
    return Period(date(year, 1, 1), date(year, 12, 31))


def parse_period(text: str, today: date | None = None) -> Period:
    """``2026`` (a year), ``2026Q4`` (a quarter) or ``ytd`` (1 January to today, Asia/Shanghai)."""
    value = (text or "").strip()
    if value.lower() == "ytd":
        day = today or local_day(None)
        return Period(date(day.year, 1, 1), day)
    m = _PERIOD.match(value)
    if not m:
        raise InvalidData(f"无法识别的统计期间“{value}”：应为年份（2026）、季度（2026Q4）或 ytd（本年至今），"
                          "或给出开始和结束日期",
                          {"period": f"无法识别的统计期间：{value or '（空）'}"})
    year = int(m.group(1))
    _year_ok(year, "period")
    if m.group(2) is None:
        return Period(date(year, 1, 1), date(year, 12, 31))
    q = int(m.group(2))
    return Period(date(year, _QUARTER_STARTS[q], 1), _quarter_end(year, q))


def _day(value, field: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise InvalidData("日期格式不正确，应为 YYYY-MM-DD", {field: f"不是有效日期：{value}"}) from None


def range_period(start, end) -> Period:
    """A custom period from ``start`` to ``end`` (both days counted); ISO date strings or dates."""
    s, e = _day(start, "from"), _day(end, "to")
    _year_ok(s.year, "from")
    _year_ok(e.year, "to")
    if e < s:
        raise InvalidData("统计期间的结束日期早于开始日期", {"to": f"{e.isoformat()} 早于开始日期 {s.isoformat()}"})
    return Period(s, e)


def choose_period(period: str | None = None, start=None, end=None, year: int | None = None,
                  today: date | None = None) -> Period:
    """Exactly one way of naming the period: ``period``, ``from`` and ``to`` together, or ``year``."""
    given = [name for name, v in (("period", period), ("from", start), ("to", end), ("year", year)) if v is not None]
    if (start is None) != (end is None):
        missing = "to" if end is None else "from"
        raise InvalidData("自定义统计期间须同时给出开始日期和结束日期", {missing: "缺少此日期"})
    ways = sum(1 for v in (period, start, year) if v is not None)
    if ways != 1:
        field = given[-1] if given else "period"
        raise InvalidData("请只用一种方式指定统计期间：period、from/to 或 year",
                          {field: "未指定统计期间" if not given else "与其他期间参数同时给出"})
    if period is not None:
        return parse_period(period, today)
    if year is not None:
        return year_period(year)
    return range_period(start, end)
