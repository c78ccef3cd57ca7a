"""`tiaojie files file|show|reopen|pdf|archive` as a supervisor runs them."""

import io
import json
import sqlite3
import zipfile

from pypdf import PdfReader

from tests.helpers.process_driver import intake

PASSWORD = "correct horse battery staple"


def test_file_reopen_pdf_and_archive(cli, deployed):
    cli("user", "add", "super1", "--role", "supervisor", "--password", PASSWORD)
    cli("user", "add", "window1", "--role", "intake", "--community", "福田社区", "--password", PASSWORD)
    number = cli("case", "start", "dispute_case", "--data", json.dumps(intake(), ensure_ascii=False),
                 "--user", "cli").stdout.split("\t")[1]
    open_case = cli("files", "file", number, "--as", "super1", ok=False)
    assert open_case.returncode == 1 and "尚未办结" in open_case.stderr and "Traceback" not in open_case.stderr
    con = sqlite3.connect(cli.tmp / "cli.sqlite")
    con.execute("UPDATE cases SET status = 'cancelled', completed_at = '2026-03-01 00:00:00.000000'")
    con.commit()
    con.close()
    refused = cli("files", "file", number, "--as", "window1", ok=False)
    assert refused.returncode == 1 and "may not file" in refused.stderr
    filed = cli("files", "file", number, "--as", "super1").stdout
    assert filed.startswith("(2026)") and "人调卷第1号" in filed and "卷宗备考表" in filed
    file_number = filed.split("\t")[0]

    pdf = cli.tmp / "file.pdf"
    cli("files", "pdf", number, "-o", str(pdf), "--as", "super1")
    pages = PdfReader(pdf).pages
    assert file_number in pages[0].extract_text() and "卷内目录" in pages[1].extract_text()

    no_reason = cli("files", "reopen", number, "--reason", "", "--as", "super1", ok=False)
    assert no_reason.returncode == 1 and "理由" in no_reason.stderr
    reopened = cli("files", "reopen", number, "--reason", "补充回访记录", "--as", "super1").stdout
    assert "reopened" in reopened and "补充回访记录" in reopened
    assert file_number in cli("files", "file", number, "--as", "super1").stdout  # the same number

    out = cli.tmp / "2026.zip"
    done = cli("files", "archive", "--year", "2026", "-o", str(out), "--as", "super1")
    assert "1 files" in done.stdout
    names = zipfile.ZipFile(io.BytesIO(out.read_bytes())).namelist()
    assert sorted(names) == sorted([f"{file_number}.pdf", "索引.xlsx"])
    assert cli("files", "archive", "--year", "2026", "-o", str(out), "--as", "window1", ok=False).returncode == 1
