"""Ledger (台账) import from an uploaded file and export of a year as xlsx or csv."""

import io
import shutil
import tempfile
from pathlib import Path

from sqlalchemy import Connection

from engine.core.errors import InvalidData, LedgerRejected
from engine.ledger import export_year, import_file

SUFFIXES = (".xlsx", ".xlsm", ".csv")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"


def _problem(p) -> dict:
    return {"row": p.row, "column": p.column, "reason": p.reason}


def import_upload(conn: Connection, upload, *, dry_run: bool, actor: str) -> dict:
    """Validate the whole uploaded file; import it (unless dry_run) only when it is clean."""
    name = (upload.filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise InvalidData(f"unsupported ledger file type {suffix or '(none)'}: use .xlsx or .csv",
                          {"file": "use .xlsx or .csv"})
    with tempfile.TemporaryDirectory(prefix="tiaojie-ledger-") as tmp:
        path = Path(tmp) / f"upload{suffix}"
        with path.open("wb") as out:
            shutil.copyfileobj(upload.file, out, 1 << 20)
        result = import_file(conn, path, dry_run=dry_run, actor=actor, source_name=name)
    if not result.ok:
        raise LedgerRejected(f"{len(result.problems)} problem(s) in {name}; nothing imported",
                             result.problems, result.warnings)
    return {"file": name, "rows": result.rows, "imported": result.imported, "unchanged": result.unchanged,
            "dry_run": dry_run, "warnings": [_problem(w) for w in result.warnings]}


def export(conn: Connection, year: int, format: str = "xlsx") -> bytes:
    out = io.BytesIO()
    export_year(conn, year, out, format=format)
    return out.getvalue()
