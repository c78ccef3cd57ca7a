"""Validate a whole ledger: every bad cell is a Problem (row, column, reason); clean rows become LedgerRows."""

import difflib
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from engine.ledger import codes
from engine.ledger.code_tables import CodeTables, load_packaged


@dataclass(frozen=True)
class Problem:
    row: int  # 0: the file (header)
    column: str
    reason: str

    def __str__(self) -> str:
        where = f"第{self.row}行" if self.row else "表头"
        return f"{where} [{self.column}] {self.reason}"


@dataclass
class LedgerRow:
    row: int
    case_number: str
    accepted_on: date
    channel: str | None
    source: str | None
    dispute_type: str
    community: str | None
    applicants: list[str]
    respondents: list[str]
    people_count: int | None
    amount: Decimal | None
    handling_body: str
    mediator: str | None
    closed_on: date | None
    outcome: str | None
    difficult: bool
    guidance_to: str | None
    guidance_letter_no: str | None
    recovered_amount: Decimal | None
    note: str | None
    extra: dict = field(default_factory=dict)


_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_NAMES = re.compile(r"[、,，;；]")


class _Bad(ValueError):
    pass


def _text(v) -> str | None:
    if v is None:
        return None
    s = (v if isinstance(v, str) else str(v)).strip()
    return s or None


def _date(v) -> date | None:
    if v is None or v == "":
        return None
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    m = _DATE.match(str(v).strip().split(" ")[0]) if isinstance(v, str) else None
    if not m:
        raise _Bad(f"不是有效日期: {v}")
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise _Bad(f"不是有效日期: {v}") from None


def _amount(v) -> Decimal | None:
    if v is None or v == "":
        return None
    try:
        d = Decimal(str(v).replace(",", "").replace("，", "").strip())
    except InvalidOperation:
        raise _Bad(f"不是有效金额: {v}") from None
    if not d.is_finite():
        raise _Bad(f"不是有效金额: {v}")
    if d < 0:
        raise _Bad(f"金额不能为负数: {v}")
    q = d.quantize(Decimal("0.01"))
    if q != d:
        raise _Bad(f"金额最多两位小数: {v}")
    return q


def _count(v) -> int | None:
    if v is None or v == "":
        return None
    try:
        d = Decimal(str(v).strip())
    except InvalidOperation:
        raise _Bad(f"不是有效人数: {v}") from None
    if d != d.to_integral_value() or d < 0:
        raise _Bad(f"人数须为非负整数: {v}")
    return int(d)


def _flag(v) -> bool:
    s = _text(v) or ""
    if s in codes.YES:
        return True
    if s in codes.NO:
        return False
    raise _Bad(f"疑难复杂应为 是/否: {s}")


def _names(v) -> list[str]:
    return [n.strip() for n in _NAMES.split(_text(v) or "") if n.strip()]


_PARSERS = {
    "案号": _text, "受理日期": _date, "社区": _text, "申请人": _names, "被申请人": _names, "涉及人数": _count,
    "涉及金额(元)": _amount, "调解员": _text, "结案日期": _date, "疑难复杂": _flag, "引导函编号": _text,
    "追回金额(元)": _amount, "备注": _text,
}
# coded columns: (code table, or the fixed list of terms; whether an unknown wording refuses the row)
_CODED = {
    "纠纷类型": ("dispute_type", True), "来源渠道": ("channel", False), "案件来源": ("source", False),
    "处理结果": ("outcome", True), "处理机构": (codes.BODIES, True), "引导去向": (codes.GUIDANCE_TARGETS, True),
}


@dataclass
class UnknownTerm:
    """A wording of a coded column that no code table knows, once per file, with the rows using it."""

    column: str
    term: str
    kind: str | None  # the code table that could take it as a synonym (None: a fixed list)
    blocking: bool  # refuses its rows (channel and source are imported as written)
    nearest: list[str]
    rows: list[int] = field(default_factory=list)


