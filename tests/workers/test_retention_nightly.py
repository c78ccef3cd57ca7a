"""The dispatcher runs the retention rule once a night from 02:00 Shanghai."""

from datetime import UTC, datetime

from sqlalchemy import select, update

from engine import processes
from engine.cases import register_case, service
from engine.core.settings import get_settings
from engine.core.types import User
from engine.store.tables import case_parties, case_retention, cases
from tests.helpers.process_driver import bundle, intake
from workers import dispatcher as d


def test_closed_cases_past_their_period_are_anonymised_once_a_night(db, monkeypatch, tmp_path):
    monkeypatch.setenv("TIAOJIE_DATA_KEY_FILE", str(tmp_path / "data.keys"))
    monkeypatch.setenv("TIAOJIE_RETENTION_YEARS", "default=5")
    get_settings.cache_clear()
    monkeypatch.setattr(d, "_retention_done", set())
    with db.begin() as conn:
        processes.deploy(conn, bundle(), actor="test")
        case = register_case(conn, "dispute_case", intake(), user=User(1, "window1", "intake", ["福田社区"])).case
        service.cancel_case(conn, case.id, "tester", "撤回")
        conn.execute(update(cases).where(cases.c.id == case.id).values(completed_at=datetime(2020, 1, 1, tzinfo=UTC)))
    assert d._maybe_retention(db, datetime(2026, 3, 2, 17, 0, tzinfo=UTC)) is None  # 01:00 Shanghai: not yet
    with db.begin() as conn:
        assert conn.execute(select(case_parties.c.id)).all() != []
    report = d._maybe_retention(db, datetime(2026, 3, 2, 18, 30, tzinfo=UTC))  # 02:30: the night's run
    assert [c["case_id"] for c in report["cases"]] == [case.id] and report["totals"]["party_rows"] == 2
    assert d._maybe_retention(db, datetime(2026, 3, 2, 22, 0, tzinfo=UTC)) is None  # once a night
    assert d._maybe_retention(db, datetime(2026, 3, 3, 18, 5, tzinfo=UTC))["totals"]["cases"] == 0  # next night
    with db.begin() as conn:
        assert conn.execute(select(case_parties.c.id)).all() == []
        assert conn.execute(select(case_retention.c.case_id)).scalars().all() == [case.id]
    get_settings.cache_clear()
