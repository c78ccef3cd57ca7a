"""Copies of a paper, rendered on demand from its stored data and template (PIPL: the stored one is masked),
and the signed scan that makes it binding.

``file`` (存档: everything full) and one per party (that party full, the others masked) only for the roles that
work with the parties, each party shown logged; ``masked`` for anyone who sees the case; ``all``: every party's
copy and the kept one, in one PDF.
"""

import hashlib
import io
import uuid
from types import SimpleNamespace

from sqlalchemy import Connection

from engine import privacy
from engine.cases import check_not_filed, check_visible
from engine.core import clock
from engine.core.errors import Forbidden, InvalidData
from engine.core.events import event
from engine.core.types import User
from engine.documents import context as ctx
from engine.documents import kinds, render
from engine.documents.service import (
    MAKER_ROLES,
    PDF,
    document_row,
    refuse,
    render_pdf,
    render_text,
    signed_view,
)
from engine.documents.templates_store import template_of
from engine.store import attachments as attachment_store
from engine.store import events as event_store

FORMATS = {"pdf": PDF, "html": "text/html; charset=utf-8",
           "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
SIGNED_TYPES = {b"%PDF-": (PDF, "pdf"), b"\xff\xd8\xff": ("image/jpeg", "jpg"),
                b"\x89PNG\r\n\x1a\n": ("image/png", "png")}


def _copies(row, copy: str) -> list[str]:
    """The single copies ``copy`` stands for; InvalidData for one the paper has not."""
    parties = [p["ref"] for p in (row.data or {}).get("parties") or [] if p.get("ref")]
    per_party = (kinds.get(row.kind) or kinds.KINDS["application"]).copies == "parties"
    if copy in ("file", "masked"):
        return [copy]
    if per_party and copy == "all":
        return [*parties, "file"]
    if per_party and copy in parties:
        return [copy]
    raise refuse(f"this document has no copy '{copy}'", "copy", "document_copy_unknown", "not a copy of this document")


def _context(conn: Connection, user: User, row, copy: str) -> dict:
    data = dict(row.data or {})
    if copy == "file":
        data = ctx.with_full(conn, user, row.case_id, data, None)
    elif copy != "masked":
        data = ctx.with_full(conn, user, row.case_id, data, [copy])
    return {**data, "doc": {**data.get("doc", {}), "copy_label": ctx.copy_label(copy, data.get("parties") or [])}}


def _merge_html(pages: list[str]) -> str:
    """Several rendered papers as one HTML document, each starting on a new page."""
    from lxml import html as lhtml

    root = lhtml.document_fromstring(pages[0])
    for text in pages[1:]:
        brk = lhtml.fromstring('<div style="page-break-before: always"></div>')
        for child in lhtml.document_fromstring(text).body:
            brk.append(child)
        root.body.append(brk)
    return lhtml.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")


def _merge_pdf(parts: list[bytes]) -> bytes:
    from pypdf import PdfWriter

    out = PdfWriter()
    for part in parts:
        out.append(io.BytesIO(part))
    buf = io.BytesIO()
    out.write(buf)
    return buf.getvalue()


def default_copy(user: User) -> str:
    return "file" if privacy.may_see_full(user) else "masked"


def render_copy(conn: Connection, user: User, doc_id: str, copy: str | None = None,
                fmt: str = "pdf") -> tuple[bytes | str, str, str]:
    """(the copy as PDF bytes, DOCX bytes or HTML text, its content type, a file name)."""
    row = document_row(conn, user, doc_id)
    if fmt not in FORMATS:
        raise InvalidData(f"format must be one of {', '.join(FORMATS)}", {"format": "not a format"})
    copy = copy or default_copy(user)
    wanted = _copies(row, copy)
    if copy != "masked" and not privacy.may_see_full(user):
        raise Forbidden("only the roles that work with the parties may print copies with their full details")
    template = template_of(conn, row.template_id, row.kind)
    contexts = [_context(conn, user, row, c) for c in wanted]
    label = {"file": "存档", "masked": "隐去个人信息", "all": "全部"}.get(copy) or \
        ctx.copy_label(copy, (row.data or {}).get("parties") or [])
    name = f"{row.title}{row.number or ''}" + (f"-v{row.version}" if row.version > 1 else "") + f"-{label}"
    if fmt == "pdf":
        parts = [render_pdf(template, c)[1] for c in contexts]
        content = parts[0] if len(parts) == 1 else _merge_pdf(parts)
    else:
        pages = [render_text(template, c) for c in contexts]
        html = pages[0] if len(pages) == 1 else _merge_html(pages)
        content = html if fmt == "html" else render.html_to_docx(html)
    return content, FORMATS[fmt], f"{name}.{fmt}"


def attach_signed(conn: Connection, user: User, doc_id: str, filename: str | None, content: bytes) -> dict:
    """Store the signed scan or photo of a paper (PDF, JPEG or PNG) as an attachment that signs it, with a
    ``document_signed`` event."""
    if user.role not in MAKER_ROLES:
        raise Forbidden(f"role '{user.role}' may not add signed documents")
    row = document_row(conn, user, doc_id)
    check_visible(conn, user, row.case_id)
    check_not_filed(conn, row.case_id)
    found = next((v for magic, v in SIGNED_TYPES.items() if content.startswith(magic)), None)
    if found is None:
        raise refuse("a signed document must be a PDF, JPEG or PNG file (checked by its content)", "file",
                     "signed_file_type", "file type not allowed: PDF, JPEG or PNG")
    ctype, ext = found
    base = "".join(c for c in (filename or "").replace("\\", "/").rsplit("/", 1)[-1] if c.isprintable()).strip()
    at = clock.now()
    values = {"id": str(uuid.uuid4()), "case_id": row.case_id, "task_id": row.task_id, "kind": "signed",
              "filename": base[-200:] or f"{row.title}-签署.{ext}", "content_type": ctype, "size": len(content),
              "sha256": hashlib.sha256(content).hexdigest(), "uploaded_by": user.username, "uploaded_at": at,
              "signs_document_id": row.id}
    attachment_store.insert(conn, {**values, "content": content})
    event_store.append(conn, [event(row.case_id, at, user.username, "document_signed", row.task_id,
                                    document_id=row.id, attachment_id=values["id"])])
    return signed_view(SimpleNamespace(**values))
