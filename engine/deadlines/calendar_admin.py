"""Keeping the official calendar (admins): import a year's notice, set one day, show a year.

File format (``import_text``), either

* CSV, one day a line: ``date,kind,name`` (a header line ``date,kind,name`` and ``#`` comment lines
  allowed), e.g. ``2027-01-01,rest,元旦`` or ``2027-02-07,work,春节调休上班``; or
* JSON: ``{"year": 2027, "source": "国办发明电〔2026〕X号", "days": [{"date": "2027-01-01", "kind": "rest",
  "name": "元旦"}, …]}``.

``kind`` is ``rest`` (休, a day off, holidays and the weekend days of a holiday period) or ``work`` (班,
a Saturday or Sunday worked, 调休). Days not listed follow Monday–Friday. One file is one year: importing
replaces that year's days and marks it confirmed; a bad file changes nothing and the error names the
line (CSV) or entry (JSON). Entering days recomputes the open deadlines counted over them.
"""

import csv
import io
import json
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Connection

from engine.core import calendar as core
from engine.core.calendar import SHANGHAI
from engine.core.clock import now
from engine.core.errors import InvalidData
from engine.deadlines.calendar import CALENDAR, seed
from engine.deadlines.recompute import recompute_deadlines
from engine.store import calendar as store

KINDS = {"rest": "rest", "休": "rest", "work": "work", "班": "work"}
MAX_NAME = 100
MAX_SOURCE = 300
WEEKDAYS = "一二三四五六日"


def _day(text: str, where: str) -> date:
    try:
        return date.fromisoformat(str(text).strip())
    except ValueError:
        raise InvalidData(f"{where}：日期 {text!r} 不是 YYYY-MM-DD", {where: "date"}) from None


def _kind(text, where: str) -> str:
    kind = KINDS.get(str(text).strip().lower()) if text is not None else None
    if kind is None:
        raise InvalidData(f"{where}：类型 {text!r} 应为 rest（休）或 work（班）", {where: "kind"})
    return kind


def _check_day(day: date, kind: str, where: str) -> None:
    if kind == "work" and day.weekday() < 5:
        raise InvalidData(f"{where}：{day} 是星期{WEEKDAYS[day.weekday()]}，调休上班日应为周六或周日",
                          {where: "work day on a weekday"})


def _rows_csv(text: str) -> list[tuple[date, str, str | None, str]]:
    out, first = [], True
    for n, cells in enumerate(csv.reader(io.StringIO(text)), start=1):
        where = f"第 {n} 行"
        if not cells or not "".join(cells).strip() or cells[0].lstrip().startswith("#"):
            continue
        header, first = first and cells[0].strip().lower() == "date", False
        if header:
            continue
        if len(cells) < 2 or len(cells) > 3:
            raise InvalidData(f"{where}：应为 date,kind,name 三列", {where: "columns"})
        name = cells[2].strip() if len(cells) == 3 and cells[2].strip() else None
        out.append((_day(cells[0], where), _kind(cells[1], where), name, where))
    return out


def _rows_json(doc) -> tuple[int | None, str | None, list]:
    if not isinstance(doc, dict) or not isinstance(doc.get("days"), list):
        raise InvalidData('JSON 文件应为 {"year": …, "source": …, "days": [...]}', {"days": "required"})
    year = doc.get("year")
    if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
        raise InvalidData("year 应为整数年份", {"year": "not a year"})
    source = doc.get("source")
    if source is not None and not isinstance(source, str):
        raise InvalidData("source 应为文字", {"source": "not text"})
    out = []
    for i, entry in enumerate(doc["days"]):
        where = f"days[{i}]"
        if not isinstance(entry, dict) or "date" not in entry or "kind" not in entry:
            raise InvalidData(f"{where}：应为 {{\"date\": …, \"kind\": …, \"name\": …}}", {where: "entry"})
        name = entry.get("name")
        if name is not None and not isinstance(name, str):
            raise InvalidData(f"{where}：name 应为文字", {where: "name"})
        out.append((_day(entry["date"], where), _kind(entry["kind"], where), (name or "").strip() or None, where))
    return year, source, out


