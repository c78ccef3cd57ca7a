"""Request and response models of the document endpoints."""

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from api.cases.schemas import AttachmentOut, Utc


class DocumentKindOut(BaseModel):
    kind: str = Field(description="code, e.g. agreement")
    title: str = Field(description="title in Chinese, e.g. 人民调解协议书")
    title_en: str
    numbered: bool = Field(description="whether it carries a 文号")
    tasks: list[str] = Field(description="BPMN user tasks whose page offers it")
    copies: str = Field(description="parties: a copy per party and one kept; single: one paper")


class CopyOut(BaseModel):
    copy_: str = Field(alias="copy", description="file, masked, all or a party's ref")
    label: str = Field(description="e.g. 存档, 申请人 张某 收执")

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)


class SignedOut(AttachmentOut):
    signs_document_id: str


class DocumentUrls(BaseModel):
    pdf: str
    docx: str
    preview: str


class DocumentOut(BaseModel):
    id: str
    case_id: int
    kind: str
    title: str
    number: str | None = Field(description="the 文号, e.g. (2026)福田人调字第12号; null for papers without one")
    version: int
    current: bool = Field(description="false: a later version corrects it")
    issued_on: date
    task_id: str | None
    created_by: str
    created_at: Utc
    note: str | None
    sha256: str = Field(description="hash of the stored rendering (masked PDF)")
    attachment_id: str
    copies: list[CopyOut]
    signed: list[SignedOut] = Field(description="signed scans of this version")
    urls: DocumentUrls


class OfferedOut(BaseModel):
    kind: str
    title: str
    title_en: str
    made: bool


class TaskDocumentsOut(BaseModel):
    offered: list[OfferedOut]
    documents: list[DocumentOut]


class DocumentIn(BaseModel):
    kind: str = Field(min_length=1, max_length=40)
    task_id: str | None = Field(default=None, min_length=1, max_length=36)
    data: dict[str, Any] | None = Field(default=None, description="the form as being filled in (a draft)")
    note: str | None = Field(default=None, max_length=500, description="why it is made again")

    model_config = ConfigDict(extra="forbid")


class PreviewIn(BaseModel):
    kind: str = Field(min_length=1, max_length=40)
    task_id: str | None = Field(default=None, min_length=1, max_length=36)
    data: dict[str, Any] | None = None

    model_config = ConfigDict(extra="forbid")
