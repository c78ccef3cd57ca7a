"""Fill the ledger (台账) columns of engine cases written before every step computed them.

A database created by an older version holds engine-run cases with empty ledger columns, which the
annual report and the export then miss. The backfill computes them with the function the step write
uses (``terms.case_ledger``) from the stored row: workflow data, status, start and completion times.
Only cases never filled are touched (``accepted_on`` empty, not imported); a second run finds none.
"""

from collections.abc import Callable
from dataclasses import dataclass

from engine.ledger import terms
from engine.store import Database
from engine.store import ledger as store

DEFAULT_BATCH = 500


@dataclass
class BackfillResult:
    checked: int = 0
    filled: int = 0
    dry_run: bool = False


def ledger_of(row) -> dict:
    """The ledger columns a step would have written for this stored case row (all of store.LEDGER_COLUMNS)."""
    data = row.data if isinstance(row.data, dict) else {}
    out = terms.case_ledger(row.process_key, data, row.status, row.created_at, row.completed_at)
    return {c: out.get(c, getattr(row, c)) for c in store.LEDGER_COLUMNS}


def changes(row, values: dict) -> dict:
    """The columns whose value the backfill changes."""
    return {c: v for c, v in values.items() if v != getattr(row, c)}


def backfill(db: Database, *, batch: int = DEFAULT_BATCH, dry_run: bool = False,
             progress: Callable[[int, int], None] | None = None,
             on_change: Callable[[str, dict], None] | None = None) -> BackfillResult:
    """Fill the unfilled cases, BATCH at a time in id order, one transaction per batch.

    ``progress(checked, filled)`` after each batch; ``on_change(case_number, changed columns)`` per case.
    With ``dry_run`` nothing is written and ``filled`` counts the cases that would be."""
    if batch < 1:
        raise ValueError("batch must be at least 1")
    result = BackfillResult(dry_run=dry_run)
    after = 0
    while True:
        with db.begin() as conn:
            rows = store.backfill_batch(conn, after, batch)
            if not rows:
                break
            values = {r.id: ledger_of(r) for r in rows}
            if on_change:
                for r in rows:
                    on_change(r.case_number, changes(r, values[r.id]))
            result.filled += len(rows) if dry_run else store.fill_ledger(conn, values)
        result.checked += len(rows)
        after = rows[-1].id
        if progress:
            progress(result.checked, result.filled)
    return result
