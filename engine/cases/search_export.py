"""The case search's result as an xlsx file: the list's columns, codes through labels, masked names, text cells
never formulas (``engine.core.spreadsheets``), at most ``MAX_ROWS`` rows (a note row says when cut off)."""

import io
from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from engine.cases.query import MAX_ROWS
from engine.core.spreadsheets import xlsx_text

SHANGHAI = ZoneInfo("Asia/Shanghai")
# (column key, what it shows); the caller gives the header words and labels for the codes
COLUMNS = ("case_number", "applicant", "summary", "dispute_type", "community", "channel", "status", "stage",
           "risk_level", "group_case", "received_on", "due_at", "leader")
LABELLED = ("dispute_type", "channel", "status", "risk_level")


def to_xlsx(items: list[dict], headers: dict[str, str], label: Callable[[str, str], str], *, title: str,
            yes: str, cut_note: str | None = None) -> bytes:
    """``headers``: column key -> header text; ``label(field, code)``: a code's words; ``yes``: the group mark."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title[:31])
    ws.append([headers[c] for c in COLUMNS])
    for item in items[:MAX_ROWS]:
        cells = []
        for key in COLUMNS:
            v = item.get(key)
            if key in LABELLED and v is not None:
                v = label(key, v)
            elif key == "group_case":
                v = yes if v else None
            elif isinstance(v, datetime):
                v = v.astimezone(SHANGHAI).replace(tzinfo=None)
            c = WriteOnlyCell(ws, value=v)
            xlsx_text(c)
            if isinstance(v, datetime):
                c.number_format = "yyyy-mm-dd hh:mm"
            elif isinstance(v, date):
                c.number_format = "yyyy-mm-dd"
            cells.append(c)
        ws.append(cells)
    if cut_note:
        note = WriteOnlyCell(ws, value=cut_note)
        xlsx_text(note)
        ws.append([note])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
