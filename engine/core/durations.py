"""Durations written the office's way ("20 个工作日", "30 日", "48 小时") or as plain ISO 8601.

Pure parsing and arithmetic, no database: used by the BPMN timer rewrite (engine.spiff.compiler),
model validation (engine.validation), the sandbox function ``due()`` and the SLA rules.

Office forms (spaces optional, full-width digits accepted, small Chinese numerals accepted)::

    20 个工作日 · 20个工作日 · 20 工作日 · 五个工作日      -> (20, "workdays")
    30 日 · 30日 · 30 天 · 30 个自然日 · 三十日 · 2 周      -> (30, "natural")   (周 = 7 日)
    48 小时 · 48小时 · 48 个小时                            -> (48, "hours")
    3 个月 · 1 年                                           -> (3, "months") / (12, "months")

Counting (the law's way, see engine.core.calendar): the first day is not counted; a natural-day or
month limit ending on a rest day moves to the next working day; 工作日 follow the official calendar;
hours stay hours. Months end on the same day number of the target month (the month's last day when it
has no such day, 民法典 第202条), then rolled to a working day. SLA rules count only in natural days,
working days and hours; months are for BPMN timers.

BPMN timers written these ways are rewritten for SpiffWorkflow by ``engine.core.timer_text``.

ISO 8601 (for timers; copied to SpiffWorkflow unchanged): durations ``P30D`` ``PT48H`` ``P1Y2M``
``P2W``, cycles ``R3/PT10M`` ``R/P7D`` ``R2/2027-01-10T09:00:00+08:00/P1D``, date-times
``2027-01-10T09:00:00+08:00`` (a date-time without a zone is read as Shanghai time).
"""

from __future__ import annotations

import calendar as _monthcal
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from engine.core.calendar import SHANGHAI, WorkCalendar, default_calendar, end_of_day, local_day

CLOCKS = ("natural", "workdays", "hours", "months")
UNIT_TEXT = {"natural": "日", "workdays": "个工作日", "hours": "小时", "months": "个月"}
UNIT_EN = {"natural": "days", "workdays": "working days", "hours": "hours", "months": "months"}
MAX_AMOUNT = {"natural": 3660, "workdays": 2500, "hours": 87840, "months": 120}



# Why a duration cannot be read: key -> (Chinese, English); ``{x}`` is the text as written.
MESSAGES = {
    "unknown": ("无法识别的期限：{x}（请写成如“20 个工作日”“30 日”“48 小时”，或 ISO 8601 如 P30D、R3/P1D）",
                "unrecognised duration: {x} (write e.g. 20 个工作日, 30 日, 48 小时, or ISO 8601 such as P30D, R3/P1D)"),
    "zero": ("期限必须大于零：{x}", "a duration must be more than zero: {x}"),
    "too_long": ("期限过长：{x}", "duration too long: {x}"),
    "no_clock": ("期限 {x} 缺少计时方式（自然日、工作日或小时）", "duration {x} needs a clock (natural, workdays or hours)"),
    "rule_clock": ("规则期限只能按日、工作日或小时计算：{x}", "a rule's limit counts in days, working days or hours: {x}"),
    "clock_mismatch": ("期限“{x}”与计时方式 {clock} 不一致", "duration {x} does not match clock {clock}"),
    "start": ("无法识别的起算日期：{x}", "unrecognised start date: {x}"),
    "not_duration": ("不是期限：{x}", "not a duration: {x}"),
    "wrong_kind": ("需要{want_zh}，而“{x}”是{kind_zh}", "needs a {want}, but {x} is a {kind}"),
    "cycle": ("循环定时器请写成 ISO 8601 循环，如 R3/P1D：{x}",
              "a cycle timer is written as an ISO 8601 cycle such as R3/P1D: {x}"),
    "date_in_duration": ("{fn}() 得出的是日期时间，不能写在 {part}（时长或循环）中：{x}（请改为日期定时器，或写成如“20 个工作日”）",
                         "{fn}() gives a date-time, which cannot go in {part} (a duration or cycle): {x} (use a date "
                         "timer, or write e.g. 20 个工作日)"),
    "duration_in_date": ("{fn}() 得出的是时长，不能写在 timeDate（日期时间）中：{x}（请写成如“20 个工作日”或 due(\"20 个工作日\")）",
                         "{fn}() gives a duration, which cannot go in timeDate (a date-time): {x} (write e.g. "
                         "20 个工作日 or due(\"20 个工作日\"))"),
}
KIND_ZH = {"date": "日期时间", "duration": "时长", "cycle": "循环"}


class DurationError(ValueError):
    """A duration that cannot be read: ``str(err)``/``err.zh`` Chinese, ``err.en`` English, ``err.text`` the input."""

    def __init__(self, text: str, key: str = "unknown", **args):
        self.text, self.key = text, key
        zh, en = MESSAGES[key]
        self.zh = zh.format(x=text, **args)
        self.en = en.format(x=text, **args)
        super().__init__(self.zh)


