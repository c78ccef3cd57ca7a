"""Retention of filed cases: a case in a file (卷宗) follows the file's 保管期限, not TIAOJIE_RETENTION_YEARS."""

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from engine import privacy
from engine.core import clock
from engine.core.types import User
from engine.documents import file_case
from engine.store.tables import case_files, case_retention, cases
from tests.helpers.case_file_data import closed_case

SUPER = User(6, "super1", "supervisor", [])
pytestmark = pytest.mark.usefixtures("process_bundle")


def backdate(db, case_id: int, closed_years: float, filed_years: float | None = None,
             retention: tuple[str, int | None] | None = None) -> None:
    with db.begin() as conn:
        now = clock.now()
        conn.execute(update(cases).where(cases.c.id == case_id)
                     .values(completed_at=now - timedelta(days=365.25 * closed_years)))
        if filed_years is not None:
            values = {"filed_at": now - timedelta(days=365.25 * filed_years)}
            if retention:
                values.update(retention=retention[0], retention_years=retention[1])
            conn.execute(update(case_files).where(case_files.c.case_id == case_id).values(**values))


def file(db, case_id: int) -> None:
    with db.begin() as conn:
        file_case(conn, SUPER, case_id)


def test_a_filed_case_keeps_its_files_retention(db, periods):
    # TIAOJIE_RETENTION_YEARS (periods): mediation 4 years; every case below closed 12 years ago
    unfiled, permanent, long_young, short_old = (closed_case(db) for _ in range(4))
    for case_id in (permanent, long_young, short_old):
        file(db, case_id)
    backdate(db, unfiled, 12)
    backdate(db, permanent, 12, 12, ("permanent", None))
    backdate(db, long_young, 12, 11, ("long", 30))  # 30 years from filing: kept
    backdate(db, short_old, 12, 11, ("short", 10))  # 10 years from filing: past
    with db.begin() as conn:
        report = privacy.retention.run(conn)
    assert [(c["case_id"], c["kind"], c["years"]) for c in report["cases"]] == [
        (unfiled, "mediation", 4), (short_old, "file:short", 10)]
    with db.begin() as conn:
        done = set(conn.execute(select(case_retention.c.case_id)).scalars())
    assert done == {unfiled, short_old}


def test_a_short_file_is_anonymised_before_the_general_period(db, monkeypatch):
    monkeypatch.setenv("TIAOJIE_RETENTION_YEARS", "default=20")
    from engine.core.settings import get_settings

    get_settings.cache_clear()
    case_id = closed_case(db)
    file(db, case_id)
    backdate(db, case_id, 6, 6, ("short", 5))
    with db.begin() as conn:
        report = privacy.retention.run(conn, dry_run=True)
    assert [(c["case_id"], c["kind"]) for c in report["cases"]] == [(case_id, "file:short")]
