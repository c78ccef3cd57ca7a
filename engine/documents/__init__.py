"""Legal documents and the case file (卷宗): the papers a case needs, numbered (文号), rendered as PDF and DOCX,
stored as versioned attachments, and a closed case's file.

What code outside ``engine.documents`` may use.
"""

from engine.documents.archive import archive, archive_name, list_files, write_archive
from engine.documents.casefile import case_file, case_id_of, file_case, file_pdf, reopen_case
from engine.documents.kinds import FILE_KINDS, KINDS, Kind, offered_at
from engine.documents.offices import office_codes, office_of

__all__ = [
    "FILE_KINDS", "KINDS", "Kind", "offered_at", "office_codes", "office_of",
    # the case file (卷宗)
    "archive", "archive_name", "case_file", "case_id_of", "file_case", "file_pdf", "list_files", "reopen_case",
    "write_archive",
]
