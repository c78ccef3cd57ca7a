"""From a template and a context to the paper: HTML (sandboxed Jinja2), PDF (WeasyPrint, A4, CJK fonts embedded)
and DOCX (python-docx, editable in Word/WPS).

Templates come from supervisors, so they render in Jinja's sandbox with undefined names as errors, and the PDF
renderer fetches nothing: no file, no network, only ``data:`` URLs.
"""

import io
from functools import lru_cache
from pathlib import Path

TEMPLATES = Path(__file__).parent / "templates"


class TemplateError(Exception):
    """The template cannot be rendered with this context (syntax, unknown name, sandbox refusal)."""


@lru_cache(maxsize=1)
def _env():
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    return ImmutableSandboxedEnvironment(autoescape=True, undefined=StrictUndefined, trim_blocks=True,
                                         lstrip_blocks=True)


def default_template(kind: str) -> str:
    """The packaged template of a kind (``templates/<kind>.html``)."""
    return (TEMPLATES / f"{kind}.html").read_text(encoding="utf-8")


def base_css() -> str:
    return (TEMPLATES / "base.css").read_text(encoding="utf-8")


def render_html(template_text: str, context: dict) -> str:
    """The template rendered; ``TemplateError`` with the reason if it cannot be."""
    from jinja2 import TemplateError as JinjaError
    from jinja2.exceptions import SecurityError

    try:
        body = _env().from_string(template_text).render(**context)
    except (JinjaError, SecurityError, TypeError, ValueError, AttributeError, KeyError) as e:
        raise TemplateError(str(e)) from e
    return body


def _no_fetch(url: str, *args, **kwargs):
    if url.startswith("data:"):
        from weasyprint.urls import default_url_fetcher

        return default_url_fetcher(url, *args, **kwargs)
    raise ValueError(f"documents fetch nothing: {url[:80]}")


def html_to_pdf(html: str) -> bytes:
    """PDF bytes (A4, fonts embedded). Needs pango and the Noto CJK fonts (scripts/system-deps)."""
    from weasyprint import CSS, HTML

    return HTML(string=html, url_fetcher=_no_fetch).write_pdf(stylesheets=[CSS(string=base_css(),
                                                                               url_fetcher=_no_fetch)])


def html_to_docx(html: str) -> bytes:
    """A DOCX with the HTML's headings, paragraphs and tables, editable in Word/WPS."""
    import docx
    from lxml import html as lhtml

    root = lhtml.document_fromstring(html)
    out = docx.Document()
    for el in root.body.iter():
        if el.tag in ("h1", "h2", "h3"):
            out.add_heading(el.text_content().strip(), level=int(el.tag[1]))
        elif el.tag == "p":
            out.add_paragraph(el.text_content().strip())
        elif el.tag == "table":
            rows = el.findall(".//tr")
            width = max((len(r.findall("td")) + len(r.findall("th")) for r in rows), default=1)
            table = out.add_table(rows=0, cols=width)
            for r in rows:
                cells = table.add_row().cells
                for i, c in enumerate(r.xpath("td|th")):
                    cells[i].text = c.text_content().strip()
    buf = io.BytesIO()
    out.save(buf)
    return buf.getvalue()
