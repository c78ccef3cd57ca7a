"""The case file (卷宗) of a closed case: filing (立卷归档), the view with its history, reopening (重新开卷).

Filing gives the file its number ``(2026)福田人调卷第3号`` (office code, ``人调卷第`` N ``号``, N counted per office and
the case's closing year by ``engine.store.document_numbers``), its retention (保管期限, below) and its 卷内目录: the
case's current documents in the order of ``KINDS``, each followed by its signed scans, then the other attachments,
each with its pages and its first and last page in the whole file (``engine.documents.filepdf``). While filed, the
case refuses every change (``engine.cases.check_not_filed``). A supervisor may reopen it with a reason; filing it
again keeps its number and records the new filing; the history is read from the case's events.

Retention (``TIAOJIE_FILE_RETENTION``): comma-separated ``key=class`` where class is ``permanent`` (永久),
``long`` (长期, 30 years), ``short`` (短期, 10 years), optionally ``:years`` (``short:15``). The key is tried in turn:
``difficult`` (a 疑难复杂 case), the case's outcome (``mediated``, ``partial`` …), its request kind, its process key,
then ``default``. The defaults follow 人民调解卷宗 practice (a written agreement is kept long, difficult cases for
ever, the rest short) and 信访档案 practice (petitions handled to a conclusion 30 years).
"""

from datetime import date
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from engine.cases.access import check_visible
from engine.core import clock
from engine.core.errors import Conflict, Forbidden, InvalidData, NotFound
from engine.core.settings import get_settings
from engine.core.types import User
from engine.documents import filepdf
from engine.documents.filepdf import CLASS_LABELS
from engine.documents.offices import office_of
from engine.store import case_files as store
from engine.store import events as event_store
from engine.store.document_numbers import next_serial

SHANGHAI = ZoneInfo("Asia/Shanghai")
FILE_ROLES = ("supervisor",)
PDF_ROLES = ("intake", "mediator", "lawyer", "supervisor", "admin")
CLOSED = ("completed", "cancelled")
REASON_MIN = 5
CLASSES = {"permanent": None, "long": 30, "short": 10}
DEFAULT_RETENTION = ("difficult=permanent,mediated=long,partial=long,petition_concluded=long,petition=long,"
                     "default=short")
FILE_WORD = "人调卷"  # the number's word: (2026)福田人调卷第N号
COUNTER = "file"  # the document_numbers kind of file numbers


class NotClosed(Conflict):
    code = "case_not_closed"


class AlreadyFiled(Conflict):
    code = "case_already_filed"


class NotFiled(Conflict):
    code = "case_not_filed"


# ----------------------------------------------------------------------------- retention
def retention_rules(text: str | None = None) -> dict[str, tuple[str, int | None]]:
    """{key: (class, years or None)} from ``TIAOJIE_FILE_RETENTION`` over the defaults."""
    out: dict[str, tuple[str, int | None]] = {}
    for source in (DEFAULT_RETENTION, text if text is not None else get_settings().file_retention):
        for item in source.split(","):
            if not item.strip():
                continue
            key, _, value = (p.strip() for p in item.partition("="))
            cls, _, years = value.partition(":")
            try:
                n = int(years) if years else CLASSES[cls]
            except (KeyError, ValueError):
                n = -1
            if not key or cls not in CLASSES or (n is not None and n < 1) or (cls == "permanent" and years):
                raise InvalidData(f"TIAOJIE_FILE_RETENTION: '{item.strip()}' is not key=permanent|long|short[:years]",
                                  {"file_retention": item.strip()})
            out[key] = (cls, n)
    return out


def retention_for(row, rules: dict | None = None) -> tuple[str, int | None]:
    """(class, years) of a case: by difficulty, outcome, request kind, process key, else the default."""
    rules = rules or retention_rules()
    for key in ("difficult" if row.difficult else None, row.outcome, row.request_kind, row.process_key):
        if key and key in rules:
            return rules[key]
    return rules["default"]


# ----------------------------------------------------------------------------- helpers
def closing_day(row) -> date:
    if row.closed_on is not None:
        return row.closed_on
    at = row.completed_at or clock.now()
    return at.astimezone(SHANGHAI).date()


def file_number(office_code: str, year: int, serial: int) -> str:
    return f"({year}){office_code}{FILE_WORD}第{serial}号"


def _case(conn: Connection, user: User, case_id: int, *, lock: bool = False):
    check_visible(conn, user, case_id)
    row = store.case_row(conn, case_id, lock=lock)
    if row is None:
        raise NotFound(f"case {case_id} not found")
    return row


def _check_role(user: User, roles: tuple[str, ...], what: str) -> None:
    if user.role not in roles:
        raise Forbidden(f"role '{user.role}' may not {what}")


