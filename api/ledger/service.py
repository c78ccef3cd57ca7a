"""Ledger (台账) import from an uploaded file, export of a period as xlsx or csv, and the code tables."""

import io
import shutil
import tempfile
from datetime import date
from pathlib import Path

from sqlalchemy import Connection

from engine import ledger
from engine.core.errors import InvalidData, LedgerRejected
from engine.ledger import export_period, import_file

SUFFIXES = (".xlsx", ".xlsm", ".csv")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"


def _problem(p) -> dict:
    return {"row": p.row, "column": p.column, "reason": p.reason}


def unknown_term(u) -> dict:
    return {"column": u.column, "term": u.term, "kind": u.kind, "blocking": u.blocking, "count": len(u.rows),
            "rows": u.rows[:20], "nearest": u.nearest}


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
    terms = [unknown_term(u) for u in result.unknown_terms]
    if not result.ok:
        raise LedgerRejected(f"{len(result.problems)} problem(s) in {name}; nothing imported",
                             result.problems, result.warnings, terms)
    return {"file": name, "rows": result.rows, "imported": result.imported, "unchanged": result.unchanged,
            "dry_run": dry_run, "warnings": [_problem(w) for w in result.warnings], "unknown_terms": terms}


def export(conn: Connection, start: date, end: date, format: str = "xlsx") -> bytes:
    out = io.BytesIO()
    export_period(conn, start, end, out, format=format)
    return out.getvalue()


def tables(conn: Connection) -> dict:
    return {"tables": ledger.code_tables_in_use(conn)}


def history(conn: Connection, kind: str, term: str) -> dict:
    return {"versions": [e.as_dict() for e in ledger.code_history(conn, kind, term)]}


def save(conn: Connection, kind: str, body, actor: str) -> dict:
    return ledger.save_code(conn, kind, body.term, synonyms=body.synonyms, retired=body.retired,
                            expected_version=body.version, actor=actor, note=body.note).as_dict()


def add_synonym(conn: Connection, kind: str, body, actor: str) -> dict:
    return ledger.add_code_synonym(conn, kind, body.term, body.synonym, actor=actor).as_dict()
