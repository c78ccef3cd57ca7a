"""Annual-report helpers: the seed's ledger rows, loading rows, the report of a year."""

from datetime import date, timedelta

from engine.ledger import import_file
from engine.reports.annual import annual_report
from tests.helpers.ledger import row, write_csv

TYPES = ("邻里", "婚姻家庭", "合同", "物业", "劳动争议", "损害赔偿", "消费")
COMMUNITIES = ("福新社区", "莲花社区", "园岭社区", "百花社区", "通新岭社区")


def _spread(total_cents: int, n: int) -> list[str]:
    base, rest = divmod(total_cents, n)
    return [f"{(base + (1 if i < rest else 0)) / 100:.2f}" for i in range(n)]


def _day(i: int) -> date:
    return date(2025, 1, 1) + timedelta(days=(i * 7) % 360)


def seed_rows() -> list[dict]:
    rows = []
    amounts = _spread(568_820_000, 825)
    for i in range(825):
        accepted = _day(i)
        outcome = "调解成功" if i < 811 else ("调解不成" if i < 821 else "终止调解")
        rows.append(row(f"TJ-{i:04d}", accepted.isoformat(), 纠纷类型=TYPES[i % len(TYPES)],
                        社区=COMMUNITIES[i % len(COMMUNITIES)], 结案日期=(accepted + timedelta(days=12)).isoformat(),
                        处理结果=outcome, 疑难复杂="是" if i % 100 == 5 else "否", **{"涉及金额(元)": amounts[i]}))
    for i in range(166):
        accepted = _day(i)
        days = 70 if i < 3 else 30  # three extended with approval, still within the regulation
        rows.append(row(f"XF-{i:04d}", accepted.isoformat(), 处理机构="信访", 处理结果="办结",
                        结案日期=(accepted + timedelta(days=days)).isoformat()))
    targets = ["诉讼"] + ["劳动仲裁"] * 4 + ["人民调解"] * 54 + ["咨询"] * 2
    for i, target in enumerate(targets):
        rows.append(row(f"FQ-{i:04d}", _day(i).isoformat(), 处理机构="访前法律工作室", 处理结果="引导分流",
                        结案日期=_day(i).isoformat(), 引导去向=target, 引导函编号=f"YD-2025-{i + 1:03d}"))
    wages = _spread(10_993_000, 87)
    for i in range(87):
        referred = i < 21
        rows.append(row(f"LD-{i:04d}", _day(i).isoformat(), 处理机构="和谐劳动关系综合服务中心", 纠纷类型="劳动争议",
                        处理结果="引导分流" if referred else "调解成功", 引导去向="劳动仲裁" if referred else None,
                        涉及人数=2 if i < 55 else 1, **{"追回金额(元)": wages[i]}))
    amounts = _spread(190_000_000_000, 36)
    for i in range(36):
        closed = i < 18
        rows.append(row(f"ZC-{i:04d}", _day(i).isoformat(), 处理机构="仲裁工作站", 纠纷类型="合同",
                        结案日期=_day(i + 2).isoformat() if closed else None, 处理结果="办结" if closed else None,
                        **{"涉及金额(元)": amounts[i]}))
    return rows


def load_ledger(db, tmp_path, rows, name="ledger.csv"):
    """Import ``rows`` as a CSV ledger file; the import must succeed."""
    with db.begin() as c:
        result = import_file(c, write_csv(tmp_path / name, rows))
    assert result.ok, result.problems[:5]


def annual(db, year=2025):
    """The annual report of ``year`` (own transaction)."""
    with db.begin() as c:
        return annual_report(c, year)
