"""`tiaojie ledger backfill`: engine cases of an older database (ledger columns empty) get the columns a step writes."""

import os
import subprocess
import sys

from sqlalchemy import select, update

from engine import Database
from engine.ledger import import_file
from engine.ledger.backfill import backfill
from engine.store.ledger import LEDGER_COLUMNS
from engine.store.tables import cases
from tests.helpers.ledger import MEDIATED, drive_all, row, write_csv
from tests.helpers.paths import ROOT
from tests.helpers.process_driver import drive, intake
from tests.helpers.reports import annual

BLANK = {c: None for c in LEDGER_COLUMNS if c != "people_count"}
SECTIONS = ("mediation", "petitions", "pre_petition_studio", "labour_center", "arbitration_station")


def _ledger_rows(db) -> dict:
    with db.begin() as conn:
        return {r.id: (r.imported, *(getattr(r, c) for c in LEDGER_COLUMNS))
                for r in conn.execute(select(cases).order_by(cases.c.id))}


def _blank(db, imported: bool = False) -> None:
    """What an older version left: engine cases without ledger columns (labour workers not yet counted)."""
    with db.begin() as conn:
        conn.execute(update(cases).where(cases.c.imported.is_(imported)).values(**BLANK))
        conn.execute(update(cases).where(cases.c.process_key == "labour_mediation").values(people_count=None))


def _import_two(db, tmp_path) -> None:
    with db.begin() as conn:
        result = import_file(conn, write_csv(tmp_path / "old.csv", [row("深福调〔2025〕900号"),
                                                                     row("深福调〔2025〕901号")]))
    assert result.ok and result.imported == 2, result.problems


def test_backfill_restores_the_columns_and_the_report(db, tmp_path):
    ids = drive_all(db)
    _import_two(db, tmp_path)
    before, report = _ledger_rows(db), annual(db)
    _blank(db)
    old = annual(db)  # the old database: the report misses the engine cases, counts the imported ones
    assert old["mediation"]["handled"] == report["mediation"]["handled"] - 1 == 2
    assert old["labour_center"]["handled"] == old["petitions"]["received"] == 0

    seen = []
    result = backfill(db, batch=3, progress=lambda checked, filled: seen.append((checked, filled)))
    assert (result.checked, result.filled) == (len(ids), len(ids))
    assert seen == [(3, 3), (6, 6), (7, 7)]  # one progress call (and one transaction) per batch
    assert _ledger_rows(db) == before
    after = annual(db)
    for section in SECTIONS:
        assert after[section] == report[section], section

    again = backfill(db)  # idempotent
    assert (again.checked, again.filled) == (0, 0)
    assert _ledger_rows(db) == before


def test_dry_run_writes_nothing_and_lists_the_changes(db):
    case, _ = drive(db, "dispute_case", MEDIATED)
    before = _ledger_rows(db)
    _blank(db)
    blanked = _ledger_rows(db)
    changed = []
    result = backfill(db, dry_run=True, on_change=lambda number, cols: changed.append((number, cols)))
    assert (result.checked, result.filled, result.dry_run) == (1, 1, True)
    assert _ledger_rows(db) == blanked
    [(number, cols)] = changed
    assert number == case.case_number
    assert cols == {c: v for c, v, old in zip(LEDGER_COLUMNS, before[case.id][1:], blanked[case.id][1:], strict=True)
                    if v != old}
    assert cols["handling_body"] == "人民调解委员会"
    assert backfill(db).filled == 1 and _ledger_rows(db) == before


def test_imported_cases_are_never_touched(db, tmp_path):
    drive(db, "dispute_case", [("intake", intake())])
    _import_two(db, tmp_path)
    _blank(db, imported=True)  # even an imported row without ledger terms stays as it is
    blanked = _ledger_rows(db)
    result = backfill(db)
    assert (result.checked, result.filled) == (0, 0)
    assert _ledger_rows(db) == blanked


def test_cli_backfill_prints_progress_and_summary(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    db = Database(url)
    db.create_all()
    drive(db, "dispute_case", MEDIATED)
    drive(db, "dispute_case", [("intake", intake())])
    _blank(db)
    db.dispose()
    env = {**os.environ, "TIAOJIE_DATABASE_URL": url}

    def run(*args):
        return subprocess.run([sys.executable, "-m", "cli.main", "ledger", "backfill", *args], cwd=ROOT,
                              env=env, capture_output=True, text=True, timeout=120)

    dry = run("--dry-run")
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.splitlines()[-1] == "checked 2, would fill 2"
    assert "handling_body=人民调解委员会" in dry.stdout and "checked 2, would fill 2" in dry.stderr
    done = run("--batch", "1")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "checked 2, filled 2"
    assert done.stderr.splitlines() == ["回填 checked 1, filled 1", "回填 checked 2, filled 2"]
    assert run().stdout.strip() == "checked 0, filled 0"
    assert run("--batch", "0").returncode != 0
