"""The rendered HTML of a paper as an editable DOCX (Word/WPS): A4 with the 公文 margins, 仿宋 body with the East
Asian font set (``w:eastAsia``), centred bold title, first-line indents, bordered tables with merged cells
(colspan/rowspan), borderless signature blocks, page numbers in the footer."""

import io

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

BODY_FONT = "仿宋"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"
LATIN_FONT = "Times New Roman"


def _font(run, east_asia: str, size: float, bold: bool = False):
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = LATIN_FONT
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:eastAsia", "w:hint"):
        fonts.set(qn(attr), east_asia if attr == "w:eastAsia" else "eastAsia")


def _runs(par, el, east_asia, size, bold=False):
    """The element's text into runs of ``par``: <br> as a line break, <b>/<strong>/<th> bold."""
    def add(text, b):
        if text:
            _font(par.add_run(text), east_asia, size, b)

    add(el.text, bold)
    for child in el:
        if not isinstance(child.tag, str):
            add(child.tail, bold)
            continue
        if child.tag == "br":
            par.add_run().add_break(WD_BREAK.LINE)
        else:
            _runs(par, child, east_asia, size, bold or child.tag in ("b", "strong"))
        add(child.tail, bold)


def _classes(el) -> set[str]:
    return set((el.get("class") or "").split())


def _paragraph(out, el):
    tag, cls = el.tag, _classes(el)
    par = out.add_paragraph()
    fmt = par.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = Pt(28)
    if tag == "h1":
        fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
        fmt.line_spacing = Pt(34)
        fmt.space_after = Pt(14)
        _runs(par, el, TITLE_FONT, 22, bold=True)
        return
    if tag in ("h2", "h3"):
        fmt.first_line_indent = Pt(32)
        fmt.keep_with_next = True
        _runs(par, el, HEADING_FONT, 16)
        return
    size = 12 if "copy-label" in cls else 14 if "draft" in cls else 16
    if "number" in cls or "draft" in cls:
        fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
        fmt.space_after = Pt(14) if "number" in cls else Pt(0)
    elif "copy-label" in cls or "seal" in cls:
        fmt.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    else:
        fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if "plain" not in cls:
            fmt.first_line_indent = Pt(32)
    _runs(par, el, BODY_FONT, size)


def _no_borders(table):
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        e = OxmlElement(f"w:{edge}")
        e.set(qn("w:val"), "nil")
        borders.append(e)
    tbl_pr.append(borders)


def _table(out, el):
    rows = [r for r in el.iter("tr")]
    if not rows:
        return
    # lay the cells on a grid: (row, col) -> (cell element, rowspan, colspan), honouring spans
    grid: dict[tuple[int, int], object] = {}
    placed = []
    width = 0
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr:
            if not isinstance(cell.tag, str) or cell.tag not in ("td", "th"):
                continue
            while (r, c) in grid:
                c += 1
            rs = max(1, int(cell.get("rowspan") or 1)) if str(cell.get("rowspan") or "1").isdigit() else 1
            cs = max(1, int(cell.get("colspan") or 1)) if str(cell.get("colspan") or "1").isdigit() else 1
            for dr in range(rs):
                for dc in range(cs):
                    grid[(r + dr, c + dc)] = cell
            placed.append((r, c, rs, cs, cell))
            c += cs
            width = max(width, c)
    height = max(r for r, _ in grid) + 1
    table = out.add_table(rows=height, cols=max(width, 1))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    signatures = "signatures" in _classes(el)
    if signatures:
        _no_borders(table)
    else:
        table.style = "Table Grid"
    for r, c, rs, cs, cell in placed:
        target = table.cell(r, c)
        if rs > 1 or cs > 1:
            target = target.merge(table.cell(min(r + rs, height) - 1, min(c + cs, width) - 1))
        par = target.paragraphs[0]
        par.paragraph_format.line_spacing = Pt(22)
        _runs(par, cell, BODY_FONT, 16 if signatures else 14, bold=cell.tag == "th")


def _page(doc):
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(37), Mm(35)
    sec.left_margin, sec.right_margin = Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = Pt(16)
    rpr = normal.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    fonts.set(qn("w:eastAsia"), BODY_FONT)
    # footer: — PAGE —
    par = sec.footer.paragraphs[0]
    par.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(par.add_run("— "), "宋体", 14)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        run = par.add_run()
        _font(run, "宋体", 14)
        if kind:
            f = OxmlElement("w:fldChar")
            f.set(qn("w:fldCharType"), kind)
        else:
            f = OxmlElement("w:instrText")
            f.set(qn("xml:space"), "preserve")
            f.text = text
        run._element.append(f)
    _font(par.add_run(" —"), "宋体", 14)


def _walk(out, el):
    for child in el:
        if not isinstance(child.tag, str):
            continue
        if child.tag in ("h1", "h2", "h3", "p"):
            _paragraph(out, child)
        elif child.tag == "table":
            _table(out, child)
        elif child.tag not in ("script", "style", "head", "title", "meta"):
            _walk(out, child)


def html_to_docx(html: str) -> bytes:
    from lxml import html as lhtml

    root = lhtml.document_fromstring(html)
    doc = Document()
    _page(doc)
    body = root.find("body")
    _walk(doc, body if body is not None else root)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
