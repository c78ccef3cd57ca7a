"""The 报表 page's API and page shell: who may read a report (403 for the others), the DOCX download, the
document as it reads and the self-checks beside it in the JSON (and in no download)."""

import io
from urllib.parse import unquote

import pytest

from tests.helpers.api import client_for
from tests.helpers.period import PERIOD

ANNUAL = "/api/v1/reports/annual"
READERS = ("super1", "leader1", "admin1")
OTHERS = ("window1", "mediator1", "lawyer1")


@pytest.mark.parametrize("user", OTHERS)
def test_other_roles_may_not_read_reports_nor_open_the_page(app, user):
    client = client_for(app, user)
    for fmt in ("json", "md", "docx"):
        assert client.get(PERIOD, params={"period": "2026", "format": fmt}).status_code == 403
        assert client.get(ANNUAL, params={"year": 2026, "format": fmt}).status_code == 403
    assert client_for(app, user, cookies=True).get("/reports").status_code == 403


@pytest.mark.parametrize("user", READERS)
def test_readers_get_the_report_and_the_page(app, user):
    assert client_for(app, user).get(PERIOD, params={"period": "2026Q4"}).status_code == 200
    page = client_for(app, user, cookies=True).get("/reports")
    assert page.status_code == 200 and 'id="reports-page"' in page.text


def test_the_json_has_the_document_and_the_checks_apart(period_leader):
    body = period_leader.get(PERIOD, params={"period": "2026Q4"}).json()
    doc = body["document"]
    assert doc["title"] == "2026年第4季度矛盾纠纷多元化解工作报告"
    headings = [s["heading"] for s in doc["sections"]]
    assert headings[:2] == ["人民调解", "信访"] and "自检" not in headings
    petitions = doc["sections"][1]["text"]
    assert "转送有权处理机关1件，不计入办结" in petitions
    done = next(s for s in doc["sections"] if s["heading"] == "办结情况")["tables"][0]
    assert done["columns"][0] == "处理机构" and done["rows"][-1][0] == "合计"
    assert body["checks"] and all(set(ch) == {"name", "key", "args", "ok", "detail"} for ch in body["checks"])
    assert all(ch["ok"] for ch in body["checks"])


def test_docx_downloads_without_the_checks(period_leader):
    from docx import Document

    r = period_leader.get(PERIOD, params={"period": "2026Q4", "format": "docx"})
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    disposition = r.headers["content-disposition"]
    assert disposition.startswith('attachment; filename="report-2026-10-01-2026-12-31.docx"')
    assert unquote(disposition.split("UTF-8''")[1]) == "2026年第4季度报告.docx"
    doc = Document(io.BytesIO(r.content))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert doc.paragraphs[0].text == "2026年第4季度矛盾纠纷多元化解工作报告"
    assert "转送有权处理机关1件，不计入办结" in text and "自检" not in text
    md = period_leader.get(PERIOD, params={"period": "2026Q4", "format": "md"}).text
    assert "自检" not in md and "parts_sum_to_received" not in md
