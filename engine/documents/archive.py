"""The year's archive: the list of case files of a year (and office), and one zip with every file's PDF named by its
file number and the index sheet 索引.xlsx (formula-safe, ``engine.core.spreadsheets``).

The zip is written to a temporary file (spooled: in memory while small), one PDF at a time, so a large year does not
hold every PDF in memory at once.
"""

import io
import tempfile
import zipfile

from sqlalchemy import Connection

from engine.core.errors import Forbidden, InvalidData
from engine.core.privacy import mask_deep
from engine.core.scope import scope
from engine.core.spreadsheets import xlsx_text
from engine.core.types import User
from engine.documents import filepdf
from engine.documents.filepdf import CLASS_LABELS, ROLE_LABELS
from engine.store import case_files as store

ARCHIVE_ROLES = ("supervisor", "admin")
INDEX_COLUMNS = ("卷宗号", "案号", "题名", "当事人", "收案日期", "结案日期", "保管期限", "页数", "立卷人", "立卷时间",
                 "状态")
SPOOL_BYTES = 16 * 1024 * 1024


def _check(user: User, year: int) -> None:
    if user.role not in ARCHIVE_ROLES:
        raise Forbidden(f"role '{user.role}' may not read the case files' archive")
    if not isinstance(year, int) or not 1900 <= year <= 9999:
        raise InvalidData("year must be a year, e.g. 2026", {"year": "out of range"})


def _parties(data) -> str:
    parties = [p for p in ((data or {}).get("parties") or []) if isinstance(p, dict)]
    return "；".join(f"{ROLE_LABELS.get(p.get('role'), p.get('role') or '')} {p.get('name') or ''}".strip()
                    for p in mask_deep(parties))


def _item(r) -> dict:
    pages = (r.contents or [])[-1].get("last_page") if r.contents else None
    return {"case_id": r.case_id, "case_number": r.case_number, "file_number": r.file_number, "year": r.year,
            "serial": r.serial, "office": r.office, "title": r.summary or "", "parties": _parties(r.data),
            "received_on": r.received_on, "closed_on": r.closed_on or (r.completed_at.date() if r.completed_at
                                                                        else None),
            "retention": r.retention, "retention_label": CLASS_LABELS.get(r.retention, r.retention),
            "retention_years": r.retention_years, "pages": pages, "status": r.status, "filed_by": r.filed_by,
            "filed_at": r.filed_at}


def list_files(conn: Connection, user: User, year: int, office: str | None = None) -> list[dict]:
    """The case files of ``year`` (of ``office`` if given), by office and serial."""
    _check(user, year)
    return [_item(r) for r in store.list_files(conn, year, office or None, scope(user))]


def _index(items: list[dict]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("索引")
    ws.append(list(INDEX_COLUMNS))
    for i in items:
        retention = i["retention_label"] + (f"（{i['retention_years']}年）" if i["retention_years"] else "")
        row = [i["file_number"], i["case_number"], i["title"], i["parties"], i["received_on"], i["closed_on"],
               retention, i["pages"], i["filed_by"], i["filed_at"].replace(tzinfo=None) if i["filed_at"] else None,
               "已归档" if i["status"] == "filed" else "已重新开卷"]
        cells = []
        for value in row:
            cell = WriteOnlyCell(ws, value=value)
            xlsx_text(cell)  # a title or name starting with "=" stays text
            cells.append(cell)
        ws.append(cells)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def archive_name(year: int, office: str | None = None) -> str:
    return f"卷宗_{year}{('_' + office) if office else ''}.zip"


def write_archive(conn: Connection, user: User, year: int, office: str | None, out) -> int:
    """Write the year's zip to the binary file ``out``: every file as ``<file number>.pdf`` (one at a time) and
    索引.xlsx; the number of files."""
    items = list_files(conn, user, year, office)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as z:
        for i in items:
            case = store.case_row(conn, i["case_id"])
            row = store.get(conn, i["case_id"])
            z.writestr(f"{i['file_number']}.pdf",
                       filepdf.whole_pdf(conn, case, row, store.file_events(conn, i["case_id"])))
        z.writestr("索引.xlsx", _index(items))
    return len(items)


def archive(conn: Connection, user: User, year: int, office: str | None = None) -> tuple[bytes, str]:
    """(zip bytes, file name) of the year's files (built in a temporary file, in memory while small)."""
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as tmp:
        write_archive(conn, user, year, office, tmp)
        tmp.seek(0)
        return tmp.read(), archive_name(year, office)
