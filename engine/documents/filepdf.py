"""The whole case file as one PDF: cover (卷宗封面), 卷内目录, every paper, back page (卷宗备考表), page numbers.

Papers are the stored renderings of the case's documents (``documents.attachment_id``), their signed scans and the
other attachments: PDFs as they are, JPEG/PNG placed on an A4 page, DOCX listed but not merged. Every page of the
merged file carries its number (top right, the 页号 of a 卷宗); the 目录 names the page each paper starts on, which
depends on the length of the cover and of the 目录 itself, so the 目录 is rendered until its length stands still.
"""

import base64
import io
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from engine.core.privacy import mask_deep
from engine.documents.contract import LISTS, ROOTS
from engine.documents.kinds import FILE_KINDS, KINDS
from engine.documents.render import default_template, html_to_pdf, no_fetch, render_html
from engine.store import case_files as store

SHANGHAI = ZoneInfo("Asia/Shanghai")
CLASS_LABELS = {"permanent": "永久", "long": "长期", "short": "短期"}
PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
ATTACHMENT_TITLES = {"agreement": "调解协议书", "record": "笔录", "evidence": "证据材料", "other": "其他材料",
                     "signed": "签字文书"}
ROLE_LABELS = {"applicant": "申请人", "respondent": "被申请人", "third_party": "第三人", "agent": "代理人"}
HISTORY_LABELS = {"case_filed": "立卷归档", "case_reopened": "重新开卷"}
_IMAGE_PAGE = ('<!DOCTYPE html><html><head><meta charset="utf-8"><style>@page {{ size: A4; margin: 10mm; '
               '@bottom-center {{ content: none !important; }} }} body {{ margin: 0; }} '
               'img {{ display: block; margin: 0 auto; max-width: 190mm; max-height: 270mm; }}</style></head>'
               '<body><img src="data:{ctype};base64,{data}"></body></html>')


@dataclass
class Laid:
    contents: list[dict]
    pages: int
    parts: list[bytes] = field(default_factory=list)  # cover, 目录, papers…, back page (PDF bytes)


def page_count(pdf: bytes | None) -> int:
    if not pdf:
        return 0
    from pypdf import PdfReader

    try:
        return len(PdfReader(io.BytesIO(pdf)).pages)
    except Exception:  # a broken upload is listed with no pages rather than breaking the file
        return 0


def as_pdf(content_type: str, content: bytes) -> bytes | None:
    """A paper as PDF: PDFs as they are, an image on an A4 page, anything else None (not merged)."""
    if content_type == PDF:
        return content
    if content_type in (JPEG, PNG):
        from weasyprint import HTML

        html = _IMAGE_PAGE.format(ctype=content_type, data=base64.b64encode(content).decode("ascii"))
        return HTML(string=html, url_fetcher=no_fetch()).write_pdf()
    return None