def _reason_patterns() -> list[tuple[re.Pattern, str]]:
    out = []
    for zh, en in MESSAGES.values():
        pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>.*?)", re.escape(en))
        out.append((re.compile(f"^{pattern}$", re.S), zh))
    return out


def reason_zh(en: str) -> str:
    """The Chinese text of an English duration reason (``DurationError.en``); unknown: unchanged."""
    for pattern, zh in _REASONS:
        m = pattern.match(en)
        if m:
            g = m.groupdict()
            if "want" in g:
                g["want_zh"], g["kind_zh"] = KIND_ZH.get(g["want"], g["want"]), KIND_ZH.get(g["kind"], g["kind"])
            return zh.format(**g)
    return en


_REASONS = _reason_patterns()


@dataclass(frozen=True)
class Duration:
    """A limit in office units: ``amount`` of ``clock`` (natural | workdays | hours | months)."""

    amount: int
    clock: str

    @property
    def text(self) -> str:
        """The office's way of writing it: "20 个工作日", "30 日", "48 小时", "3 个月"."""
        return limit_text(self.amount, self.clock)


@dataclass(frozen=True)
class IsoTimer:
    """An ISO 8601 timer value: ``kind`` is duration | cycle | date; ``text`` is what Spiff is given."""

    kind: str
    text: str


# --- numbers --------------------------------------------------------------------------------------

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
              "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def chinese_number(text: str) -> int:
    """A small Chinese numeral ("十五", "三十", "一百二十", "两") as an int; ValueError otherwise."""
    if not text or any(c not in _CN_DIGITS and c not in _CN_UNITS for c in text):
        raise ValueError(text)
    total, digit, last_unit = 0, None, 10_000
    for c in text:
        if c in _CN_DIGITS:
            if digit is not None:  # "三五": two digits in a row
                raise ValueError(text)
            digit = _CN_DIGITS[c]
        else:
            unit = _CN_UNITS[c]
            if unit >= last_unit:
                raise ValueError(text)
            total += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
    return total + (digit or 0)


# --- office forms ---------------------------------------------------------------------------------

_UNITS = [
    (("个工作日", "工作日"), "workdays", 1),
    (("个自然日", "自然日", "日", "天"), "natural", 1),
    (("个星期", "星期", "周"), "natural", 7),
    (("个小时", "小时", "钟头", "个钟头"), "hours", 1),
    (("个月",), "months", 1),
    (("年",), "months", 12),
]
_OFFICE = re.compile(r"^(?P<n>[0-9]+|[零〇一二两三四五六七八九十百千]+)(?P<unit>[^0-9零〇一二两三四五六七八九十百千]+)$")


def normal(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or ""))


def parse_office(text: str) -> Duration:
    """An office-way duration; DurationError ("无法识别的期限：…") for anything else."""
    raw = (text or "").strip()
    m = _OFFICE.match(normal(raw))
    if not m:
        raise DurationError(raw)
    n = m["n"]
    try:
        amount = int(n) if n.isdigit() else chinese_number(n)
    except ValueError:
        raise DurationError(raw) from None
    unit = m["unit"].removesuffix("内")  # "15 日内"
    for words, clock, factor in _UNITS:
        if unit in words:
            return _checked(raw, amount * factor, clock)
    raise DurationError(raw)


def _checked(raw: str, amount: int, clock: str) -> Duration:
    if amount < 1:
        raise DurationError(raw, "zero")
    if amount > MAX_AMOUNT[clock]:
        raise DurationError(raw, "too_long")
    return Duration(amount, clock)


def limit_text(amount: int, clock: str) -> str:
    """"20 个工作日", "30 日", "48 小时", "3 个月" (the office's way) for ``amount`` of ``clock``."""
    return f"{amount} {UNIT_TEXT.get(clock, clock)}"


# --- ISO 8601 -------------------------------------------------------------------------------------

_ISO_DURATION = re.compile(
    r"^P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(?:[.,]\d+)?S)?)?$"
)
# looks like an attempt at ISO 8601: refused with a clear message when it does not parse
ISO_LIKE = re.compile(r"^(R\d*/|P\d|PT\d|\d{4}-\d)", re.I)


def _iso_datetime(text: str) -> str | None:
    """``text`` as an ISO date-time with a zone (Shanghai when none is written), or None."""
    if not re.match(r"^\d{4}-\d\d-\d\d", text):
        return None
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=SHANGHAI)
    return dt.isoformat()


