"""Response models of the document template endpoints."""

from datetime import datetime

from pydantic import BaseModel


class TemplateVersionOut(BaseModel):
    id: int
    kind: str
    office: str  # "" = every office
    version: int
    filename: str
    sha256: str
    note: str | None = None
    active: bool
    uploaded_by: str
    uploaded_at: datetime


class KindTemplatesOut(BaseModel):
    kind: str
    title: str
    title_en: str
    office: str  # the office asked about ("" = every office)
    active_office: str  # whose version is used: the office's own, else "" (every office)
    active_version: int  # 0 = the packaged template
    versions: list[TemplateVersionOut]  # of the office and of every office, newest first


class TemplateTextOut(BaseModel):
    kind: str
    office: str
    version: int
    filename: str
    active: bool
    text: str
