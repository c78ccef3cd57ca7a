"""The case file (卷宗): filing numbers, the 卷内目录's order and page numbers against the merged PDF, reopening."""

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select, update

from engine.core.errors import Conflict, Forbidden, InvalidData, NotFound
from engine.core.settings import get_settings
from engine.core.types import User
from engine.documents import casefile
from engine.store.tables import case_files, cases, events
from tests.helpers.case_file_data import add_attachment, add_document, closed_case, paper

SUPER = User(6, "super1", "supervisor", [])
MEDIATOR = User(3, "mediator1", "mediator", ["福田社区"])
pytestmark = pytest.mark.usefixtures("process_bundle")


def page_texts(pdf: bytes) -> list[str]:
    return [p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages]


def test_file_numbers_are_consecutive_per_office_and_year(db, monkeypatch):
    monkeypatch.setenv("TIAOJIE_OFFICES", '[{"code": "岗厦", "communities": ["岗厦社区"]}]')
    monkeypatch.setenv("TIAOJIE_OFFICE_CODE", "福田")
    get_settings.cache_clear()
    ids = [closed_case(db), closed_case(db, community="岗厦社区"), closed_case(db)]
    with db.begin() as conn:
        views = [casefile.file_case(conn, SUPER, i) for i in ids]
    year = views[0]["year"]
    assert [v["file_number"] for v in views] == [f"({year})福田人调卷第1号", f"({year})岗厦人调卷第1号",
                                                 f"({year})福田人调卷第2号"]
    assert [v["office"] for v in views] == ["福田", "岗厦", "福田"]
    assert all(v["status"] == "filed" and v["filed"] and v["filed_by"] == "super1" for v in views)
    with db.begin() as conn:
        assert conn.execute(select(cases.c.filed_at).where(cases.c.id == ids[0])).scalar_one() is not None
        kinds = conn.execute(select(events.c.kind, events.c.data).where(events.c.case_id == ids[0],
                                                                         events.c.kind == "case_filed")).all()
    assert kinds[0].data["file_number"] == views[0]["file_number"] and kinds[0].data["retention"] == "short"


def test_only_a_supervisor_files_only_a_closed_case_and_only_once(db):
    case_id = closed_case(db)
    with db.begin() as conn, pytest.raises(Forbidden):
        casefile.file_case(conn, MEDIATOR, case_id)
    with db.begin() as conn:
        conn.execute(update(cases).where(cases.c.id == case_id).values(status="active"))
    with db.begin() as conn, pytest.raises(Conflict) as err:
        casefile.file_case(conn, SUPER, case_id)
    assert err.value.code == "case_not_closed"
    with db.begin() as conn:
        conn.execute(update(cases).where(cases.c.id == case_id).values(status="cancelled"))
        casefile.file_case(conn, SUPER, case_id)
    with db.begin() as conn, pytest.raises(Conflict) as err:
        casefile.file_case(conn, SUPER, case_id)
    assert err.value.code == "case_already_filed"
    with db.begin() as conn, pytest.raises(NotFound):
        casefile.file_case(conn, SUPER, case_id + 999)


def test_contents_order_and_page_numbers_match_the_merged_pdf(db):
    case_id = closed_case(db)
    with db.begin() as conn:
        # made out of order: the 卷内目录 follows KINDS (application … agreement … closing report)
        report = add_document(conn, case_id, "closing_report", "结案报告", pages=2)
        agreement = add_document(conn, case_id, "agreement", "人民调解协议书", pages=3,
                                 number="(2026)福田人调字第7号")
        add_document(conn, case_id, "agreement", "人民调解协议书（旧版）", version=1, current=False)
        add_document(conn, case_id, "application", "人民调解申请书")
        add_attachment(conn, case_id, paper("签字扫描件甲"), kind="signed", filename="签字.pdf", signs=agreement)
        add_attachment(conn, case_id, paper("现场照片说明"), kind="evidence", filename="现场.pdf")
        png = _png()
        add_attachment(conn, case_id, png, kind="evidence", filename="照片.png", content_type="image/png")
        view = casefile.file_case(conn, SUPER, case_id)
    titles = [c["title"] for c in view["contents"]]
    assert titles == ["人民调解申请书", "人民调解协议书", "人民调解协议书（签字本）", "结案报告",
                      "证据材料：现场.pdf", "证据材料：照片.png", "卷宗备考表"]
    assert [c["seq"] for c in view["contents"]] == list(range(1, 8))
    assert view["contents"][1]["number"] == "(2026)福田人调字第7号" and view["contents"][1]["pages"] == 3
    assert view["contents"][3]["document_id"] == report
    with db.begin() as conn:
        pdf, name = casefile.file_pdf(conn, SUPER, case_id)
    assert name == f"{view['file_number']}.pdf"
    pages = page_texts(pdf)
    assert "人民调解卷宗" in pages[0] and view["file_number"] in pages[0]
    assert "卷内目录" in pages[1]
    expect = {"人民调解申请书": "人民调解申请书", "人民调解协议书": "人民调解协议书", "结案报告": "结案报告",
              "人民调解协议书（签字本）": "签字扫描件甲", "证据材料：现场.pdf": "现场照片说明", "卷宗备考表": "卷宗备考表"}
    for item in view["contents"]:
        first, last = item["first_page"], item["last_page"]
        if item["title"] in expect:
            assert expect[item["title"]] in pages[first - 1].replace(" ", ""), (item, pages[first - 1])
        assert last - first + 1 == item["pages"]
    assert view["contents"][-1]["last_page"] == len(pages)
    for n, text in enumerate(pages, start=1):  # every page carries its number
        assert str(n) in text.split()
    # the 目录 names each paper's first page
    toc = pages[1]
    for item in view["contents"]:
        assert item["title"] in toc.replace(" ", "").replace("\n", "") or item["title"][:6] in toc


