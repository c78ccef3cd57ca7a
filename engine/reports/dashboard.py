"""The SLA dashboard: open work by stage, group and community, a 30-day trend, the worst breaches.

Scoped like the task queue: supervisors, leaders and admins see every community.
"""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from engine.cases import warning
from engine.core import clock
from engine.core.scope import scope as community_scope
from engine.core.types import User
from engine.store import dashboard_queries as queries
from engine.store import warnings as warning_queries

SHANGHAI = ZoneInfo("Asia/Shanghai")
AT_RISK_HOURS = 24
TREND_DAYS = 30
BREACH_LIMIT = 50
WARNING_LIMIT = 50


def _counts(rows, name: str) -> list[dict]:
    return [
        {name: r.key, "open": r.open, "overdue": int(r.overdue or 0), "at_risk": int(r.at_risk or 0)}
        for r in rows
    ]


def sla_dashboard(conn: Connection, user: User, now: datetime | None = None) -> dict:
    """The figures of GET /dashboard/sla at ``now`` (default: the clock) in the user's communities."""
    now = now or clock.now()
    soon = now + timedelta(hours=AT_RISK_HOURS)
    scope = community_scope(user)
    today = now.astimezone(SHANGHAI).date()
    first = today - timedelta(days=TREND_DAYS - 1)
    days = queries.trend(conn, scope, datetime.combine(first, time.min, SHANGHAI).astimezone(UTC), now)
    trend = []
    for i in range(TREND_DAYS):
        day: date = first + timedelta(days=i)
        found = days.get(day.isoformat(), {})
        trend.append(
            {
                "date": day.isoformat(),
                "opened": found.get("opened", 0),
                "closed": found.get("closed", 0),
                "breached": found.get("breached", 0),
            }
        )
    repeat_visits = warning.repeat_visit_threshold()
    n_warnings, n_over_level = warning_queries.warning_counts(conn, scope, repeat_visits)
    return {
        "now": now,
        "at_risk_hours": AT_RISK_HOURS,
        "early_warning_count": n_warnings,
        "over_level_count": n_over_level,
        "early_warnings": [
            {"case_id": r.id, "case_number": r.case_number, "community": r.community,
             "dispute_type": r.dispute_type, "visit_count": r.visit_count, "leader": r.leader,
             "created_at": r.created_at, "reasons": warning.reasons_of(r, repeat_visits)}
            for r in warning_queries.open_warnings(conn, scope, repeat_visits, WARNING_LIMIT)
        ],
        "open_by_stage": [
            {"process_key": r.process_key, "element_id": r.element_id, "name": r.name, "count": r.count}
            for r in queries.open_by_stage(conn, scope)
        ],
        "by_group": _counts(queries.by_group(conn, scope, now, soon), "group"),
        "by_community": _counts(queries.by_community(conn, scope, now, soon), "community"),
        "trend": trend,
        "breaches": [
            {
                "task_id": r.id,
                "case_id": r.case_id,
                "case_number": r.case_number,
                "name": r.name,
                "group": r.candidate_group,
                "community": r.community,
                "due_at": r.due_at,
                "overdue_seconds": int((now - r.due_at).total_seconds()),
            }
            for r in queries.breaches(conn, scope, now, BREACH_LIMIT)
        ],
    }
