"""Legal documents and the case file (卷宗): the papers a case needs, numbered (文号), rendered as PDF and DOCX,
stored as versioned attachments, and a closed case's file.

What code outside ``engine.documents`` may use.
"""

from engine.documents.archive import archive, archive_name, list_files, write_archive
from engine.documents.casefile import case_file, file_case, file_pdf, reopen_case
from engine.documents.copies import attach_signed, render_copy
from engine.documents.fields import check_template, sample_context
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
from engine.documents.templates import (
    MAX_TEMPLATE_BYTES,
    TEMPLATE_ROLES,
    activate_template,
    list_templates,
    preview_template,
    retire_template,
    template_text,
    upload_template,
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
    # templates (docs-templates)
    "MAX_TEMPLATE_BYTES",
    "TEMPLATE_ROLES",
    "activate_template",
    "check_template",
    "list_templates",
    "preview_template",
    "retire_template",
    "sample_context",
    "template_text",
    "upload_template",
    # the case file (卷宗)
    "archive",
    "archive_name",
    "case_file",
    "file_case",
    "file_pdf",
    "list_files",
    "reopen_case",
    "write_archive",
]
