"""Legal documents and the case file (卷宗): the papers a case needs, numbered (文号), rendered as PDF and DOCX,
stored as versioned attachments, and a closed case's file.

What code outside ``engine.documents`` may use.
"""

from engine.documents.copies import attach_signed, render_copy
from engine.documents.kinds import FILE_KINDS, KINDS, Kind, offered_at
from engine.documents.offices import office_codes, office_of
from engine.documents.service import (
    DocumentTemplateError,
    case_id_of,
    document_kinds,
    documents_of_case,
    documents_of_task,
    generate,
    get_document,
    preview,
)

__all__ = [
    "FILE_KINDS",
    "KINDS",
    "Kind",
    "offered_at",
    "office_codes",
    "office_of",
    # documents (docs-core)
    "DocumentTemplateError",
    "attach_signed",
    "case_id_of",
    "document_kinds",
    "documents_of_case",
    "documents_of_task",
    "generate",
    "get_document",
    "preview",
    "render_copy",
]
