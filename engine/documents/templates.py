"""Template uploads: a supervisor (or admin) replaces the packaged template of a kind for an office (office "" =
every office) with a new version, checked first against the contract and the forms of the kind's tasks (the
latest deployed processes, else the packaged ``bpmn/``); versions can be previewed with the sample case,
retired and activated again. The packaged template of a kind is its version 0.
"""

import hashlib

from sqlalchemy import Connection

from engine.core import clock
from engine.core.errors import Forbidden, InvalidData, NotFound, TooLarge
from engine.core.types import User
from engine.documents import forms as form_source
from engine.documents.fields import active_content, check_template
from engine.documents.kinds import FILE_KINDS, KINDS
from engine.documents.kinds import get as get_kind
from engine.documents.offices import office_codes
from engine.documents.render import TemplateError, base_css, default_template, render_html
from engine.documents.sample import sample_context
from engine.store import document_templates as store

TEMPLATE_ROLES = ("supervisor", "admin")
MAX_TEMPLATE_BYTES = 256 * 1024


def _may(user: User) -> None:
    if user.role not in TEMPLATE_ROLES:
        raise Forbidden("只有主管或管理员可以管理文书模板 (only a supervisor or an admin manages document templates)")


def _kind(kind: str):
    k = get_kind(kind)
    if k is None:
        raise NotFound(f"没有这种文书：{kind} (no such document kind)")
    return k


def _office(office: str | None) -> str:
    office = (office or "").strip()
    if office and office not in office_codes():
        raise InvalidData(f"没有这个办事处代码：{office}", {"office": f"未知办事处代码“{office}”"})
    return office


def _view(row) -> dict:
    return {"id": row.id, "kind": row.kind, "office": row.office, "version": row.version, "filename": row.filename,
            "sha256": row.sha256, "note": row.note, "active": bool(row.active), "uploaded_by": row.uploaded_by,
            "uploaded_at": row.uploaded_at}


def _forms(conn: Connection, kind: str) -> tuple[list[dict], list[dict]]:
    """(the forms of the kind's tasks, every form) of the deployed processes, else the packaged ones."""
    tasks, forms = store.deployed_forms(conn)
    if not forms:
        tasks, forms = form_source.packaged()
    return form_source.forms_of(kind, tasks, forms), form_source.all_forms(forms)


def _checked(conn: Connection, kind: str, text: str) -> tuple[list[dict], list[dict]]:
    """Check the template; then render it with the sample case so that a runtime fault is refused too."""
    of_kind, every = _forms(conn, kind)
    check_template(kind, text, of_kind, every)
    full = sample_context(kind, of_kind, every)
    try:
        html = render_html(text, full)
    except TemplateError as e:
        raise InvalidData(f"模板无法用示例案件生成：{e}", {"template": f"示例案件渲染失败：{e}"}) from e
    active = active_content(html)
    if active:
        raise InvalidData(f"模板不能含脚本、嵌入或外部链接：{'、'.join(active)}",
                          {"html": "不允许：" + "、".join(active)})
    empty = {**full, "form": {}, "form_labels": {}, "data": {}, "data_labels": {}}
    try:  # a form field may be empty (optional, or a draft being printed): the template must still render
        render_html(text, empty)
    except TemplateError as e:
        raise InvalidData(f"表单字段为空时模板无法生成：{e}",
                          {"template": f"表单字段为空时无法生成（{e}）：请写成 {{{{ form.字段|d(\"\") }}}}"}) from e
    return of_kind, every


def _decode(content: bytes) -> str:
    if len(content) > MAX_TEMPLATE_BYTES:
        raise TooLarge(f"模板超过 {MAX_TEMPLATE_BYTES // 1024} KiB 上限 (the template is over the size limit)")
    if not content.strip():
        raise InvalidData("模板文件是空的", {"file": "文件为空"})
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InvalidData("模板须为 UTF-8 编码的 HTML 文本", {"file": f"不是 UTF-8 文本（第{e.start}字节）"}) from e
    if "\x00" in text:
        raise InvalidData("模板须为 UTF-8 编码的 HTML 文本", {"file": "含有空字符，不是文本文件"})
    return text


