"""SQL of ledger (台账) import and export: bulk inserts, idempotency by 案号, a year's rows."""

from collections.abc import Iterable, Iterator
from datetime import date, datetime

from sqlalchemy import Connection, bindparam, select, update

from engine.core.case_numbers import key_columns
from engine.store.tables import case_parties, cases, deadlines, definitions, events, metadata

LEDGER_PROCESS = "ledger"
_CHUNK = 1000


def ledger_definition(conn: Connection, now: datetime) -> int:
    """The placeholder definition imported cases point to (they run no workflow)."""
    found = conn.execute(select(definitions.c.id).where(definitions.c.key == LEDGER_PROCESS)
                         .order_by(definitions.c.version.desc()).limit(1)).scalar()
    if found is not None:
        return found
    return conn.execute(definitions.insert().values(
        key=LEDGER_PROCESS, version=1, name="台账导入", content_hash="ledger-import", spec_json="{}", forms={},
        sources={}, user_tasks=[], created_at=now, created_by="ledger").returning(definitions.c.id)).scalar_one()


def existing_numbers(conn: Connection, numbers: list[str]) -> set[str]:
    found: set[str] = set()
    for i in range(0, len(numbers), _CHUNK):
        chunk = numbers[i:i + _CHUNK]
        found.update(conn.execute(select(cases.c.case_number).where(cases.c.case_number.in_(chunk))).scalars())
    return found


def insert_cases(conn: Connection, rows: list[dict], events_of: dict[str, dict],
                 parties_of: dict[str, list[dict]]) -> None:
    """Bulk insert of case rows (executemany), then their `imported` event and party rows."""
    if not rows:
        return
    conn.execute(cases.insert(), [{**key_columns(r["case_number"]), **r} for r in rows])
    numbers = [r["case_number"] for r in rows]
    ids: dict[str, int] = {}
    for i in range(0, len(numbers), _CHUNK):
        chunk = numbers[i:i + _CHUNK]
        ids.update((n, i) for n, i in conn.execute(select(cases.c.case_number, cases.c.id)
                                                   .where(cases.c.case_number.in_(chunk))))
    conn.execute(events.insert(), [{**events_of[n], "case_id": ids[n]} for n in numbers])
    party_rows = [{**p, "case_id": ids[n]} for n in numbers for p in parties_of.get(n, ())]
    if party_rows:
        conn.execute(case_parties.insert(), party_rows)


_EXPORT = (cases.c.case_number, cases.c.accepted_on, cases.c.channel, cases.c.source, cases.c.dispute_type,
           cases.c.community, cases.c.data, cases.c.people_count, cases.c.amount, cases.c.handling_body,
           cases.c.mediator, cases.c.closed_on, cases.c.outcome, cases.c.difficult, cases.c.guidance_to,
           cases.c.guidance_letter_no, cases.c.recovered_amount)


def period_rows(conn: Connection, start: date, end: date) -> Iterator:
    """Cases accepted from START to END that have a handling body (not cancelled, routed), by 受理日期 and 案号,
    streamed."""
    q = (select(*_EXPORT).where(cases.c.accepted_on >= start, cases.c.accepted_on <= end,
                                cases.c.handling_body.is_not(None))
         .order_by(cases.c.accepted_on, cases.c.case_number))
    yield from conn.execution_options(yield_per=_CHUNK).execute(q)


def copy_rows(conn: Connection, table: str, columns: tuple[str, ...], rows: Iterable[tuple]) -> int:
    """Bulk load with PostgreSQL COPY (for bulk loads of many thousands of rows); returns the row count."""
    if conn.dialect.name != "postgresql":
        raise ValueError("copy_rows needs PostgreSQL")
    if table not in (cases.name, deadlines.name) or any(c not in metadata.tables[table].c for c in columns):
        raise ValueError(f"unknown table or column: {table} {columns}")
    n = 0
    cursor = conn.connection.driver_connection.cursor()
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            n += 1
    return n


def analyze(conn: Connection, *tables: str) -> None:
    """Fresh planner statistics after a bulk load (PostgreSQL)."""
    for t in tables:
        conn.exec_driver_sql(f"ANALYZE {metadata.tables[t].name}")


# Backfill of engine cases written before the ledger columns were filled: accepted_on is set by every step.
LEDGER_COLUMNS = ("handling_body", "mediator", "accepted_on", "closed_on", "guidance_to", "guidance_letter_no",
                  "recovered_amount", "people_count")
_NEEDS_BACKFILL = (cases.c.accepted_on.is_(None), cases.c.imported.is_(False))


def backfill_batch(conn: Connection, after_id: int, limit: int) -> list:
    """Next LIMIT engine cases (id > AFTER_ID, in id order) whose ledger columns were never filled."""
    q = (select(cases.c.id, cases.c.case_number, cases.c.process_key, cases.c.status, cases.c.data,
                cases.c.created_at, cases.c.completed_at, *(cases.c[c] for c in LEDGER_COLUMNS))
         .where(cases.c.id > after_id, *_NEEDS_BACKFILL).order_by(cases.c.id).limit(limit))
    return list(conn.execute(q))


def fill_ledger(conn: Connection, filled: dict[int, dict]) -> int:
    """Write the ledger columns (LEDGER_COLUMNS) of case id → values, where still unfilled; the number updated.

    One statement per case (a one-off repair: the rowcount stays exact on every driver); a case a step
    filled meanwhile is left as the step wrote it."""
    stmt = (update(cases).where(cases.c.id == bindparam("b_id"), *_NEEDS_BACKFILL)
            .values(**{c: bindparam(f"b_{c}") for c in LEDGER_COLUMNS}))
    return sum(conn.execute(stmt, {"b_id": i, **{f"b_{c}": v[c] for c in LEDGER_COLUMNS}}).rowcount
               for i, v in filled.items())
