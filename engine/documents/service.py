"""Making a case's papers: generate (numbered, stored, versioned), preview (no number), read them back.

A paper is made from the case and the form data of the task that offers it: what the task was completed with,
else the draft being printed (``data``), else the task's saved draft. The 文号 is taken in the same transaction
(``next_serial``), so a rolled-back paper gives its number back. Making it again adds a version with the same
number; the earlier one stays, no longer current.
"""

import hashlib
import json
import uuid
from datetime import date

from sqlalchemy import Connection

from engine.cases import check_not_filed, check_visible
from engine.core import clock
from engine.core.errors import Forbidden, InvalidData, NotFound
from engine.core.scope import scope
from engine.core.types import User
from engine.documents import context as ctx
from engine.documents import kinds, render
from engine.documents.offices import office_of
from engine.documents.templates_store import active_template
from engine.store import attachments as attachment_store
from engine.store import document_numbers
from engine.store import documents as store
from engine.store import events as event_store

MAKER_ROLES = ("intake", "mediator", "lawyer", "supervisor")
PENDING_NUMBER = "（文号待编）"
MAX_DATA_BYTES = 256 * 1024
PDF = "application/pdf"


class DocumentTemplateError(InvalidData):
    """The template cannot be rendered with this case (a supervisor's upload naming what is not there …)."""

    code = "template_error"


def refuse(message: str, field: str, kind: str, reason: str) -> InvalidData:
    """A field error whose ``kind`` the API translates (api/i18n.py FIELD_MESSAGES)."""
    err = InvalidData(message, {field: reason})
    err.kinds = {field: kind}
    return err


def number_of(year: int, office_code: str, word: str, serial: int) -> str:
    """The 文号 as printed: (2026)福田人调字第12号."""
    return f"({year}){office_code}{word}字第{serial}号"


def today() -> date:
    return clock.now().astimezone(ctx.SHANGHAI).date()


def _kind(code: str) -> kinds.Kind:
    kind = kinds.KINDS.get(code) if isinstance(code, str) else None
    if kind is None:
        raise refuse(f"unknown document kind: {code}", "kind", "document_kind_unknown", "not a document kind")
    return kind


def _check_maker(conn: Connection, user: User, case_id: int) -> None:
    if user.role not in MAKER_ROLES:
        raise Forbidden(f"role '{user.role}' may not make documents")
    check_visible(conn, user, case_id)


def _task_for(conn: Connection, case_id: int, kind: kinds.Kind, task_id: str | None, closed: bool = False):
    """The task whose form the paper is made from: the one named (it must offer the kind), else the case's
    newest task offering it; None for a kind no task offers."""
    if task_id is not None:
        task = store.task_row(conn, str(task_id))
        if task is None or task.case_id != case_id:
            raise refuse(f"task {task_id} is not a task of this case", "task_id", "document_task_other_case",
                         "not a task of this case")
        if task.element_id not in kind.tasks:
            raise refuse(f"{kind.title} is not made at this task", "kind", "document_not_offered",
                         "not offered at this task")
        if task.status == "cancelled":
            raise refuse(f"task {task_id} was cancelled", "task_id", "document_task_cancelled", "cancelled")
        return task
    if not kind.tasks:
        return None
    task = store.latest_task_at(conn, case_id, kind.tasks)
    if task is None and closed and kind.when_closed:
        return None  # e.g. the 结案报告 of a closed case that had no leader's sign-off
    if task is None:
        raise refuse(f"{kind.title} is made at a task this case has not reached", "kind", "document_not_reached",
                     "no task of this case offers it")
    return task


def _form(conn: Connection, task, data) -> dict:
    """Submitted data of a completed task; else ``data`` (the draft being printed); else the saved draft."""
    if task is None:
        return {}
    if task.status == "completed":
        return store.submitted_data(conn, task.id) or {}
    if data is not None:
        if not isinstance(data, dict):
            raise InvalidData("data must be a JSON object", {"data": "not an object"})
        if len(json.dumps(data, ensure_ascii=False, default=str)) > MAX_DATA_BYTES:
            raise InvalidData("data is too large", {"data": "too large"})
        return data
    return store.draft_data(conn, task.id) or {}


def _schema(case, task) -> dict | None:
    if task is None or not task.form_key:
        return None
    return (case.forms or {}).get(task.form_key)


def _case(conn: Connection, case_id: int):
    case = store.case_row(conn, case_id)
    if case is None:
        raise NotFound(f"case {case_id} not found")
    return case


