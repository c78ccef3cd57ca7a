"""案号 in any spelling reduce to (year, number); what the search box reads as a 案号."""

import pytest

from engine.core.case_numbers import key_columns, looks_like_number, parse


@pytest.mark.parametrize("text", ["福田调〔2026〕0011号", "福田调[2026]11号", "福田调(2026)0011", "（2026）福田调11号",
                                  "【2026】11", "福田调［２０２６］１１号", "2026-11", "2026/0011", " 福田调 〔2026〕 11 "])
def test_spellings_of_one_number(text):
    assert parse(text) == (2026, 11) and looks_like_number(text)


def test_a_bare_number_is_any_year_and_other_text_is_no_number():
    assert parse("0011") == (None, 11) and parse("11") == (None, 11) and looks_like_number("0011")
    assert parse("福田调〔2026〕") == (2026, None) and not looks_like_number("福田调〔2026〕")
    for text in ("王小明", "13900000003", "0755-83123456", "", "1-2-3"):
        assert not looks_like_number(text), text
    assert parse("13900000003") == (None, None)  # too long for a number: a phone
    assert key_columns("福田调〔2026〕0011号") == {"number_year": 2026, "number_seq": 11}
    assert key_columns("BENCH-0000042") == {"number_year": None, "number_seq": 42}
