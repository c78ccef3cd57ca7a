"""Legal documents and the case file (卷宗): the papers a case needs, numbered (文号), rendered as PDF and DOCX,
stored as versioned attachments, and a closed case's file.

What code outside ``engine.documents`` may use.
"""

from engine.documents.kinds import FILE_KINDS, KINDS, Kind, offered_at
from engine.documents.offices import office_codes, office_of

__all__ = ["FILE_KINDS", "KINDS", "Kind", "offered_at", "office_codes", "office_of"]
