"""Make a case's documents along a path of the shipped processes and read them back as text.

``Papers`` records what a path makes. In a path (see ``tests.helpers.process_driver``)::

    papers = Papers()
    drive(db, "dispute_case", data=intake(), sign_agreements=False, steps=[   # registered in its community
        *papers.at("intake", intake()),                          # every kind the task offers, then complete it
        ...
        *papers.at("mediation_agreement", agreement(), kinds=["agreement"], sign=True),  # signed scan uploaded
        ("follow_up_visit", FOLLOW_UP),                          # a task completed without a document
    ])

Each kind is made with ``engine.documents.generate`` while its task is open, from the form data the path is
about to submit (the draft being printed). Afterwards ``papers.text(db, kind)`` is the extracted text (pypdf) of
the PDF kept with the case (masked) or of a copy, whitespace removed (a PDF's line breaks fall anywhere in Chinese
text).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from pypdf import PdfReader

from engine import documents
from engine.core.types import User
from tests.helpers.documents import MEDIATOR, SIGNED_PDF
from tests.helpers.process_driver import AtTask

OFFICE = "福田"  # settings.case_number_prefix: the office code in the 文号 when TIAOJIE_OFFICE_CODE is unset
COMMITTEE = "福田街道人民调解委员会"


ISO_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")


def masked_id(number: str) -> str:
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def number(year: int, word: str, serial: int, office: str = OFFICE) -> str:
    """A 文号 as the documents print it: (2025)福田人调字第1号."""
    return f"({year}){office}{word}字第{serial}号"


def flat(text: str) -> str:
    """Text without whitespace; full-width brackets as ASCII (templates may print either)."""
    return re.sub(r"\s+", "", text).replace("（", "(").replace("）", ")")


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF-"), content[:20]
    return flat("".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages))


@dataclass
class Made:
    kind: str
    element: str
    form: dict | None
    doc: dict  # what generate returned (DocumentOut fields)


def _field(doc, name):
    return doc[name] if isinstance(doc, dict) else getattr(doc, name)


class Papers:
    """The documents of one path, in the order made."""

    def __init__(self, user: User = MEDIATOR):
        self.user = user
        self.made: list[Made] = []
        self.signed: list[dict] = []
        self._texts: dict[tuple, str] = {}

    # --------------------------------------------------------------------------- steps
    def make(self, element: str, kind: str, data: dict | None = None) -> AtTask:
        """Step: make ``kind`` at the open task ``element`` from ``data``, else from the form data about to be
        submitted."""

        def fn(conn, task, form):
            assert kind in [k.code for k in documents.offered_at(element)], f"{element} does not offer {kind}"
            form = data if data is not None else form
            doc = documents.generate(conn, self.user, task.case_id, kind, task_id=task.id,
                                     data=dict(form) if form is not None else None)
            self.made.append(Made(kind, element, form, doc))

        return AtTask(element, fn)

    def sign(self, element: str, kind: str = "agreement") -> AtTask:
        """Step: upload the signed scan of the last ``kind`` document made (before ``element`` is completed)."""

        def fn(conn, task, form):
            doc = self.last(kind)
            row = documents.attach_signed(conn, self.user, _field(doc, "id"), "signed.pdf", SIGNED_PDF)
            self.signed.append(row)

        return AtTask(element, fn)

    def at(self, element: str, form: dict, kinds: list[str] | None = None, sign: bool = False) -> list:
        """Steps: make every kind ``element`` offers (or ``kinds``), upload the signed agreement if ``sign``, then
        complete ``element`` with ``form``."""
        codes = kinds if kinds is not None else [k.code for k in documents.offered_at(element)]
        assert codes, f"{element} offers no document"
        steps = [self.make(element, code) for code in codes]
        if sign:
            steps.append(self.sign(element))
        return [*steps, (element, form)]

    # --------------------------------------------------------------------------- reading
    def all(self, kind: str) -> list[dict]:
        return [m.doc for m in self.made if m.kind == kind]

    def last(self, kind: str) -> dict:
        docs = self.all(kind)
        assert docs, f"no {kind} made; made: {[m.kind for m in self.made]}"
        return docs[-1]

    def kinds(self) -> list[str]:
        return [m.kind for m in self.made]

    def pdf(self, db, kind: str, copy: str, user: User | None = None, doc: dict | None = None) -> bytes:
        doc = doc if doc is not None else self.last(kind)
        with db.begin() as conn:
            content, ctype, _ = documents.render_copy(conn, user or self.user, _field(doc, "id"), copy, "pdf")
        assert ctype == "application/pdf", ctype
        return content

    def text(self, db, kind: str, copy: str | None = None, user: User | None = None, doc: dict | None = None) -> str:
        """The extracted text of the last ``kind`` made (or of ``doc``), whitespace removed: of the rendering
        kept with the case (``copy=None``: masked, as stored) or of a copy rendered for ``user``."""
        doc = doc if doc is not None else self.last(kind)
        key = (_field(doc, "id"), copy, (user or self.user).username)
        if key not in self._texts:
            content = stored_pdf(db, doc) if copy is None else self.pdf(db, kind, copy, user, doc)
            self._texts[key] = pdf_text(content)
        return self._texts[key]

    def check_dates(self, db) -> None:
        """Every paper made writes its dates in Chinese (2025年3月3日), none as 2025-03-03."""
        bad = {}
        for m in self.made:
            found = ISO_DATE.findall(self.text(db, m.kind, doc=m.doc))
            if found:
                bad[f"{m.kind}@{m.element}"] = found
        assert not bad, f"ISO dates on Chinese papers: {bad}"


def number_of(doc) -> str:
    return flat(_field(doc, "number") or "")


def ref_of(doc, name: str) -> str:
    """The party_ref of the party called ``name`` (from the document's copies: the per-party copy labelled with it)."""
    copies = _field(doc, "copies")
    match = [c["copy"] for c in copies if name in c["label"]]
    assert len(match) == 1, copies
    return match[0]


def has_all(text: str, *needles: str) -> None:
    """Each needle (whitespace removed) is in ``text``; the missing ones listed at once."""
    missing = [n for n in needles if flat(n) not in text]
    assert not missing, f"missing {missing} in: {text[:1500]}"


def has_none(text: str, *needles: str) -> None:
    present = [n for n in needles if flat(n) in text]
    assert not present, f"should not contain {present}: {text[:1500]}"



def stored_pdf(db, doc) -> bytes:
    """The rendering kept with the case (the document's attachment), as stored."""
    from sqlalchemy import select

    from engine.store.tables import attachments

    with db.begin() as conn:
        row = conn.execute(select(attachments.c.content, attachments.c.kind, attachments.c.sha256)
                           .where(attachments.c.id == _field(doc, "attachment_id"))).one()
    assert row.kind == "document", row.kind
    return bytes(row.content)
