"""The report as an editable DOCX (Word/WPS, python-docx): A4, 仿宋 body with the East Asian font set, centred
title, a heading and a sentence per section, bordered tables with numbers right-aligned. No self-checks: they
are beside the document (``report["checks"]``)."""

import io

from engine.reports.render_md import document

BODY_FONT, TITLE_FONT, HEADING_FONT, LATIN_FONT = "仿宋", "方正小标宋简体", "黑体", "Times New Roman"


def _font(run, east_asia: str, size: float, bold: bool = False) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run.font.size, run.font.bold, run.font.name = Pt(size), bold, LATIN_FONT
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:hint"), "eastAsia")


def _paragraph(doc, text: str, east_asia: str = BODY_FONT, size: float = 12, bold: bool = False,
               align=None, indent: bool = False):
    from docx.shared import Pt

    par = doc.add_paragraph()
    fmt = par.paragraph_format
    fmt.space_before, fmt.space_after = Pt(0), Pt(4)
    if align is not None:
        fmt.alignment = align
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    _font(par.add_run(text), east_asia, size, bold)
    return par


def _table(doc, figure: dict) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    columns, rows = figure["columns"], figure["rows"]
    table = doc.add_table(rows=1 + len(rows), cols=len(columns))
    table.style = "Table Grid"
    for i, line in enumerate([columns, *rows]):
        for j, value in enumerate(line):
            par = table.cell(i, j).paragraphs[0]
            if i and j >= figure["numeric_from"]:
                par.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _font(par.add_run(str(value)), BODY_FONT, 9 if len(columns) > 5 else 10.5, bold=i == 0)


def to_docx(report: dict) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin = sec.bottom_margin = Mm(25)
    sec.left_margin = sec.right_margin = Mm(20)
    d = document(report)
    doc.core_properties.title = d["title"]
    _paragraph(doc, d["title"], TITLE_FONT, 18, True, WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(doc, d["scope"], size=10, align=WD_ALIGN_PARAGRAPH.CENTER)
    for section in d["sections"]:
        _paragraph(doc, section["heading"], HEADING_FONT, 14)
        _paragraph(doc, section["text"], indent=True)
        for figure in section["tables"]:
            if len(section["tables"]) > 1:
                _paragraph(doc, figure["title"], HEADING_FONT, 11)
            _table(doc, figure)
            if figure["note"]:
                _paragraph(doc, figure["note"], size=9)
            _paragraph(doc, "", size=6)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
