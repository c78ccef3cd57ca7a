"""The report as HTML (Jinja2, inline SVG charts) and as PDF (WeasyPrint, Noto CJK fonts)."""

from functools import lru_cache
from pathlib import Path

from markupsafe import Markup

from engine.reports import charts
from engine.reports.render_md import (
    CONCLUSION_HEAD,
    NO_CLOCK_NOTE,
    clock_rows,
    conclusion_rows,
    scope,
    sections,
    sla_rows,
    tables,
    title,
)

TEMPLATES = Path(__file__).parent / "templates"


@lru_cache(maxsize=1)
def _template():
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))
    return env.get_template("annual.html")


def to_html(report: dict) -> str:
    figures = []
    for t, head, rows in tables(report):
        chart = charts.columns(t, rows) if t == "按月份" else charts.bars(t, rows)
        figures.append({"title": t, "head": head, "rows": rows, "chart": Markup(chart)})
    stages = sla_rows(report)
    return _template().render(title=title(report), scope=scope(report), sections=sections(report), tables=figures,
                              conclusion_head=CONCLUSION_HEAD, conclusion_rows=conclusion_rows(report),
                              no_clock_note=NO_CLOCK_NOTE, clock_rows=clock_rows(report),
                              sla_rows=stages, sla_chart=Markup(charts.sla("办理时限：按期与超期", stages)))  # the self-checks are beside the document, not in it


def to_pdf(report: dict) -> bytes:
    """PDF bytes. Needs pango and the Noto CJK fonts (scripts/system-deps installs them)."""
    from weasyprint import HTML

    return HTML(string=to_html(report), base_url=str(TEMPLATES)).write_pdf()
