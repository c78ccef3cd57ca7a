"""Operations: reachability checks (health) and the figures of the metrics endpoint.

What code outside ``engine.ops`` may use; inside the engine, modules import the sibling modules directly.
"""

from engine.ops.health import check as check_health
from engine.ops.metrics import open_tasks_by_group
from engine.store.db import READ_ONLY, UNAVAILABLE, DatabaseError, outage

__all__ = ["READ_ONLY", "DatabaseError", "UNAVAILABLE", "check_health", "open_tasks_by_group", "outage"]