# ----------------------------------------------------------------------------- filing and reopening
def file_case(conn: Connection, user: User, case_id: int) -> dict:
    """File (立卷归档) a closed case: its number, retention and 卷内目录; the case becomes read-only."""
    _check_role(user, FILE_ROLES, "file a case")
    row = _case(conn, user, case_id, lock=True)
    if row.status not in CLOSED:
        raise NotClosed(f"案件 {row.case_number} 尚未办结，不能立卷归档 (case {row.case_number} is not closed)")
    if row.filed_at is not None:
        raise AlreadyFiled(f"案件 {row.case_number} 已立卷归档 (case {row.case_number} is already filed)")
    existing = store.get(conn, case_id)
    at = clock.now()
    office = office_of(row.community)
    if existing is not None:  # filed again after a reopening: the same number
        year, serial, number, code = existing.year, existing.serial, existing.file_number, existing.office
    else:
        year, code = closing_day(row).year, office["code"]
        serial = next_serial(conn, code, year, COUNTER)
        number = file_number(code, year, serial)
    cls, years = retention_for(row)
    record = {"file_number": number, "year": year, "serial": serial, "office": code, "retention": cls,
              "retention_years": years, "filed_by": user.username, "filed_at": at, "status": "filed"}
    this = SimpleNamespace(at=at, actor=user.username, kind="case_filed", data={})  # on the back page already
    laid = filepdf.layout(conn, row, office, record, [*store.file_events(conn, case_id), this])
    record["contents"] = laid.contents
    if existing is None:
        store.insert(conn, {"case_id": case_id, **record})
    else:
        store.change(conn, case_id, record)
    store.set_filed_at(conn, case_id, at)
    event_store.append(conn, [{"case_id": case_id, "at": at, "actor": user.username, "kind": "case_filed",
                               "task_id": None, "data": {"file_number": number, "retention": cls,
                                                         "retention_years": years, "pages": laid.pages,
                                                         "refiled": existing is not None}}])
    return case_file(conn, user, case_id)


def reopen_case(conn: Connection, user: User, case_id: int, reason: str) -> dict:
    """Reopen (重新开卷) a filed case with a reason: it can be changed again until filed again."""
    _check_role(user, FILE_ROLES, "reopen a case file")
    reason = reason.strip() if isinstance(reason, str) else ""
    if len(reason) < REASON_MIN:
        raise InvalidData(f"重新开卷须说明理由（至少 {REASON_MIN} 个字）"
                          f" (a reason of at least {REASON_MIN} characters is required)", {"reason": "required"})
    row = _case(conn, user, case_id, lock=True)
    if row.filed_at is None:
        raise NotFiled(f"案件 {row.case_number} 未立卷归档 (case {row.case_number} is not filed)")
    at = clock.now()
    store.change(conn, case_id, {"status": "reopened", "reopened_by": user.username, "reopened_at": at,
                                 "reopen_reason": reason[:500]})
    store.set_filed_at(conn, case_id, None)
    existing = store.get(conn, case_id)
    event_store.append(conn, [{"case_id": case_id, "at": at, "actor": user.username, "kind": "case_reopened",
                               "task_id": None, "data": {"reason": reason[:500],
                                                         "file_number": existing.file_number}}])
    return case_file(conn, user, case_id)


def history(conn: Connection, case_id: int) -> list[dict]:
    out = []
    for e in store.file_events(conn, case_id):
        data = e.data if isinstance(e.data, dict) else {}
        out.append({"kind": "filed" if e.kind == "case_filed" else "reopened", "at": e.at, "by": e.actor,
                    "reason": data.get("reason"), "pages": data.get("pages")})
    return out


def view(row, case, hist: list[dict]) -> dict:
    return {"case_id": row.case_id, "case_number": case.case_number, "file_number": row.file_number,
            "year": row.year, "serial": row.serial, "office": row.office, "retention": row.retention,
            "retention_label": CLASS_LABELS.get(row.retention, row.retention), "retention_years": row.retention_years,
            "status": row.status, "filed": case.filed_at is not None, "filed_by": row.filed_by,
            "filed_at": row.filed_at, "reopened_by": row.reopened_by, "reopened_at": row.reopened_at,
            "reopen_reason": row.reopen_reason, "contents": row.contents or [],
            "pages": next((h["pages"] for h in reversed(hist) if h["kind"] == "filed"), None),
            "history": hist, "pdf_url": f"/api/v1/cases/{row.case_id}/file/pdf"}


def case_file(conn: Connection, user: User, case_id: int) -> dict:
    """The case's file: number, retention, 卷内目录 as filed, status and history; NotFound if never filed."""
    case = _case(conn, user, case_id)
    row = store.get(conn, case_id)
    if row is None:
        raise NotFound(f"案件 {case.case_number} 尚未立卷 (case {case.case_number} has no file)")
    return view(row, case, history(conn, case_id))


def file_pdf(conn: Connection, user: User, case_id: int) -> tuple[bytes, str]:
    """The whole file as one PDF (cover, 卷内目录, papers, back page, page numbers) and its file name."""
    _check_role(user, PDF_ROLES, "download a case file")
    case = _case(conn, user, case_id)
    row = store.get(conn, case_id)
    if row is None:
        raise NotFound(f"案件 {case.case_number} 尚未立卷 (case {case.case_number} has no file)")
    return filepdf.whole_pdf(conn, case, row, store.file_events(conn, case_id)), f"{row.file_number}.pdf"