def parse(text: str) -> dict:
    """A calendar file → {"year", "source", "days": [(day, kind, name)]}; InvalidData names the bad line."""
    if not isinstance(text, str) or not text.strip():
        raise InvalidData("日历文件为空", {"file": "empty"})
    text = text.lstrip("\ufeff")
    if text.lstrip().startswith("{"):
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as err:
            raise InvalidData(f"JSON 格式错误：第 {err.lineno} 行第 {err.colno} 列：{err.msg}",
                              {"file": "json"}) from None
        year, source, rows = _rows_json(doc)
    else:
        year, source, rows = None, None, _rows_csv(text)
    if not rows:
        raise InvalidData("日历文件没有任何日期", {"file": "no days"})
    seen: dict[date, str] = {}
    for day, kind, name, where in rows:
        if year is None:
            year = day.year
        if day.year != year:
            raise InvalidData(f"{where}：{day} 不在 {year} 年（一个文件只录入一年）", {where: "other year"})
        if day in seen:
            raise InvalidData(f"{where}：{day} 与 {seen[day]} 重复", {where: "duplicate"})
        seen[day] = where
        _check_day(day, kind, where)
        if name is not None and len(name) > MAX_NAME:
            raise InvalidData(f"{where}：名称过长（最多 {MAX_NAME} 字）", {where: "name too long"})
    if not 1949 <= year <= 2200:
        raise InvalidData(f"年份 {year} 超出范围", {"year": "out of range"})
    if not any(kind == "rest" for _, kind, _, _ in rows):
        raise InvalidData(f"{year} 年的文件没有任何休息日（rest）", {"file": "no rest day"})
    if source is not None and len(source) > MAX_SOURCE:
        raise InvalidData("source 过长", {"source": "too long"})
    return {"year": year, "source": source, "days": [(d, k, n) for d, k, n, _ in rows]}


def _year_span(year: int) -> tuple[datetime, datetime]:
    start = datetime.combine(date(year, 1, 1), time.min, SHANGHAI).astimezone(UTC)
    end = datetime.combine(date(year + 1, 1, 1), time.min, SHANGHAI).astimezone(UTC)
    return start, end


def _recompute(conn: Connection, start: datetime, end: datetime, actor: str, reason: str, at: datetime) -> int:
    CALENDAR.refresh(conn)
    rows = store.open_deadlines_touching(conn, start, end)
    return recompute_deadlines(conn, rows, actor=actor, reason=reason, at=at)


def import_text(conn: Connection, text: str, *, actor: str, source: str | None = None) -> dict:
    """Enter a year's calendar from a file's text (see the module docstring); the year becomes confirmed."""
    parsed = parse(text)
    year, at = parsed["year"], now()
    src = (source or parsed["source"] or "").strip() or None
    if src is not None and len(src) > MAX_SOURCE:
        raise InvalidData("source 过长", {"source": "too long"})
    seed(conn)  # the packaged years first, so entering one year never hides the others
    rows = [{"day": d, "kind": k, "name": n, "source": src, "updated_by": actor, "updated_at": at}
            for d, k, n in parsed["days"]]
    store.replace_year(conn, year, rows, src, actor, at)
    changed = _recompute(conn, *_year_span(year), actor, f"calendar {year} entered", at)
    return {"year": year, "source": src, "rest_days": sum(1 for r in rows if r["kind"] == "rest"),
            "work_days": sum(1 for r in rows if r["kind"] == "work"), "recomputed": changed}


def set_day(conn: Connection, day: date, kind: str, *, actor: str, name: str | None = None,
            source: str | None = None) -> dict:
    """Set one day to rest or work (``normal``: back to Monday–Friday); recomputes the deadlines over it.
    The day's year stays as confirmed (or not) as it was."""
    if not isinstance(day, date) or isinstance(day, datetime):
        raise InvalidData("日期应为 YYYY-MM-DD", {"date": "date"})
    if kind not in ("rest", "work", "normal"):
        raise InvalidData("类型应为 rest、work 或 normal", {"kind": "unknown"})
    if kind == "work":
        _check_day(day, kind, "date")
    if kind == "normal" and name:
        raise InvalidData("normal 日期不带名称", {"name": "not allowed"})
    if name is not None and len(name) > MAX_NAME:
        raise InvalidData(f"名称过长（最多 {MAX_NAME} 字）", {"name": "too long"})
    at = now()
    seed(conn)
    store.set_day(conn, day, None if kind == "normal" else kind, (name or "").strip() or None, source, actor, at)
    start = datetime.combine(day, time.min, SHANGHAI).astimezone(UTC)
    changed = _recompute(conn, start, start + timedelta(days=1), actor, f"calendar {day} set {kind}", at)
    return {"date": day, "kind": kind, "name": name, "recomputed": changed,
            "year_confirmed": CALENDAR.get(conn).year_confirmed(day.year)}


def show_year(conn: Connection, year: int) -> dict:
    """A year's rest and 调休 days, whether it is confirmed and from what source."""
    if not isinstance(year, int) or not 1949 <= year <= 2200:
        raise InvalidData("年份超出范围", {"year": "out of range"})
    row = store.year_row(conn, year)
    days = [(r.day, r.kind, r.name, r.source) for r in store.days_of_year(conn, year)]
    origin = "database"
    p = core.packaged()
    if row is None and not days and year in p.years:
        days = [(d, k, n, p.source) for d, k, n in p.days if d.year == year]
        row, origin = None, "packaged"
    confirmed = row is not None or origin == "packaged"
    return {
        "year": year, "confirmed": confirmed, "origin": origin,
        "source": row.source if row else (p.source if origin == "packaged" else None),
        "entered_by": row.entered_by if row else None, "entered_at": row.entered_at if row else None,
        "days": [{"date": d, "kind": k, "name": n, "weekday": d.isoweekday(), "source": s} for d, k, n, s in days],
    }