class _Terms:
    """Coded cells read through the code tables; unknown wordings collected once per column and wording."""

    def __init__(self, tables: CodeTables):
        self.tables = tables
        self.unknown: dict[tuple[str, str], UnknownTerm] = {}

    def read(self, column: str, v, number: int) -> str | None:
        s = _text(v)
        if s is None:
            return None
        table, blocking = _CODED[column]
        if isinstance(table, str):
            found = self.tables.term(table, s)
            if found is not None:
                return found
            nearest = self.tables.nearest(table, s)
        else:
            if s in table:
                return s
            nearest = difflib.get_close_matches(s, table, n=3, cutoff=0.34)
        item = self.unknown.setdefault((column, s), UnknownTerm(
            column, s, table if isinstance(table, str) else None, blocking, nearest))
        item.rows.append(number)
        if blocking:
            raise _Bad(f"未知{column}: {s}")
        return s



def check_header(header: list[str]) -> tuple[dict[str, int], list[Problem], list[Problem]]:
    """Column positions, refusing problems (missing/duplicate required) and warnings (unknown columns)."""
    positions: dict[str, int] = {}
    fatal, warnings = [], []
    for i, name in enumerate(header):
        if name in positions:
            fatal.append(Problem(0, name, "列名重复"))
        elif name in codes.COLUMNS:
            positions[name] = i
        elif name:
            warnings.append(Problem(0, name, "未知列，已忽略"))
    fatal += [Problem(0, c, "缺少必需列") for c in codes.REQUIRED if c not in positions]
    return positions, fatal, warnings


def validate_rows(positions: dict[str, int], body: list[tuple[int, list]], tables: CodeTables | None = None,
                  ) -> tuple[list[LedgerRow], list[Problem], list[UnknownTerm]]:
    """Clean rows, every problem, and each distinct unknown wording of a coded column (``tables``: the code
    tables in use; the packaged ones when not given)."""
    terms = _Terms(tables or load_packaged())
    problems: list[Problem] = []
    rows: list[LedgerRow] = []
    seen: dict[str, int] = {}
    for number, raw in body:
        values, bad = {}, False
        for col in codes.COLUMNS:
            cell = raw[positions[col]] if col in positions and positions[col] < len(raw) else None
            try:
                values[col] = terms.read(col, cell, number) if col in _CODED else _PARSERS[col](cell)
            except _Bad as err:
                problems.append(Problem(number, col, str(err)))
                bad = True
        for col in codes.REQUIRED:
            if values.get(col) in (None, "") and not any(p.row == number and p.column == col for p in problems):
                problems.append(Problem(number, col, "必填项为空"))
                bad = True
        cn = values.get("案号")
        if cn:
            if cn in seen:
                problems.append(Problem(number, "案号", f"案号重复（与第{seen[cn]}行相同）: {cn}"))
                bad = True
            else:
                seen[cn] = number
        bad |= _cross_checks(number, values, problems)
        if not bad:
            rows.append(_row(number, values))
    return rows, problems, list(terms.unknown.values())


def _cross_checks(number: int, v: dict, problems: list[Problem]) -> bool:
    found = []
    if v.get("受理日期") and v.get("结案日期") and v["结案日期"] < v["受理日期"]:
        found.append(Problem(number, "结案日期", f"结案日期 {v['结案日期']} 早于受理日期 {v['受理日期']}"))
    if v.get("结案日期") and not v.get("处理结果"):
        found.append(Problem(number, "处理结果", "已结案但未填处理结果"))
    if v.get("处理结果") and not v.get("结案日期"):
        found.append(Problem(number, "结案日期", "已有处理结果但未填结案日期"))
    if v.get("处理结果") == codes.GUIDED and not v.get("引导去向"):
        found.append(Problem(number, "引导去向", "引导分流须填写引导去向"))
    if v.get("引导函编号") and not v.get("引导去向"):
        found.append(Problem(number, "引导去向", "有引导函编号但未填引导去向"))
    problems += found
    return bool(found)


def _row(number: int, v: dict) -> LedgerRow:
    return LedgerRow(
        row=number, case_number=v["案号"], accepted_on=v["受理日期"], channel=v["来源渠道"], source=v["案件来源"],
        dispute_type=v["纠纷类型"], community=v["社区"], applicants=v["申请人"], respondents=v["被申请人"],
        people_count=v["涉及人数"], amount=v["涉及金额(元)"], handling_body=v["处理机构"], mediator=v["调解员"],
        closed_on=v["结案日期"], outcome=v["处理结果"], difficult=v["疑难复杂"], guidance_to=v["引导去向"],
        guidance_letter_no=v["引导函编号"], recovered_amount=v["追回金额(元)"], note=v["备注"])
