"""Import a validated ledger as ordinary case rows (marked imported) and export a year back to xlsx or csv."""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import BinaryIO
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from engine.core import clock
from engine.core.privacy import party_rows
from engine.core.spreadsheets import csv_cell, xlsx_text
from engine.ledger import code_tables, codes
from engine.ledger.code_tables import CodeTables
from engine.ledger.read import read_rows
from engine.ledger.validate import LedgerRow, Problem, UnknownTerm, check_header, validate_rows
from engine.store import ledger as store

SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass
class ImportResult:
    rows: int = 0
    imported: int = 0
    unchanged: int = 0  # 案号 already in the database: left as they are
    problems: list[Problem] = field(default_factory=list)  # any: nothing was imported
    warnings: list[Problem] = field(default_factory=list)
    unknown_terms: list[UnknownTerm] = field(default_factory=list)  # each distinct one, with its rows
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


def _instant(d: date | None) -> datetime | None:
    return None if d is None else datetime.combine(d, time(), SHANGHAI).astimezone(UTC)


def _case_values(r: LedgerRow, definition_id: int, now: datetime, actor: str) -> dict:
    data = {"applicants": r.applicants, "respondents": r.respondents, "note": r.note, "ledger_row": r.row}
    return {
        "case_number": r.case_number, "year": r.accepted_on.year, "process_key": store.LEDGER_PROCESS,
        "definition_id": definition_id, "status": "completed" if r.closed_on else "active", "revision": 1,
        "state": "", "data": data, "channel": r.channel, "source": r.source, "dispute_type": r.dispute_type,
        "community": r.community, "summary": None, "amount": r.amount, "people_count": r.people_count,
        "risk_level": None, "difficult": r.difficult, "outcome": r.outcome, "request_kind": None,
        "repeat_petitioner": False, "owner": None, "created_at": _instant(r.accepted_on), "created_by": actor,
        "updated_at": now, "completed_at": _instant(r.closed_on), "imported": True,
        "handling_body": r.handling_body, "mediator": r.mediator, "accepted_on": r.accepted_on,
        "closed_on": r.closed_on, "guidance_to": r.guidance_to, "guidance_letter_no": r.guidance_letter_no,
        "recovered_amount": r.recovered_amount,
    }


def check_file(path: Path, tables: CodeTables | None = None) -> tuple[list[LedgerRow], ImportResult]:
    header, body = read_rows(path)
    positions, fatal, warnings = check_header(header)
    result = ImportResult(rows=len(body), warnings=warnings)
    if fatal:
        result.problems = fatal
        return [], result
    rows, result.problems, result.unknown_terms = validate_rows(positions, body, tables)
    return rows, result


def import_file(conn: Connection, path: Path, *, dry_run: bool = False, actor: str = "ledger",
                progress: Callable[[int, int], None] | None = None, batch: int = 1000,
                source_name: str | None = None) -> ImportResult:
    """Validate the whole file; import only when it is clean. Idempotent by 案号.

    ``source_name``: the file name recorded on the `imported` events (default: the path's name)."""
    rows, result = check_file(path, code_tables.load(conn))
    result.dry_run = dry_run
    if result.problems:
        return result
    existing = store.existing_numbers(conn, [r.case_number for r in rows])
    new = [r for r in rows if r.case_number not in existing]
    result.unchanged = len(rows) - len(new)
    result.imported = len(new)
    if dry_run or not new:
        return result
    now = clock.now()
    definition_id = store.ledger_definition(conn, now)
    for i in range(0, len(new), batch):
        chunk = new[i:i + batch]
        values = [_case_values(r, definition_id, now, actor) for r in chunk]
        evs = {r.case_number: {"at": now, "actor": actor, "kind": "imported", "task_id": None,
                               "data": {"file": source_name or path.name, "row": r.row}} for r in chunk}
        parties = {r.case_number: party_rows([{"role": "申请人", "name": n} for n in r.applicants]
                                             + [{"role": "被申请人", "name": n} for n in r.respondents])
                   for r in chunk}
        store.insert_cases(conn, values, evs, parties)
        if progress:
            progress(min(i + batch, len(new)), len(new))
    return result


def _names(data: dict, key: str, roles: tuple[str, ...]) -> str | None:
    names = data.get(key)
    if not isinstance(names, list):  # an engine-run case: its parties by role
        parties = data.get("parties") if isinstance(data.get("parties"), list) else []
        names = [p.get("name") for p in parties if isinstance(p, dict) and p.get("role") in roles]
    return "、".join(str(n) for n in names if n) or None


def _export_row(r) -> list:
    data = r.data if isinstance(r.data, dict) else {}
    label = codes.label
    return [r.case_number, r.accepted_on, label("channel", r.channel), label("source", r.source),
            label("dispute_type", r.dispute_type), r.community, _names(data, "applicants", ("applicant", "申请人")),
            _names(data, "respondents", ("respondent", "被申请人")), r.people_count, r.amount, r.handling_body, r.mediator, r.closed_on,
            codes.ledger_outcome(r.outcome) or (codes.CONCLUDED if r.closed_on else None), "是" if r.difficult else "否", r.guidance_to, r.guidance_letter_no,
            r.recovered_amount, data.get("note")]


def export_year(conn: Connection, year: int, out: Path | BinaryIO, format: str | None = None) -> int:
    """The cases accepted in YEAR (``export_period``)."""
    return export_period(conn, date(year, 1, 1), date(year, 12, 31), out, format)


def export_period(conn: Connection, start: date, end: date, out: Path | BinaryIO, format: str | None = None) -> int:
    """Write the cases accepted from START to END (both included) as a ledger with the import columns: .xlsx, or
    .csv (UTF-8 with a BOM, which Excel opens as such) when ``format`` is "csv" or the path ends in .csv. Text is
    never written as a formula (``engine.core.spreadsheets``). Returns the row count."""
    if format is None:
        format = "csv" if isinstance(out, Path) and out.suffix.lower() == ".csv" else "xlsx"
    rows = store.period_rows(conn, start, end)
    if format == "csv":
        return _export_csv(rows, out)
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    title = f"{start.year}年台账" if (start.month, start.day, end.month, end.day, start.year) == (1, 1, 12, 31, end.year) \
        else f"台账 {start:%Y%m%d}-{end:%Y%m%d}"
    ws = wb.create_sheet(title)
    ws.append(list(codes.COLUMNS))
    n = 0
    for r in rows:
        cells = []
        for v in _export_row(r):
            c = WriteOnlyCell(ws, value=v)
            xlsx_text(c)
            if isinstance(v, date):
                c.number_format = "yyyy-mm-dd"
            elif v is not None and not isinstance(v, (str, int)):
                c.number_format = "0.00"
            cells.append(c)
        ws.append(cells)
        n += 1
    wb.save(out)
    return n


def _export_csv(rows, out: Path | BinaryIO) -> int:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(codes.COLUMNS)
    n = 0
    for r in rows:
        w.writerow([csv_cell(v) for v in _export_row(r)])
        n += 1
    body = buf.getvalue().encode("utf-8-sig")
    if isinstance(out, Path):
        out.write_bytes(body)
    else:
        out.write(body)
    return n
