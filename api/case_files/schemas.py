"""HTTP shapes of the case file (卷宗)."""

from datetime import UTC, date, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field


def _utc(value: datetime | None) -> datetime | None:
    return value.astimezone(UTC) if value is not None else None


Utc = Annotated[datetime, AfterValidator(_utc)]


class ContentsItem(BaseModel):
    """One paper of the 卷内目录: its place, title, number, date and pages in the whole file."""

    seq: int
    kind: str
    title: str
    number: str | None = None
    issued_on: date | None = None
    issued_on_cn: str | None = None
    pages: int
    first_page: int | None = None
    last_page: int | None = None
    note: str | None = None
    document_id: str | None = None
    attachment_id: str | None = None


class HistoryItem(BaseModel):
    kind: str  # filed | reopened
    at: Utc
    by: str | None = None
    reason: str | None = None
    pages: int | None = None


class CaseFileOut(BaseModel):
    case_id: int
    case_number: str
    file_number: str  # (2026)福田人调卷第3号
    year: int
    serial: int
    office: str
    retention: str  # permanent | long | short
    retention_label: str  # 永久 | 长期 | 短期
    retention_years: int | None = None  # None: permanent
    status: str  # filed | reopened
    filed: bool  # the case is read-only now
    filed_by: str
    filed_at: Utc
    reopened_by: str | None = None
    reopened_at: Utc | None = None
    reopen_reason: str | None = None
    pages: int | None = None  # pages of the whole file as last filed
    contents: list[ContentsItem]
    history: list[HistoryItem]
    pdf_url: str


class ReopenIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=1, max_length=500, pattern=r"^[^\x00]*$", description="why it is reopened")


class CaseFileItem(BaseModel):
    case_id: int
    case_number: str
    file_number: str
    year: int
    serial: int
    office: str
    title: str
    parties: str  # roles and names (ID numbers and phones never)
    received_on: date | None = None
    closed_on: date | None = None
    retention: str
    retention_label: str
    retention_years: int | None = None
    pages: int | None = None
    status: str
    filed_by: str
    filed_at: Utc


class CaseFileList(BaseModel):
    items: list[CaseFileItem]
