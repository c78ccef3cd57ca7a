"""Bulk rows for realistic table sizes: thousands of open cases with one task each (tests and the bench)."""

import random
import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import text

from engine.store.tables import cases, tasks

GROUPS = ["intake", "mediator", "lawyer", "supervisor", "leader"]


def seed_open_cases(db, n: int, definition_id: int, community: str | None = None,
                    process_key: str = "review", groups: list[str] | None = None) -> None:
    """Bulk-insert n active cases, each with one open task spread over the groups."""
    now = datetime.now(UTC)
    batch = 5000
    groups = groups or GROUPS
    with db.begin() as conn:
        start_id = conn.execute(text("SELECT coalesce(max(id), 0) FROM cases")).scalar_one() + 1
        rng = random.Random(start_id)  # reproducible, and distinct ids on every call
        for off in range(0, n, batch):
            case_rows, task_rows = [], []
            for i in range(off, min(n, off + batch)):
                cid = start_id + i
                case_rows.append({"id": cid, "case_number": f"BENCH-{cid}", "year": now.year, "process_key": process_key,
                                  "community": community,
                                  "definition_id": definition_id, "status": "active", "revision": 1, "state": "{}",
                                  "data": {}, "created_at": now, "updated_at": now})
                task_rows.append({"id": str(uuid.UUID(int=rng.getrandbits(128))), "case_id": cid,
                                  "element_id": "examine", "name": "审查", "process_key": process_key,
                                  "candidate_group": groups[i % len(groups)], "status": "ready",
                                  "created_at": now, "due_at": now + timedelta(minutes=rng.randint(0, 60 * 24 * 60))})
            conn.execute(cases.insert(), case_rows)
            conn.execute(tasks.insert(), task_rows)
        if db.dialect == "postgresql":
            conn.execute(text("SELECT setval(pg_get_serial_sequence('cases', 'id'), (SELECT max(id) FROM cases))"))
    with db.engine.connect() as conn:
        conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
