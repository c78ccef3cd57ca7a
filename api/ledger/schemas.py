"""Request and response models of the ledger (台账) endpoints and its code tables."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

Kind = Literal["dispute_type", "channel", "source", "outcome"]
WORDING = r"^[^\x00-\x1f\x7f]*\S[^\x00-\x1f\x7f]*$"  # some text, no control characters
Wording = Annotated[str, Field(min_length=1, max_length=50, pattern=WORDING)]


class ProblemOut(BaseModel):
    row: int  # row number as the user sees it in the file; 0 = the header
    column: str
    reason: str


class UnknownTermOut(BaseModel):
    column: str  # the ledger column, e.g. 纠纷类型
    term: str  # the wording as written in the file
    kind: Kind | None  # the code table that could take it as a synonym (None: a fixed list such as 处理机构)
    blocking: bool  # its rows are refused (来源渠道 and 案件来源 are imported as written)
    count: int  # rows using it
    rows: list[int]  # their row numbers (the first 20)
    nearest: list[str]  # the closest known terms, closest first


class ImportOut(BaseModel):
    file: str
    rows: int  # non-empty data rows in the file
    imported: int  # new cases (with dry_run: would be imported)
    unchanged: int  # 案号 already present: left as they are
    dry_run: bool
    warnings: list[ProblemOut]  # e.g. unknown columns (ignored)
    unknown_terms: list[UnknownTermOut]  # not refusing: channels and sources no code table knows


class EntryOut(BaseModel):
    kind: Kind
    term: str
    code: str | None  # the engine's code the term means (forms, BPMN), when it has one
    synonyms: list[str]
    retired: bool
    version: int  # 0: as packaged
    changed_at: datetime | None
    changed_by: str | None
    note: str | None


class TableOut(BaseModel):
    kind: Kind
    column: str  # the ledger column it codes
    entries: list[EntryOut]


class TablesOut(BaseModel):
    tables: list[TableOut]


class HistoryOut(BaseModel):
    versions: list[EntryOut]  # newest first, down to the packaged version 0


class EntryIn(BaseModel):
    """A new version of an entry: the whole list of synonyms. ``version`` is the version edited (null: a new
    term); a stale version is 409. A wording that another entry of the table has is refused (422)."""

    model_config = ConfigDict(extra="forbid")
    term: Wording
    synonyms: Annotated[list[Wording], Field(max_length=50)] = []
    retired: bool = False
    version: Annotated[int | None, Field(ge=0, le=2**31 - 1)] = None
    note: Annotated[str | None, Field(max_length=500, pattern=r"^[^\x00]*$")] = None


class SynonymIn(BaseModel):
    """One more synonym of an existing entry (the dry-run report's 加为同义词)."""

    model_config = ConfigDict(extra="forbid")
    term: Wording
    synonym: Wording
