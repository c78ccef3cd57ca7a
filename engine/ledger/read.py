"""Read a ledger file (.xlsx read-only, or .csv in UTF-8 or GBK) into a header and raw rows."""

import csv
import io
from pathlib import Path

from engine.core.errors import InvalidData
from engine.core.spreadsheets import csv_text


def _decode(raw: bytes) -> str:
    for enc in ("utf-8-sig", "gb18030"):  # gb18030 is a superset of GBK
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    raise InvalidData("the CSV file is neither UTF-8 nor GBK")


def _cell(v):
    if isinstance(v, str):
        return v.strip()
    return v


def read_rows(path: Path) -> tuple[list[str], list[tuple[int, list]]]:
    """The header and (row number as the user sees it, values) for each non-empty row."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        try:
            lines = list(csv.reader(io.StringIO(_decode(path.read_bytes()))))
        except csv.Error as e:
            raise InvalidData(f"not a readable CSV file: {e}") from None
        rows = [[_cell(csv_text(v)) for v in line] for line in lines]  # our exports mark formula-like text
    elif suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(path, read_only=True, data_only=True)
        except Exception as e:  # not a zip, not a workbook, broken parts: the file's fault, not ours
            raise InvalidData(f"not a readable .xlsx file ({type(e).__name__})") from None
        try:
            if not wb.worksheets:
                raise InvalidData("the workbook has no worksheet")
            rows = [[_cell(v) for v in r] for r in wb.worksheets[0].iter_rows(values_only=True)]
        except InvalidData:
            raise
        except Exception as e:
            raise InvalidData(f"not a readable .xlsx file ({type(e).__name__})") from None
        finally:
            wb.close()
    else:
        raise InvalidData(f"unsupported ledger file type {suffix or '(none)'}: use .xlsx or .csv")
    if not rows:
        raise InvalidData("the ledger file is empty")
    header = [str(h).strip() if h is not None else "" for h in rows[0]]
    body = [(i + 2, r) for i, r in enumerate(rows[1:]) if any(v not in (None, "") for v in r)]
    return header, body
