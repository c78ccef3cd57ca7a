"""The annual report's xlsx and PDF: the seed's figures as numbers and as Chinese text in Noto CJK, charts as SVG."""

import io

import pytest

from engine.reports import charts
from engine.reports.render import render
from engine.reports.render_pdf import to_html

SEED_SENTENCE = "共调处民间纠纷825宗，成功811宗，疑难复杂案件9件，调解成功率达98.30%，涉及金额568.82万元"


def test_pdf_has_the_seed_sentence_in_noto_cjk_and_no_other_font(seed_report):
    from pypdf import PdfReader

    pdf = PdfReader(io.BytesIO(render(seed_report, "pdf")))
    text = "".join(p.extract_text() for p in pdf.pages).replace("\n", "")
    assert SEED_SENTENCE in text
    for words in ("受理信访事项166件", "发出引导函61份", "追回工资109930.00元", "涉案金额19.00亿元",
                  "共设办理时限12项，按期完成9项，超期2项", "通新岭社区", "人民调解期限",
                  "其中办结166件", "另有166件无时限数据", "时限中止与延长", "无时限数据"):
        assert words in text, words
    fonts = {f.get_object()["/BaseFont"] for p in pdf.pages for f in p["/Resources"]["/Font"].values()}
    assert fonts and all("Noto" in f and "CJK" in f for f in fonts), fonts  # a fallback font would show here


def test_html_draws_the_charts_as_inline_svg_without_script(seed_report):
    html = to_html(seed_report)
    assert html.count("<svg ") == 5 and "<script" not in html  # type, month, community, channel, SLA
    assert 'font-family: "Noto Sans CJK SC", "Noto Serif CJK SC"' in html
    assert ">12月</text>" in html and ">福新社区</text>" in html


def test_bar_lengths_follow_the_counts_and_labels_are_escaped():
    svg = charts.bars("t", {"<a>": 10, "b": 5}, width=220)
    assert "&lt;a&gt;" in svg and "<a>" not in svg
    assert 'width="50.0"' in svg and 'width="25.0"' in svg  # (220 - 120 - 50) * 10/10 and * 5/10
    stacked = charts.sla("s", [("x", 10, 6, 3)], width=340)
    assert 'width="60.0"' in stacked and 'width="30.0"' in stacked and 'width="10.0"' in stacked


def test_xlsx_has_a_sheet_per_section_and_numbers_as_numbers(seed_report):
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(render(seed_report, "xlsx")))
    assert wb.sheetnames == ["概览", "人民调解", "信访", "访前法律工作室", "和谐劳动关系综合服务中心", "仲裁工作站",
                             "办结情况", "时限中止与延长", "办理时限"]  # no 自检 sheet
    overview = [r for r in wb["概览"].iter_rows(values_only=True)]
    assert overview[1][1].startswith(SEED_SENTENCE)
    m = {r[0]: (r[1], wb["人民调解"].cell(row=i + 1, column=2).number_format)
         for i, r in enumerate(wb["人民调解"].iter_rows(values_only=True)) if r[0]}
    assert m["调处纠纷（宗）"][0] == 825 and m["调解成功（宗）"][0] == 811
    assert m["调解成功率"][0] == pytest.approx(0.983) and m["调解成功率"][1] == "0.00%"
    assert m["涉及金额（元）"][0] == pytest.approx(5688200.0) and m["涉及金额（元）"][1] == "#,##0.00"
    cells = list(wb["人民调解"].iter_rows(values_only=True))
    heads = [c for r in cells for c in r if c in ("按纠纷类型", "按月份", "按社区", "按来源渠道")]
    assert heads == ["按纠纷类型", "按月份", "按社区", "按来源渠道"]
    months = [r[4] for r in cells if isinstance(r[3], str) and r[3].endswith("月") and isinstance(r[4], int)]
    assert sum(months) == 825 and len(months) == 12
    assert [r[0] for r in wb["仲裁工作站"].iter_rows(values_only=True)][1:] == ["受理案件（宗）", "结案（宗）", "涉案金额（元）"]
    sla = list(wb["办理时限"].iter_rows(values_only=True))
    assert sla[-1] == ("合计", 12, 9, 2)
    cells = [str(c) for ws in wb for r in ws.iter_rows(values_only=True) for c in r if c is not None]
    assert not any("自检" in c or "mediation.by_type" in c for c in cells)


def test_no_document_holds_the_self_checks_they_are_beside_it(seed_report):
    from pypdf import PdfReader

    md = render(seed_report, "md").decode()
    pdf = "".join(p.extract_text() for p in PdfReader(io.BytesIO(render(seed_report, "pdf"))).pages)
    for text in (md, to_html(seed_report), pdf):
        assert "自检" not in text and "sums_to_handled" not in text and "✓" not in text
    assert {ch["key"] for ch in seed_report["checks"]} >= {"mediation.by_type_sums_to_handled",
                                                          "conclusion.parts_sum_to_received"}
    total = next(ch for ch in seed_report["checks"] if ch["name"] == "conclusion.合计.parts_sum_to_received")
    assert total["args"] == {"body": "合计"} and total["ok"]
    assert next(ch for ch in seed_report["checks"]
                if ch["key"] == "mediation.by_type_sums_to_handled")["detail"] == "825 = 825"


def test_docx_reads_as_the_report_with_its_tables(seed_report):
    from docx import Document

    doc = Document(io.BytesIO(render(seed_report, "docx")))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert doc.paragraphs[0].text == "2025年度矛盾纠纷多元化解工作报告"
    assert SEED_SENTENCE in text and "受理信访事项166件" in text and "自检" not in text
    cells = {c.text for t in doc.tables for r in t.rows for c in r.cells}
    assert {"纠纷类型", "通新岭社区", "12月", "按期办结率", "人民调解期限"} <= cells
    sla = next(t for t in doc.tables if t.rows[0].cells[0].text == "环节")
    assert [c.text for c in sla.rows[0].cells] == ["环节", "时限数", "按期", "超期"]
    assert "自检" not in "".join(cells)