def test_a_long_contents_list_shifts_the_papers(db):
    case_id = closed_case(db)
    from pypdf import PdfWriter

    many = PdfReader(io.BytesIO(paper_many(40)))
    with db.begin() as conn:
        for n, page in enumerate(many.pages, start=1):
            w = PdfWriter()
            w.add_page(page)
            buf = io.BytesIO()
            w.write(buf)
            add_attachment(conn, case_id, buf.getvalue(), filename=f"证据{n:02d}.pdf")
        view = casefile.file_case(conn, SUPER, case_id)
        pdf, _ = casefile.file_pdf(conn, SUPER, case_id)
    pages = page_texts(pdf)
    first = view["contents"][0]["first_page"]
    assert first > 3  # cover + a 目录 of more than one page
    assert "卷内目录" in pages[first - 2] or "证据材料" in pages[first - 2]
    for n, item in enumerate(view["contents"][:-1], start=1):
        assert f"证据页{n:02d}" in pages[item["first_page"] - 1].replace(" ", ""), item
    assert "卷宗备考表" in pages[view["contents"][-1]["first_page"] - 1]


def paper_many(n: int) -> bytes:
    from engine.documents.render import html_to_pdf

    body = "".join(f'<h1>证据页{k:02d}</h1><div style="page-break-after: always"></div>' for k in range(1, n + 1))
    return html_to_pdf(f'<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>{body}</body></html>')[:]


def _png() -> bytes:
    import struct
    import zlib

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * 4 for _ in range(4))
    def chunk(tag, data):
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def test_reopening_needs_a_reason_is_recorded_and_refiling_keeps_the_number(db):
    case_id, later = closed_case(db), closed_case(db)
    with db.begin() as conn:
        first = casefile.file_case(conn, SUPER, case_id)
    for bad in ("", "  ", "改"):
        with db.begin() as conn, pytest.raises(InvalidData):
            casefile.reopen_case(conn, SUPER, case_id, bad)
    with db.begin() as conn, pytest.raises(Forbidden):
        casefile.reopen_case(conn, MEDIATOR, case_id, "补充回访记录材料")
    with db.begin() as conn:
        reopened = casefile.reopen_case(conn, SUPER, case_id, "补充回访记录材料")
    assert reopened["status"] == "reopened" and not reopened["filed"]
    assert reopened["reopened_by"] == "super1" and reopened["reopen_reason"] == "补充回访记录材料"
    with db.begin() as conn:
        assert conn.execute(select(cases.c.filed_at).where(cases.c.id == case_id)).scalar_one() is None
        add_document(conn, case_id, "follow_up", "回访记录")
        again = casefile.file_case(conn, SUPER, case_id)
        other = casefile.file_case(conn, SUPER, later)
    assert again["file_number"] == first["file_number"] and again["status"] == "filed"
    assert [c["title"] for c in again["contents"]] == ["回访记录", "卷宗备考表"]
    assert [(h["kind"], h["by"], h["reason"]) for h in again["history"]] == [
        ("filed", "super1", None), ("reopened", "super1", "补充回访记录材料"), ("filed", "super1", None)]
    assert other["serial"] == first["serial"] + 1  # the refiling took no number
    with db.begin() as conn:
        pdf, _ = casefile.file_pdf(conn, SUPER, case_id)
        assert conn.execute(select(case_files.c.serial).where(case_files.c.case_id == case_id)).scalar_one() == 1
    assert len(page_texts(pdf)) == again["pages"] == again["contents"][-1]["last_page"]
    back = page_texts(pdf)[-1]
    assert "重新开卷" in back and "补充回访记录材料" in back


@pytest.mark.parametrize("setting", ["petition=forever", "=long", "petition=long:0", "petition=permanent:5"])
def test_bad_retention_setting_is_refused(setting):
    with pytest.raises(InvalidData) as err:
        casefile.retention_rules(setting)
    assert "TIAOJIE_FILE_RETENTION" in str(err.value)


def test_retention_by_difficulty_outcome_request_kind_and_process():
    rules = casefile.retention_rules("petition=long:20,dispute_case=short:15")

    class Row:
        def __init__(self, **kw):
            self.__dict__.update({"difficult": False, "outcome": None, "request_kind": None,
                                  "process_key": "x", **kw})
    assert casefile.retention_for(Row(difficult=True, outcome="mediated"), rules) == ("permanent", None)
    assert casefile.retention_for(Row(outcome="mediated"), rules) == ("long", 30)
    assert casefile.retention_for(Row(request_kind="petition"), rules) == ("long", 20)
    assert casefile.retention_for(Row(process_key="dispute_case"), rules) == ("short", 15)
    assert casefile.retention_for(Row(), rules) == ("short", 10)
