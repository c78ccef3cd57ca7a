"""The year's archive: the list of files and the zip with every file's PDF and the index sheet."""

import io
import zipfile

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from engine.core.errors import Forbidden, InvalidData
from engine.core.types import User
from engine.documents import archive, file_case, list_files
from tests.helpers.case_file_data import add_document, closed_case

SUPER = User(6, "super1", "supervisor", [])
ADMIN = User(8, "admin1", "admin", [])
pytestmark = pytest.mark.usefixtures("process_bundle")


def test_the_archive_has_every_file_and_the_index_rows(db):
    ids = [closed_case(db, summary=s) for s in ("楼上漏水纠纷", "=HYPERLINK(\"http://x\")", "噪音纠纷")]
    with db.begin() as conn:
        add_document(conn, ids[0], "agreement", "人民调解协议书", pages=2, number="(2026)福田人调字第1号")
        files = [file_case(conn, SUPER, i) for i in ids[:2]]  # the third is not filed
    year = files[0]["year"]
    with db.begin() as conn:
        listed = list_files(conn, ADMIN, year)
        data, name = archive(conn, SUPER, year)
        assert list_files(conn, SUPER, year, "别处") == []
        assert list_files(conn, SUPER, year - 1) == []
    assert [i["file_number"] for i in listed] == [f["file_number"] for f in files]
    assert name == f"卷宗_{year}.zip"
    z = zipfile.ZipFile(io.BytesIO(data))
    assert sorted(z.namelist()) == sorted([f"{f['file_number']}.pdf" for f in files] + ["索引.xlsx"])
    first = PdfReader(io.BytesIO(z.read(f"{files[0]['file_number']}.pdf")))
    assert files[0]["file_number"] in first.pages[0].extract_text()
    assert len(first.pages) == listed[0]["pages"]
    sheet = load_workbook(io.BytesIO(z.read("索引.xlsx"))).active
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    assert rows[0][:4] == ["卷宗号", "案号", "题名", "当事人"]
    assert [r[0] for r in rows[1:]] == [f["file_number"] for f in files]
    assert rows[1][2] == "楼上漏水纠纷" and "申请人 张某" in rows[1][3] and "440304" not in rows[1][3]
    assert rows[2][2] == "=HYPERLINK(\"http://x\")"  # text, never a formula
    assert sheet.cell(row=3, column=3).data_type == "s"
    assert rows[1][7] == listed[0]["pages"] and rows[1][6] == "短期（10年）"


def test_the_archive_is_for_supervisors_and_admins(db):
    with db.begin() as conn:
        for user in (User(3, "mediator1", "mediator", ["福田社区"]), User(7, "leader1", "leader", [])):
            with pytest.raises(Forbidden):
                archive(conn, user, 2026)
            with pytest.raises(Forbidden):
                list_files(conn, user, 2026)
        with pytest.raises(InvalidData):
            list_files(conn, SUPER, 20260)