def render_pdf(template: str, context: dict) -> tuple[str, bytes]:
    try:
        html = render.render_html(template, context)
    except render.TemplateError as e:
        raise DocumentTemplateError(f"the template cannot be rendered: {e}", {"template": str(e)[:300]}) from e
    return html, render.html_to_pdf(html)


def render_text(template: str, context: dict) -> str:
    try:
        return render.render_html(template, context)
    except render.TemplateError as e:
        raise DocumentTemplateError(f"the template cannot be rendered: {e}", {"template": str(e)[:300]}) from e


def preview(conn: Connection, user: User, case_id: int, kind: str, task_id: str | None = None,
            data: dict | None = None) -> str:
    """The paper as HTML, numbered "（文号待编）", parties masked; nothing is stored, no number taken."""
    _check_maker(conn, user, case_id)
    k = _kind(kind)
    case = _case(conn, case_id)
    task = _task_for(conn, case_id, k, task_id, closed=case.status == "completed")
    office = office_of(case.community)
    _, _, template = active_template(conn, office["code"], k.code)
    doc = ctx.doc_fields(kind=k, number=PENDING_NUMBER if k.word else "", year=None, serial=None, version=0,
                         issued_on=today(), draft=True)
    return render_text(template, ctx.build(conn, case, form_schema=_schema(case, task),
                                           form=_form(conn, task, data), doc=doc))


def generate(conn: Connection, user: User, case_id: int, kind: str, task_id: str | None = None,
             data: dict | None = None, note: str | None = None) -> dict:
    """Make the paper: its 文号 (the same as the version it corrects), the stored rendering (masked PDF), a
    ``document_issued`` event; the earlier version stays, no longer current."""
    _check_maker(conn, user, case_id)
    check_not_filed(conn, case_id)
    k = _kind(kind)
    if note is not None and (not isinstance(note, str) or len(note) > 500):
        raise InvalidData("note: at most 500 characters", {"note": "too long"})
    case = _case(conn, case_id)
    task = _task_for(conn, case_id, k, task_id, closed=case.status == "completed")
    form = _form(conn, task, data)
    store.lock_case(conn, case_id)
    earlier = store.current_of(conn, case_id, k.code, None if k.word else (task.id if task else None))
    if earlier is None and not k.word and task is not None:
        # the same paper printed again at a later step (申请书 at intake, then at acceptance) is its next version;
        # only a task that repeats (a second session's 笔录) makes another paper
        earlier = store.current_at_other_step(conn, case_id, k.code, task.element_id)
    office = office_of(case.community)
    issued = today()
    year = serial = None
    number = ""
    if earlier is not None and earlier.serial is not None:
        year, serial, number = earlier.year, earlier.serial, earlier.number
    elif k.word:
        year = issued.year
        serial = document_numbers.next_serial(conn, office["code"], year, k.code)
        number = number_of(year, office["code"], k.word, serial)
    version = earlier.version + 1 if earlier is not None else 1
    template_id, template_sha, template = active_template(conn, office["code"], k.code)
    doc = ctx.doc_fields(kind=k, number=number, year=year, serial=serial, version=version, issued_on=issued,
                         draft=False)
    context = ctx.build(conn, case, form_schema=_schema(case, task), form=form, doc=doc)
    _, pdf = render_pdf(template, context)
    at = clock.now()
    doc_id, attachment_id = str(uuid.uuid4()), str(uuid.uuid4())
    sha = hashlib.sha256(pdf).hexdigest()
    filename = f"{k.title}{number or ''}.pdf" if version == 1 else f"{k.title}{number or ''}-v{version}.pdf"
    attachment_store.insert(conn, {"id": attachment_id, "case_id": case_id, "task_id": task.id if task else None,
                                   "kind": "document", "filename": filename, "content_type": PDF,
                                   "size": len(pdf), "sha256": sha, "content": pdf, "uploaded_by": user.username,
                                   "uploaded_at": at})
    if earlier is not None:
        store.retire(conn, earlier.id)
    store.insert(conn, {"id": doc_id, "case_id": case_id, "kind": k.code, "title": k.title, "office": office["code"],
                        "year": year, "serial": serial, "number": number or None, "version": version,
                        "current": True, "task_id": task.id if task else None, "issued_on": issued,
                        "template_id": template_id, "template_sha256": template_sha,
                        "data": json.loads(json.dumps(context, ensure_ascii=False, default=str)),
                        "attachment_id": attachment_id, "created_by": user.username, "created_at": at,
                        "note": note.strip() if note and note.strip() else None})
    event_store.append(conn, [{"case_id": case_id, "at": at, "actor": user.username, "kind": "document_issued",
                               "task_id": task.id if task else None,
                               "data": {"document_id": doc_id, "kind": k.code, "title": k.title,
                                        "number": number or None, "version": version,
                                        "issued_on": issued.isoformat()}}])
    return get_document(conn, user, doc_id)


