"""Deadlines: SLA and statutory rules, the deadline rows of tasks, and their escalation chain
(warn → breach, 督办 → leader, 领导包案), claimed by the dispatcher when due.

What code outside ``engine.deadlines`` may use; inside the engine, modules import the sibling modules directly.
A case's BPMN timer rows fire through ``engine.cases.fire_timer`` (the workflow is above this package).
"""

from engine.deadlines.calendar import banner_text, unconfirmed_tasks
from engine.deadlines.calendar import calendar as work_calendar
from engine.deadlines.calendar import seed as seed_calendar
from engine.deadlines.calendar import status as calendar_status
from engine.deadlines.calendar_admin import import_text as import_calendar
from engine.deadlines.calendar_admin import parse as parse_calendar
from engine.deadlines.calendar_admin import set_day as set_calendar_day
from engine.deadlines.calendar_admin import show_year as show_calendar_year
from engine.deadlines.clocks import overdue_by
from engine.deadlines.due import Due, claim_due
from engine.deadlines.escalation import (
    acknowledge,
    breach,
    breach_many,
    escalate_leader,
    escalate_leader_many,
    warn,
    warn_many,
)
from engine.deadlines.recompute import recompute_deadlines
from engine.deadlines.rule_admin import ALERTS, STARTS_FROM
from engine.deadlines.rule_admin import change as set_rule
from engine.deadlines.rule_admin import create as create_rule
from engine.deadlines.rule_admin import history as rule_history
from engine.deadlines.rule_admin import open_counts as open_deadline_counts
from engine.deadlines.rule_admin import preview as preview_rule
from engine.deadlines.rule_admin import save as save_rule
from engine.deadlines.rules import CLOCKS, limit_text, list_rules
from engine.deadlines.seed import seed as seed_rules

__all__ = [
    "ALERTS",
    "CLOCKS",
    "STARTS_FROM",
    "create_rule",
    "open_deadline_counts",
    "save_rule",
    "preview_rule",
    "rule_history",
    "Due",
    "acknowledge",
    "banner_text",
    "breach",
    "breach_many",
    "calendar_status",
    "claim_due",
    "escalate_leader",
    "escalate_leader_many",
    "import_calendar",
    "limit_text",
    "list_rules",
    "parse_calendar",
    "recompute_deadlines",
    "seed_calendar",
    "overdue_by",
    "seed_rules",
    "set_calendar_day",
    "set_rule",
    "show_calendar_year",
    "unconfirmed_tasks",
    "warn",
    "warn_many",
    "work_calendar",
]
