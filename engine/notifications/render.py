"""Render an email from its template: subject, plain text and HTML in the recipient's language.

Templates live in ``templates/`` as ``{name}.{locale}.txt`` (which also sets ``subject``) and
``{name}.{locale}.html`` (autoescaped). Times are shown in Asia/Shanghai. Every rendered text
goes through ``engine.core.logmask.mask_text`` last, so no full ID number or phone can leave.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader

from engine.core.logmask import mask_text
from engine.core.settings import get_settings
from engine.notifications.outbox import TEMPLATES

SHANGHAI = ZoneInfo("Asia/Shanghai")
LOCALES = ("zh-CN", "en")
_DIR = Path(__file__).parent / "templates"
_HTML = Environment(loader=FileSystemLoader(_DIR), autoescape=True, trim_blocks=True, lstrip_blocks=True)
_TEXT = Environment(loader=FileSystemLoader(_DIR), autoescape=False, trim_blocks=True, lstrip_blocks=True)
_UNITS = ((86400, "天", "day"), (3600, "小时", "hour"), (60, "分钟", "minute"))


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def locale_of(value: str | None) -> str:
    """zh-CN unless the user prefers English."""
    return "en" if value and value.lower().startswith("en") else "zh-CN"


def duration(seconds: float | int | None, locale: str = "zh-CN") -> str:
    """The two largest units: 2天3小时 / 2 days 3 hours; under a minute: 不足1分钟."""
    rest = max(0, int(seconds or 0))
    counts = []
    for size, zh, en in _UNITS:
        n, rest = divmod(rest, size)
        counts.append((n, zh, en))
    first = next((i for i, (n, _, _) in enumerate(counts) if n), None)
    if first is None:
        return "不足1分钟" if locale == "zh-CN" else "less than a minute"
    shown = [c for c in counts[first:first + 2] if c[0]]
    if locale == "zh-CN":
        return "".join(f"{n}{zh}" for n, zh, _ in shown)
    return " ".join(f"{n} {en}{'' if n == 1 else 's'}" for n, _, en in shown)


def local_time(value: str | datetime | None, locale: str = "zh-CN") -> str:
    """An ISO time as Shanghai wall time: 2026年1月26日 10:00 / 2026-01-26 10:00 (UTC+8)."""
    if not value:
        return "—"
    dt = datetime.fromisoformat(value) if isinstance(value, str) else value
    dt = (dt if dt.tzinfo else dt.replace(tzinfo=UTC)).astimezone(SHANGHAI)
    if locale == "zh-CN":
        return f"{dt.year}年{dt.month}月{dt.day}日 {dt:%H:%M}"
    return f"{dt:%Y-%m-%d %H:%M} (UTC+8)"


def case_link(case_id) -> str:
    base = (get_settings().base_url or "http://127.0.0.1:8000").rstrip("/")
    return f"{base}/cases/{case_id}"


def _values(context: dict, locale: str) -> dict:
    v = dict(context)
    if v.get("case_id") is not None:
        v["link"] = case_link(v["case_id"])
    v["due_local"] = local_time(v.get("due_at"), locale)
    if v.get("seconds_left") is not None:
        v["left"] = duration(v["seconds_left"], locale)
    if v.get("seconds_late") is not None:
        v["late"] = duration(v["seconds_late"], locale)
    as_of = datetime.fromisoformat(v["as_of"]) if v.get("as_of") else None
    items = []
    for t in v.get("tasks") or []:
        item = dict(t, link=case_link(t.get("case_id")), due_local=local_time(t.get("due_at"), locale))
        if as_of is not None and t.get("due_at"):
            gap = (datetime.fromisoformat(t["due_at"]) - as_of).total_seconds()
            item["overdue"] = gap < 0
            item["span"] = duration(abs(gap), locale)
        items.append(item)
    v["tasks"] = items
    v["overdue_tasks"] = [t for t in items if t.get("overdue")]
    v["soon_tasks"] = [t for t in items if not t.get("overdue")]
    v["base_url"] = (get_settings().base_url or "http://127.0.0.1:8000").rstrip("/")
    return v


def render(template: str, context: dict, locale: str | None) -> Rendered:
    """Subject, text and HTML of ``template`` for ``context`` in ``locale`` (zh-CN or en)."""
    if template not in TEMPLATES:
        raise ValueError(f"unknown email template {template!r}")
    loc = locale_of(locale)
    values = _values(context, loc)
    module = _TEXT.get_template(f"{template}.{loc}.txt").make_module(values)
    subject = " ".join(str(getattr(module, "subject", "")).split())
    text = str(module).strip() + "\n"
    html = _HTML.get_template(f"{template}.{loc}.html").render(values)
    return Rendered(mask_text(subject), mask_text(text), mask_text(html))
