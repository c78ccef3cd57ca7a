"""From a template and a context to the paper: HTML (sandboxed Jinja2), PDF (WeasyPrint, A4, CJK fonts embedded)
and DOCX (python-docx, editable in Word/WPS).

Templates come from supervisors, so they render in Jinja's sandbox with undefined names as errors, and the PDF
renderer fetches nothing: no file, no network, only ``data:`` URLs.
"""

from functools import lru_cache
from pathlib import Path

TEMPLATES = Path(__file__).parent / "templates"


class TemplateError(Exception):
    """The template cannot be rendered with this context (syntax, unknown name, sandbox refusal)."""


@lru_cache(maxsize=1)
def _env():
    """The sandboxed environment (``engine.documents.jinja_env``) with the papers' filters."""
    from engine.documents.jinja_env import make_env

    return make_env({"cn_date": cn_date, "after_days": after_days})


def cn_date(value) -> str:
    """``2026-12-05`` (or a date) as ``2026年12月5日``; anything else as it is, None as ""."""
    import re
    from datetime import date

    if value is None:
        return ""
    if isinstance(value, date):
        return f"{value.year}年{value.month}月{value.day}日"
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?", str(value).strip())
    return f"{m[1]}年{int(m[2])}月{int(m[3])}日" if m else str(value)


def after_days(value, days: int) -> str:
    """The date ``days`` natural days after ``value`` (an ISO date), as ``2026年12月5日``; "" if not a date.
    A period counted in days starts the day after (民法典 第201条), so its last day is ``value`` + ``days``."""
    from datetime import date, timedelta

    try:
        start = value if isinstance(value, date) else date.fromisoformat(str(value).strip()[:10])
        return cn_date(start + timedelta(days=int(days)))
    except (TypeError, ValueError, OverflowError):
        return ""


def default_template(kind: str) -> str:
    """The packaged template of a kind (``templates/<kind>.html``)."""
    return (TEMPLATES / f"{kind}.html").read_text(encoding="utf-8")


def base_css() -> str:
    return (TEMPLATES / "base.css").read_text(encoding="utf-8")


def render_html(template_text: str, context: dict) -> str:
    """The template rendered; ``TemplateError`` with the reason if it cannot be."""
    try:
        from engine.documents.jinja_env import render

        body = render(_env(), template_text, context)
    except Exception as e:  # noqa: BLE001 - a supervisor's template may fail in any way: syntax, names, 1/0 …
        raise TemplateError(f"{type(e).__name__}: {e}" if not str(e) else str(e)) from e
    return body


def no_fetch():
    """A WeasyPrint URL fetcher that refuses every URL but ``data:`` (no file, no network)."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols=("data",), allow_redirects=False, timeout=1)


def html_to_pdf(html: str) -> bytes:
    """PDF bytes (A4, fonts embedded). Needs pango and the Noto CJK fonts (scripts/system-deps)."""
    from weasyprint import CSS, HTML

    fetcher = no_fetch()
    return HTML(string=html, url_fetcher=fetcher).write_pdf(stylesheets=[CSS(string=base_css(),
                                                                             url_fetcher=fetcher)])


def html_to_docx(html: str) -> bytes:
    """An editable DOCX of the rendered HTML (see ``engine.documents.docx_out``)."""
    from engine.documents.docx_out import html_to_docx as convert

    return convert(html)