def upload_template(conn: Connection, user: User, kind: str, filename: str, content: bytes, office: str = "",
                    note: str | None = None) -> dict:
    """Store the template as the next version of (office, kind), active; ``InvalidData`` naming every unknown
    field (dotted paths) or the syntax error's line if it is refused."""
    _may(user)
    _kind(kind)
    office = _office(office)
    filename = (filename or f"{kind}.html").strip()[:255] or f"{kind}.html"
    if note is not None and len(note) > 500:
        raise InvalidData("说明过长（最多500字）", {"note": "最多500字"})
    text = _decode(content)
    _checked(conn, kind, text)
    store.lock(conn, office, kind)
    row = store.insert(conn, office=office, kind=kind, filename=filename, content=text,
                       sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(), note=note or None,
                       uploaded_by=user.username, at=clock.now())
    return _view(row)


def _active(rows: list, office: str) -> tuple[str, int]:
    """(office, version) used for ``office``: its newest active version, else that of office "", else (“”, 0)."""
    for o in dict.fromkeys((office, "")):
        active = [r.version for r in rows if r.office == o and r.active]
        if active:
            return o, max(active)
    return "", 0


def list_templates(conn: Connection, user: User, office: str = "") -> list[dict]:
    """Per kind (卷内目录 order, then the case file's papers): the version in use for ``office`` and the
    stored versions of ``office`` and of every office (""), newest first. Version 0 is the packaged one."""
    _may(user)
    office = _office(office)
    rows = store.versions(conn)
    out = []
    for k in [*KINDS.values(), *FILE_KINDS.values()]:
        mine = [r for r in rows if r.kind == k.code and r.office in (office, "")]
        active_office, active_version = _active(mine, office)
        out.append({"kind": k.code, "title": k.title, "title_en": k.title_en, "office": office,
                    "active_office": active_office, "active_version": active_version,
                    "versions": [_view(r) for r in mine]})
    return out


def template_text(conn: Connection, user: User, kind: str, version: int | None = None, office: str = "") -> dict:
    """The text of a version (0: the packaged template; None: the one in use for ``office``)."""
    _may(user)
    _kind(kind)
    office = _office(office)
    if version is None:
        office, version = _active(store.versions(conn, kind), office)
    if version == 0:
        try:
            text = default_template(kind)
        except FileNotFoundError as e:
            raise NotFound(f"{kind} 没有内置模板 (no packaged template)") from e
        return {"kind": kind, "office": "", "version": 0, "filename": f"{kind}.html", "active": True, "text": text}
    row = store.get(conn, kind, version, office)
    if row is None:
        raise NotFound(f"没有该模板版本：{kind} 第{version}版 (no such template version)")
    return {**_view(row), "text": row.content}


def preview_template(conn: Connection, user: User, kind: str, text: str | bytes | None = None,
                     version: int | None = None, office: str = "") -> str:
    """The template (uploaded text, or a stored version) rendered with the sample case as a whole HTML page
    with the 公文 stylesheet inline; ``InvalidData`` as at upload."""
    _may(user)
    _kind(kind)
    if text is None:
        text = template_text(conn, user, kind, version, office)["text"]
    elif isinstance(text, bytes):
        text = _decode(text)
    of_kind, every = _checked(conn, kind, text)
    html = render_html(text, sample_context(kind, of_kind, every))
    style = f"<style>{base_css()}</style>"
    return html.replace("</head>", style + "</head>", 1) if "</head>" in html else style + html


def _set(conn: Connection, user: User, kind: str, version: int, office: str, active: bool) -> dict:
    _may(user)
    _kind(kind)
    office = _office(office)
    if not store.set_active(conn, kind, version, office, active):
        raise NotFound(f"没有该模板版本：{kind} 第{version}版 (no such template version)")
    return _view(store.get(conn, kind, version, office))


def activate_template(conn: Connection, user: User, kind: str, version: int, office: str = "") -> dict:
    """Use this version again (the newest active version is the one used)."""
    return _set(conn, user, kind, version, office, True)


def retire_template(conn: Connection, user: User, kind: str, version: int, office: str = "") -> dict:
    """Stop using this version (the previous active one, or the packaged template, is used)."""
    return _set(conn, user, kind, version, office, False)
