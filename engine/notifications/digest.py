"""The daily digest: one email per user listing their open tasks that are overdue or due soon.

A user gets one when active, with an email, not opted out (``users.digest_opt_out``), and
with such tasks: assigned to them, or unclaimed in their role's group and communities.
The dedupe key is per user and Shanghai date, so running it twice a day sends once.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from engine.notifications import outbox
from engine.store import outbox as store

DIGEST_DAYS = 3
SHANGHAI = ZoneInfo("Asia/Shanghai")
GROUPS = ("intake", "mediator", "lawyer", "supervisor", "leader")  # roles that are candidate groups


def build_digests(conn: Connection, at: datetime, days: int = DIGEST_DAYS) -> int:
    """Write today's digest rows; returns how many were written (0 for users who have theirs)."""
    day = at.astimezone(SHANGHAI).date().isoformat()
    written = 0
    for user, communities in store.digest_users(conn):
        sees_all = user.role in store.SEES_ALL
        rows = store.digest_tasks(conn, username=user.username, group=user.role if user.role in GROUPS else None,
                                  communities=None if sees_all and not communities else communities,
                                  until=at + timedelta(days=days))
        if not rows:
            continue
        context = {"date": day, "days": days, "as_of": at.isoformat(), "username": user.username,
                   "display_name": user.display_name,
                   "tasks": [{"case_id": r.case_id, "case_number": r.case_number, "task_name": r.name,
                              "community": r.community, "due_at": r.due_at.isoformat(), "assignee": r.assignee}
                             for r in rows]}
        if outbox.enqueue(conn, dedupe_key=f"digest-{user.username}-{day}", template="daily_digest",
                          context=context, to_user=user.username, at=at) is not None:
            written += 1
    return written
