"""Every packaged template renders with the sample case: PDF (WeasyPrint, text read back with pypdf) and an
editable DOCX (python-docx); the renderer is sandboxed and fetches nothing."""

import io
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import docx
import pytest
from pypdf import PdfReader

from engine.documents import KINDS, sample_context
from engine.documents.render import (
    TemplateError,
    after_days,
    cn_date,
    default_template,
    html_to_docx,
    html_to_pdf,
    render_html,
)


def _pdf_text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).replace(" ", "")


def _docx_text(data: bytes) -> str:
    d = docx.Document(io.BytesIO(data))
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


@pytest.mark.parametrize("kind", list(KINDS))
def test_every_template_renders_to_pdf_and_docx(kind):
    k = KINDS[kind]
    ctx = sample_context(kind)
    html = render_html(default_template(kind), ctx)
    pdf_text = _pdf_text(html_to_pdf(html))
    docx_text = _docx_text(html_to_docx(html))
    for text in (pdf_text, docx_text.replace(" ", "")):
        assert k.title.replace("人民调解受理登记表", "受理登记表") in text.replace("\n", "") or k.title in text
        assert "张三" in text and "李四" in text
        if k.word:
            assert f"(2026)福田{k.word}字第12号" in text
        assert "存档" in text  # the copy label


def test_templates_render_when_optional_values_are_missing():
    for kind in KINDS:
        ctx = sample_context(kind)
        ctx["form"] = {}
        ctx["form_labels"] = {}
        ctx["data"] = {}
        ctx["data_labels"] = {}
        ctx["doc"] = {**ctx["doc"], "number": None, "copy_label": "", "draft": True}
        ctx["case"] = {key: None for key in ctx["case"]} | {"case_number": "X-1"}
        ctx["others"] = []
        html = render_html(default_template(kind), ctx)
        assert "None" not in html, kind
        assert "草" in html


def test_agreement_has_the_article_29_blocks():
    html = render_html(default_template("agreement"), sample_context("agreement"))
    for text in ("申请人：张三", "被申请人：李四", "440304198001021234", "协议内容", "履行方式、地点、期限",
                 "（捺印）", "人民调解员（签名）", "福田街道福山社区人民调解委员会（印）",
                 "本协议一式3份，当事人各执一份，人民调解委员会留存一份", "2026年12月5日"):
        assert text in html, text


def test_notices_state_the_other_routes_and_the_review_rights():
    term = render_html(default_template("termination_notice"), sample_context("termination_notice"))
    assert "仲裁、行政途径" in term and "第二十六条" in term
    opinion = render_html(default_template("petition_opinion"), sample_context("petition_opinion"))
    assert "三十日内（至2027年1月4日止）请求本机关的上一级机关复查" in opinion and "第三十五条" in opinion
    assert "办理期限至2027年1月18日" in opinion  # from the case's clock
    review = render_html(default_template("petition_review"), sample_context("petition_review"))
    assert "三十日内（至2027年1月4日止）向复查机关的上一级机关请求复核" in review and "第三十六条" in review
    assert "复查期限自2026年11月20日起至2026年12月20日止" in review


def test_the_sandbox_refuses_at_render():
    with pytest.raises(TemplateError):
        render_html("{{ ''.__class__.__mro__ }}", {})
    with pytest.raises(TemplateError):
        render_html("{{ nope }}", {})
    with pytest.raises(TemplateError):
        render_html("{{ x.append(1) }}", {"x": []})
    assert render_html("{{ '<b>' }}", {}) == "&lt;b&gt;"


@pytest.mark.parametrize(("text", "reason"), [
    ("{{ 'x' * 1000000000 }}", "过大"),
    ("{{ 9 ** 999999 }}", "乘方"),
    ("{% for i in range(100000) %}{% endfor %}", "range"),
    ("{% for i in range(1000) %}{% for j in range(1000) %}{{ j }}{% endfor %}{% endfor %}", "过大"),
    ("{{ lipsum(1000000) }}", "lipsum"),
])
def test_a_template_cannot_exhaust_the_server(text, reason, monkeypatch):
    from engine.documents import jinja_env

    monkeypatch.setattr(jinja_env, "MAX_SECONDS", 600)  # the limit under test trips, not the clock of a busy machine
    with pytest.raises(TemplateError) as e:
        render_html(text, {})
    assert reason in str(e.value)


def test_a_rendering_has_a_time_budget(monkeypatch):
    from engine.documents import jinja_env

    monkeypatch.setattr(jinja_env, "MAX_SECONDS", 0.5)
    loops = "{% for i in range(1000) %}{% for j in range(1000) %}{% for k in range(1000) %}"
    with pytest.raises(TemplateError) as e:  # 10^9 iterations: only the time budget ends it
        render_html(loops + "{% endfor %}" * 3, {})
    assert "超时" in str(e.value)


class _Handler(BaseHTTPRequestHandler):
    hits: list = []

    def do_GET(self):  # noqa: N802
        self.hits.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_pdf_fetches_no_file_and_no_url():
    server = HTTPServer(("127.0.0.1", 0), _Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_port}"
        html = (f'<html><head><link rel="stylesheet" href="{url}/a.css"><style>@import url("{url}/b.css");'
                f'</style></head><body><p>正文</p><img src="file:///etc/passwd"><img src="{url}/c.png">'
                f'<iframe src="file:///etc/hostname"></iframe></body></html>')
        text = _pdf_text(html_to_pdf(html))
    finally:
        server.shutdown()
    assert "正文" in text
    assert "root:" not in text
    assert _Handler.hits == []


def test_docx_layout():
    html = render_html(default_template("registration"), sample_context("registration"))
    d = docx.Document(io.BytesIO(html_to_docx(html)))
    sec = d.sections[0]
    assert round(sec.page_width.mm) == 210 and round(sec.page_height.mm) == 297
    assert (round(sec.top_margin.mm), round(sec.right_margin.mm), round(sec.bottom_margin.mm),
            round(sec.left_margin.mm)) == (37, 26, 35, 28)
    title = d.paragraphs[1]  # after the copy label
    assert "人民调解受理登记表" in title.text and title.alignment == 1 and title.runs[0].bold
    east = title.runs[0]._element.rPr.rFonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
                                                  "eastAsia")
    assert east == "方正小标宋简体"
    grid = d.tables[0]
    # a colspan=3 cell is one merged cell over three grid columns
    row = next(r for r in grid.rows if r.cells[0].text == "纠纷简要情况")
    assert row.cells[1]._tc is row.cells[3]._tc and "渗水" in row.cells[1].text
    assert d.tables[-1]._tbl.tblPr.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblBorders") is not None  # signatures
    agreement = docx.Document(io.BytesIO(html_to_docx(render_html(default_template("agreement"),
                                                                  sample_context("agreement")))))
    body = next(p for p in agreement.paragraphs if p.text.startswith("本协议一式"))
    assert body.paragraph_format.first_line_indent is not None
    plain = next(p for p in agreement.paragraphs if p.text.startswith("申请人：张三"))
    assert plain.paragraph_format.first_line_indent is None


def test_cn_date():
    assert after_days("2026-12-05", 30) == "2027年1月4日" and after_days("", 30) == "" and after_days(None, 3) == ""
    assert cn_date("2026-12-05") == "2026年12月5日"
    assert cn_date("2026-01-09T10:00:00") == "2026年1月9日"
    assert cn_date(None) == "" and cn_date("下周") == "下周"
