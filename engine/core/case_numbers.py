"""案号 in any common spelling: 福田调〔2026〕0011号, 福田调[2026]11号, (2026)福田调11号, 2026-11, 0011.

Every spelling reduces to (year, number): the year is the digit run of four digits in 1949–2200 (the one in
brackets when there are two), the number the other run, leading zeros dropped; brackets may be 〔〕[]()（）【】
in full or half width, with or without 号. A lone number (``0011``, ``11``) is the number in any year. The
cases table keeps each case's (number_year, number_seq) so a search is an index lookup.
"""

import re
import unicodedata

_RUN = re.compile(r"\d+")
_BRACKETED_YEAR = re.compile(r"[\[(〔【]\s*(\d{4})\s*[\])〕】]")
# what marks a text as a case number rather than a name or a phone
_NUMBER_HINT = re.compile(r"[\[\]()〔〕【】号调]|^\s*\d{1,6}\s*$|^\s*\d{4}\s*[-/.]\s*\d{1,6}\s*$")
MAX_SEQ = 10**9


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", str(text or ""))


def _year(run: str) -> bool:
    return len(run) == 4 and 1949 <= int(run) <= 2200


def parse(text: str) -> tuple[int | None, int | None]:
    """(year, number) of a case number as written; (None, None) when it has neither, (None, n) with no year."""
    s = _norm(text)
    runs = _RUN.findall(s)
    if not runs or len(runs) > 2 or any(len(r) > 9 for r in runs):
        return None, None
    if len(runs) == 1:
        bracketed = _BRACKETED_YEAR.search(s)
        if bracketed and _year(runs[0]):
            return int(runs[0]), None
        return None, int(runs[0])
    bracketed = _BRACKETED_YEAR.search(s)
    if bracketed and bracketed.group(1) in runs:
        year = bracketed.group(1)
    else:
        year = next((r for r in runs if _year(r)), None)
    if year is None:
        return None, None
    rest = list(runs)
    rest.remove(year)
    return int(year), int(rest[0])


def looks_like_number(text: str) -> bool:
    """Whether a search text is meant as a case number (brackets, 调 or 号, a short number, ``2026-11``)."""
    s = _norm(text)
    return bool(_NUMBER_HINT.search(s)) and parse(s)[1] is not None


def key_columns(case_number: str) -> dict:
    """The cases row's (number_year, number_seq) for ``case_number``."""
    year, seq = parse(case_number)
    return {"number_year": year, "number_seq": seq}
