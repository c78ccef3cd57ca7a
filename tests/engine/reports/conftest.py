"""Fixtures of the report tests."""

import pytest

from tests.helpers.reports import annual, load_ledger, seed_rows


@pytest.fixture
def seed_report(db, tmp_path):
    """The annual report of the seed's ledger, with SLA figures."""
    load_ledger(db, tmp_path, seed_rows())
    report = annual(db)
    report["sla"] = {"deadlines": 12, "met": 9, "breached": 2,
                     "by_stage": {"人民调解期限": {"deadlines": 8, "met": 6, "breached": 1},
                                  "信访办结期限": {"deadlines": 4, "met": 3, "breached": 1}}}
    return report
