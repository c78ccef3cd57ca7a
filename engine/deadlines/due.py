"""What is due now, for the dispatcher: deadline rows claimed under a lease and sorted by the step they need.

Claiming is concurrent-safe (``FOR UPDATE SKIP LOCKED`` on PostgreSQL): several dispatchers each get
other rows. A claimed row is not claimed again until ``lease_until``; the step that acts on it clears
the lease, and a lost message is sent again once the lease runs out.
"""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Connection

from engine.store import deadlines as deadline_store
from engine.store import escalations as escalation_store


@dataclass
class Due:
    """Claimed rows by step, each as (deadline id, the time it became due)."""

    timers: list[tuple[int, datetime]] = field(default_factory=list)  # BPMN timers: fire through the case
    warn: list[tuple[int, datetime]] = field(default_factory=list)
    breach: list[tuple[int, datetime]] = field(default_factory=list)
    leader: list[tuple[int, datetime]] = field(default_factory=list)

    @property
    def claimed(self) -> int:
        return len(self.timers) + len(self.warn) + len(self.breach) + len(self.leader)


def claim_due(conn: Connection, now: datetime, lease_until: datetime, limit: int = 500) -> Due:
    """Claim what is due at ``now`` (at most ``limit`` deadline rows, and as many leader steps)."""
    due = Due()
    for r in deadline_store.claim_due(conn, now, lease_until, limit):
        if r.kind == "timer":
            due.timers.append((r.id, r.due_at))
        elif r.due_at <= now:
            due.breach.append((r.id, r.due_at))
        else:
            due.warn.append((r.id, r.warn_at))
    for r in escalation_store.claim_leader_due(conn, now, lease_until, limit):
        due.leader.append((r.id, r.next_escalation_at))
    return due
