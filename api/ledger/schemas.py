"""Response models of the ledger (台账) endpoints."""

from pydantic import BaseModel


class ProblemOut(BaseModel):
    row: int  # row number as the user sees it in the file; 0 = the header
    column: str
    reason: str


class ImportOut(BaseModel):
    file: str
    rows: int  # non-empty data rows in the file
    imported: int  # new cases (with dry_run: would be imported)
    unchanged: int  # 案号 already present: left as they are
    dry_run: bool
    warnings: list[ProblemOut]  # e.g. unknown columns (ignored)
