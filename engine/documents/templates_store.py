"""Which template a paper is made with: the office's newest active upload, else one for every office (office
""), else the packaged default (``templates/<kind>.html``)."""

import hashlib

from sqlalchemy import Connection

from engine.documents import render
from engine.store import documents as store


def packaged(kind: str) -> tuple[None, str, str]:
    text = render.default_template(kind)
    return None, hashlib.sha256(text.encode("utf-8")).hexdigest(), text


def active_template(conn: Connection, office: str, kind: str) -> tuple[int | None, str, str]:
    """(template id or None for the packaged one, sha256 of its text, its text)."""
    for where in dict.fromkeys((office, "")):
        row = store.active_template(conn, where, kind)
        if row is not None:
            return row.id, row.sha256, row.content
    return packaged(kind)


def template_of(conn: Connection, template_id: int | None, kind: str) -> str:
    """The text a document was made with (the packaged one when it was, or its upload is gone)."""
    if template_id is not None:
        row = store.template_by_id(conn, template_id)
        if row is not None:
            return row.content
    return render.default_template(kind)