# ----------------------------------------------------------------------------- reading
def copies_of(row) -> list[dict]:
    """The copies a document is printed in: 存档 (file), 隐去个人信息 (masked), and per party for kinds given to
    the parties, then ``all`` (every copy in turn)."""
    out = [{"copy": "file", "label": "存档"}, {"copy": "masked", "label": "隐去个人信息"}]
    k = kinds.get(row.kind)
    if k is not None and k.copies == "parties":
        parties = (row.data or {}).get("parties") or []
        out += [{"copy": p["ref"], "label": ctx.copy_label(p["ref"], parties)} for p in parties if p.get("ref")]
        out.append({"copy": "all", "label": "全部（各方当事人及存档）"})
    return out


def signed_view(a) -> dict:
    return {"id": a.id, "case_id": a.case_id, "task_id": a.task_id, "kind": a.kind, "filename": a.filename,
            "content_type": a.content_type, "size": a.size, "sha256": a.sha256, "uploaded_by": a.uploaded_by,
            "uploaded_at": a.uploaded_at, "url": f"/api/v1/attachments/{a.id}",
            "signs_document_id": a.signs_document_id}


def view(row, signed: list) -> dict:
    base = f"/api/v1/documents/{row.id}"
    return {"id": row.id, "case_id": row.case_id, "kind": row.kind, "title": row.title, "number": row.number,
            "version": row.version, "current": bool(row.current), "issued_on": row.issued_on,
            "task_id": row.task_id, "created_by": row.created_by, "created_at": row.created_at, "note": row.note,
            "sha256": row.sha256, "attachment_id": row.attachment_id, "copies": copies_of(row),
            "signed": [signed_view(a) for a in signed if a.signs_document_id == row.id],
            "urls": {"pdf": f"{base}/pdf", "docx": f"{base}/docx", "preview": f"{base}/preview"}}


def _views(conn: Connection, rows: list) -> list[dict]:
    signed = store.signed_for(conn, [r.id for r in rows])
    return [view(r, signed) for r in rows]


def documents_of_case(conn: Connection, user: User, case_id: int) -> list[dict]:
    """Every version of every paper of the case, newest first."""
    check_visible(conn, user, case_id)
    return _views(conn, store.for_case(conn, case_id))


def documents_of_task(conn: Connection, user: User, task_id: str) -> dict:
    """What the task's page offers ({kind, title, title_en, made}) and the papers made at it."""
    task = store.task_row(conn, str(task_id))
    if task is None:
        raise NotFound(f"task {task_id} not found")
    check_visible(conn, user, task.case_id)
    rows = store.for_task(conn, task.id)
    made = {r.kind for r in rows}
    return {"offered": [{"kind": k.code, "title": k.title, "title_en": k.title_en, "made": k.code in made}
                        for k in kinds.offered_at(task.element_id)],
            "documents": _views(conn, rows)}


def document_row(conn: Connection, user: User, doc_id: str):
    row = store.get(conn, str(doc_id), scope(user))
    if row is None:
        raise NotFound(f"document {doc_id} not found")
    return row


def get_document(conn: Connection, user: User, doc_id: str) -> dict:
    return _views(conn, [document_row(conn, user, doc_id)])[0]


def document_kinds() -> list[dict]:
    """Every kind: code, title, title_en, whether it is numbered, the tasks offering it, its copies."""
    return [{"kind": k.code, "title": k.title, "title_en": k.title_en, "numbered": k.word is not None,
             "tasks": list(k.tasks), "copies": k.copies} for k in kinds.KINDS.values()]


def case_id_of(conn: Connection, case_number: str) -> int:
    """The id of the case numbered ``case_number`` (福田调〔2026〕0001号); NotFound if there is none."""
    case_id = store.case_id_by_number(conn, str(case_number).strip())
    if case_id is None:
        raise NotFound(f"case {case_number} not found")
    return case_id
