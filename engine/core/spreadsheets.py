"""Cells that are never formulas: the one rule for every xlsx and csv file the service writes.

A spreadsheet program reads a cell as a formula when its text starts with ``=``, ``+``, ``-`` or ``@``
(some also after leading blanks, a tab or a line break, and the full-width forms a Chinese input method
types), so user text such as ``=HYPERLINK("http://…"&A1,"click")`` or ``=cmd|' /C calc'!A0`` in a ledger
would run in the office that opens the export.

- xlsx: every text value is written as a text cell (``inlineStr``), never a formula; the value is
  unchanged, so an export imports back as it was.
- csv: a text that could be read as a formula gets a leading ``'`` (the spreadsheet shows the text as
  is); ``csv_text`` takes the mark off again when such a file is imported.
"""

from datetime import date, datetime
from decimal import Decimal

FORMULA_CHARS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
_BLANKS = " \t\r\n\u3000"
QUOTE = "'"


def could_be_formula(text: str) -> bool:
    """Whether a spreadsheet program could read ``text`` as a formula."""
    return text.startswith(FORMULA_CHARS) or text.lstrip(_BLANKS).startswith(FORMULA_CHARS)


def xlsx_text(cell) -> None:
    """Make an openpyxl cell holding text a text cell (openpyxl makes any text starting with '=' a formula)."""
    if isinstance(cell.value, str):
        cell.data_type = "s"


def xlsx_text_only(workbook) -> None:
    """``xlsx_text`` for every cell of a (not write-only) workbook, before it is saved."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                xlsx_text(cell)


def csv_cell(value) -> str:
    """A value as csv text: dates ISO, numbers as written, text that could be a formula after a ``'``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, int | float | Decimal):
        return str(value)
    text = str(value)
    return QUOTE + text if could_be_formula(text) else text


def csv_text(text: str) -> str:
    """A csv cell as read back: the ``'`` that ``csv_cell`` put before a formula-like text is taken off."""
    if text.startswith(QUOTE) and could_be_formula(text[1:]):
        return text[1:]
    return text