def parse_iso(text: str) -> IsoTimer | None:
    """An ISO 8601 duration, cycle or date-time (normalised), or None when ``text`` is none of them."""
    t = (text or "").strip()
    up = t.upper()
    if _ISO_DURATION.match(up):
        return IsoTimer("duration", up)
    if up.startswith("R"):
        parts = up.split("/")
        if len(parts) in (2, 3) and re.fullmatch(r"R\d*", parts[0]):
            pieces = []
            for p in parts[1:]:
                if _ISO_DURATION.match(p):
                    pieces.append(("duration", p))
                elif (dt := _iso_datetime(p)) is not None:
                    pieces.append(("date", dt))
                else:
                    return None
            kinds = [k for k, _ in pieces]
            if kinds.count("duration") == 1 and (len(kinds) == 1 or "date" in kinds):
                return IsoTimer("cycle", "/".join([parts[0], *(v for _, v in pieces)]))
        return None
    dt = _iso_datetime(t)
    return IsoTimer("date", dt) if dt is not None else None


def parse(text: str) -> Duration | IsoTimer:
    """An office-way duration or an ISO 8601 value; DurationError otherwise."""
    iso = parse_iso(text)
    if iso is not None:
        return iso
    return parse_office(text)


def to_limit(value: str | int, clock: str | None = None) -> Duration:
    """A rule's limit from ``duration`` as the office writes it ("20 个工作日", "P30D", "PT48H") or a number
    with ``clock``; only natural days, working days and hours (DurationError otherwise)."""
    if isinstance(value, bool):
        raise DurationError(str(value))
    if isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit()):
        if clock is None:
            raise DurationError(str(value), "no_clock")
        return _checked(str(value), int(value), clock)
    raw = str(value).strip()
    iso = parse_iso(raw)
    if iso is not None:
        m = re.fullmatch(r"P(\d+)D|PT(\d+)H|P(\d+)W", iso.text) if iso.kind == "duration" else None
        if not m:
            raise DurationError(raw, "rule_clock")
        days, hours, weeks = m.groups()
        found = Duration(int(hours), "hours") if hours else Duration(int(days or 0) + 7 * int(weeks or 0), "natural")
    else:
        found = parse_office(raw)
    if found.clock == "months":
        raise DurationError(raw, "rule_clock")
    if clock is not None and clock != found.clock:
        raise DurationError(raw, "clock_mismatch", clock=clock)
    return _checked(raw, found.amount, found.clock)


# --- due times ------------------------------------------------------------------------------------


def start_instant(start: date | datetime | str | None) -> datetime:
    """An aware datetime for a clock start: a date (or ISO date string) is 00:00 Shanghai of that day."""
    if start is None:
        from engine.core.clock import now

        return now()
    if isinstance(start, str):
        s = start.strip()
        try:
            start = date.fromisoformat(s) if len(s) == 10 else datetime.fromisoformat(s)
        except ValueError:
            raise DurationError(s, "start") from None
    if isinstance(start, datetime):
        return start if start.tzinfo is not None else start.replace(tzinfo=UTC)
    if isinstance(start, date):
        return datetime.combine(start, time(0), tzinfo=SHANGHAI)
    raise DurationError(repr(start), "start")


def add_months(d: date, n: int) -> date:
    """Same day number ``n`` months after ``d`` (the month's last day when it is shorter)."""
    month0 = d.month - 1 + n
    year, month = d.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(d.day, _monthcal.monthrange(year, month)[1]))


def due_at(start: date | datetime | str | None, amount: int, clock: str, cal: WorkCalendar | None = None) -> datetime:
    """End of a limit counted the law's way from ``start`` (None = now), an aware UTC datetime."""
    begin = start_instant(start)
    if clock == "hours":
        return (begin + timedelta(hours=amount)).astimezone(UTC)
    cal = cal or default_calendar()
    if clock == "workdays":
        return cal.add_workdays(begin, amount)
    if clock == "natural":
        return cal.add_days(begin, amount)
    if clock == "months":
        return end_of_day(cal.next_workday(add_months(local_day(begin), amount)))
    raise DurationError(clock)


def due(duration: str | Duration, start: date | datetime | str | None = None,
        cal: WorkCalendar | None = None) -> datetime:
    """When ``duration`` (office way, or an ISO duration) from ``start`` (None = now) ends."""
    if isinstance(duration, Duration):
        return due_at(start, duration.amount, duration.clock, cal)
    iso = parse_iso(duration)
    if iso is None:
        d = parse_office(duration)
        return due_at(start, d.amount, d.clock, cal)
    if iso.kind != "duration":
        raise DurationError(duration, "not_duration")
    return (start_instant(start) + _iso_timedelta(iso.text, start_instant(start))).astimezone(UTC)


def _iso_timedelta(text: str, start: datetime) -> timedelta:
    m = _ISO_DURATION.match(text)
    years, months, weeks, days, _, hours, minutes, seconds = m.groups()
    num = lambda g: int(g[:-1]) if g else 0  # noqa: E731
    moved = start
    if years or months:
        local = start.astimezone(SHANGHAI)
        target = add_months(local.date(), 12 * num(years) + num(months))
        moved = datetime.combine(target, local.timetz())
    secs = float(seconds[:-1].replace(",", ".")) if seconds else 0.0
    return (moved - start) + timedelta(weeks=num(weeks), days=num(days), hours=num(hours), minutes=num(minutes),
                                      seconds=secs)