def cn_date(value) -> str:
    """2026年12月5日 (a time as the day in China)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(SHANGHAI).date()
    return f"{value.year}年{value.month}月{value.day}日"


# ----------------------------------------------------------------------------- the papers
def papers(conn: Connection, case_id: int) -> list[dict]:
    """The 卷内目录's items of the case now (without pages): current documents in KINDS order, each followed by
    its signed scans, then the other attachments."""
    docs = sorted(store.current_documents(conn, case_id),
                  key=lambda d: (KINDS[d.kind].order if d.kind in KINDS else 10_000, d.issued_on, d.created_at))
    atts = store.attachments_of(conn, case_id)
    shown = {d.attachment_id for d in docs}
    items = []
    for d in docs:
        items.append({"kind": d.kind, "document_id": d.id, "attachment_id": d.attachment_id, "title": d.title,
                      "number": d.number, "issued_on": d.issued_on.isoformat(), "issued_on_cn": cn_date(d.issued_on),
                      "content_type": PDF, "note": f"第{d.version}版" if d.version > 1 else None})
        for a in atts:
            if a.signs_document_id == d.id:
                shown.add(a.id)
                items.append(_attachment_item(a, f"{d.title}（签字本）", d.id))
    for a in atts:
        if a.id not in shown and a.kind != "document":
            items.append(_attachment_item(a, f"{ATTACHMENT_TITLES.get(a.kind, '其他材料')}：{a.filename}", None))
    return items


def _attachment_item(a, title: str, signs: str | None) -> dict:
    day = a.uploaded_at
    return {"kind": "signed" if signs else a.kind, "document_id": signs, "attachment_id": a.id, "title": title,
            "number": None, "issued_on": day.date().isoformat(), "issued_on_cn": cn_date(day),
            "content_type": a.content_type, "note": None}


def _with_pdfs(conn: Connection, items: list[dict]) -> list[tuple[dict, bytes | None]]:
    stored = store.contents_of(conn, [i["attachment_id"] for i in items if i.get("attachment_id")])
    out = []
    for i in items:
        ctype, content = stored.get(i.get("attachment_id"), (i.get("content_type"), b""))
        pdf = as_pdf(ctype, content) if content else None
        item = {**i, "pages": page_count(pdf)}
        if pdf is None or not item["pages"]:
            item["note"] = item.get("note") or ("电子文件，未并入本卷 PDF" if content else "文件缺失")
            pdf = None
        out.append((item, pdf))
    return out


# ----------------------------------------------------------------------------- the context
def _parties(case) -> list[dict]:
    data = case.data if isinstance(case.data, dict) else {}
    raw = [p for p in (data.get("parties") or []) if isinstance(p, dict)]
    out = []
    for p in mask_deep(raw):
        item = {k: None for k in LISTS["parties"]}
        item.update({k: p.get(k) for k in LISTS["parties"] if isinstance(p.get(k), str)})
        item["ref"] = p.get("party_ref")
        item["role_label"] = ROLE_LABELS.get(p.get("role"), p.get("role") or "")
        out.append(item)
    return out


def _case(case) -> dict:
    from engine.ledger.codes import DISPUTE_TYPE_CODES, OUTCOME_CODES

    out = {k: None for k in ROOTS["case"]}
    out.update(case_number=case.case_number, process_key=case.process_key, summary=case.summary,
               community=case.community, status=case.status, outcome=case.outcome,
               dispute_type=case.dispute_type, dispute_type_label=DISPUTE_TYPE_CODES.get(case.dispute_type or ""),
               outcome_label=OUTCOME_CODES.get(case.outcome or "", case.outcome)
               or ("撤销" if case.status == "cancelled" else None),
               received_on=case.received_on.isoformat() if case.received_on else None,
               received_on_cn=cn_date(case.received_on), accepted_on_cn=cn_date(case.accepted_on),
               closed_on_cn=cn_date(case.closed_on or case.completed_at), created_on_cn=cn_date(case.created_at))
    return out


def _history(events) -> list[dict]:
    out = []
    for e in events:
        data = e.data if isinstance(e.data, dict) else {}
        out.append({"kind": e.kind, "kind_label": HISTORY_LABELS.get(e.kind, e.kind), "by": e.actor,
                    "on_cn": cn_date(e.at), "reason": data.get("reason")})
    return out


def _context(case, office: dict, record: dict, contents: list[dict], pages: int, events) -> dict:
    parties = _parties(case)
    filed = {"file_number": record["file_number"], "year": record["year"], "retention": record["retention"],
             "retention_label": CLASS_LABELS.get(record["retention"], record["retention"]),
             "retention_years": record["retention_years"], "filed_by": record["filed_by"],
             "filed_on_cn": cn_date(record["filed_at"]), "pages": pages,
             "reopen_reason": record.get("reopen_reason")}
    return {"doc": {k: None for k in ROOTS["doc"]}, "office": {k: office.get(k) for k in ROOTS["office"]},
            "case": _case(case), "form": {}, "form_labels": {}, "data": {}, "data_labels": {},
            "mediator": {"name": None}, "parties": parties, "clocks": [],
            "applicants": [p for p in parties if p["role"] == "applicant"],
            "respondents": [p for p in parties if p["role"] == "respondent"],
            "others": [p for p in parties if p["role"] not in ("applicant", "respondent")],
            "file": filed, "contents": contents, "history": _history(events)}


def _render(kind: str, context: dict) -> bytes:
    ctx = {**context, "doc": {**context["doc"], "kind": kind, "title": FILE_KINDS[kind].title}}
    return html_to_pdf(render_html(default_template(kind), ctx))


# ----------------------------------------------------------------------------- layout and merge
def _lay(case, office: dict, record: dict, with_pdfs: list[tuple[dict, bytes | None]], events) -> Laid:
    body = sum(i["pages"] for i, _ in with_pdfs)
    contents = [i for i, _ in with_pdfs]
    back_item = {"kind": "file_back", "document_id": None, "attachment_id": None,
                 "title": FILE_KINDS["file_back"].title, "number": None, "issued_on": None, "issued_on_cn": None,
                 "content_type": PDF, "note": None, "pages": 1}
    cover_pages, toc_pages, back_pages = 1, 1, 1
    for _ in range(6):  # each pass may change one length; all stand still after a few
        total = cover_pages + toc_pages + body + back_pages
        start = cover_pages + toc_pages + 1
        laid = []
        for seq, item in enumerate([*contents, {**back_item, "pages": back_pages}], start=1):
            first = start if item["pages"] else None
            laid.append({**item, "seq": seq, "first_page": first,
                         "last_page": start + item["pages"] - 1 if item["pages"] else None})
            start += item["pages"]
        ctx = _context(case, office, record, laid, total, events)
        cover, toc, back = _render("file_cover", ctx), _render("file_toc", ctx), _render("file_back", ctx)
        now = (page_count(cover), page_count(toc), page_count(back))
        if now == (cover_pages, toc_pages, back_pages):
            return Laid(laid, total, [cover, toc, *(p for _, p in with_pdfs if p), back])
        cover_pages, toc_pages, back_pages = now
    raise RuntimeError("the case file's layout does not settle")


def layout(conn: Connection, case, office: dict, record: dict, events) -> Laid:
    """The file of the case as it is now (at filing)."""
    return _lay(case, office, record, _with_pdfs(conn, papers(conn, case.id)), events)


def _stamp(merged: bytes, pages: int) -> bytes:
    from pypdf import PdfReader, PdfWriter
    from weasyprint import HTML

    marks = "".join(f'<div class="n">{n}</div>' for n in range(1, pages + 1))
    overlay = HTML(string='<!DOCTYPE html><html><head><style>@page { size: A4; margin: 0 } body { margin: 0 } '
                          '.n { page-break-after: always; height: 20mm; padding: 10mm 14mm 0 0; text-align: right; '
                          'font: 12pt "Noto Serif CJK SC", serif; } .n:last-child { page-break-after: auto }'
                          f'</style></head><body>{marks}</body></html>').write_pdf()
    numbers = PdfReader(io.BytesIO(overlay)).pages
    out = PdfWriter(clone_from=PdfReader(io.BytesIO(merged)))
    for page, mark in zip(out.pages, numbers, strict=True):
        page.merge_transformed_page(mark, _to_top(page, mark))
    buf = io.BytesIO()
    out.write(buf)
    return buf.getvalue()


def _to_top(page, mark):
    """Moves the A4 mark so its top right meets the page's top right, whatever the page's size."""
    from pypdf import Transformation

    dx = float(page.mediabox.right) - float(mark.mediabox.right)
    dy = float(page.mediabox.top) - float(mark.mediabox.top)
    return Transformation().translate(dx, dy)


def merge(parts: list[bytes]) -> bytes:
    from pypdf import PdfReader, PdfWriter

    out = PdfWriter()
    for part in parts:
        out.append(PdfReader(io.BytesIO(part)))
    buf = io.BytesIO()
    out.write(buf)
    return buf.getvalue()


def whole_pdf(conn: Connection, case, file_row, events) -> bytes:
    """The file as filed (its 卷内目录's papers), merged and numbered."""
    record = {k: getattr(file_row, k) for k in ("file_number", "year", "retention", "retention_years", "filed_by",
                                                "filed_at", "reopen_reason")}
    items = [i for i in (file_row.contents or []) if i.get("kind") != "file_back"]
    from engine.documents.offices import office_of

    laid = _lay(case, {**office_of(case.community), "code": file_row.office}, record, _with_pdfs(conn, items),
                events)
    merged = merge(laid.parts)
    return _stamp(merged, page_count(merged))
