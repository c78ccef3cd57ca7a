"""Deadlines: SLA and statutory rules, the deadline rows of tasks, and their escalation chain
(warn → breach, 督办 → leader, 领导包案), claimed by the dispatcher when due.

What code outside ``engine.deadlines`` may use; inside the engine, modules import the sibling modules directly.
A case's BPMN timer rows fire through ``engine.cases.fire_timer`` (the workflow is above this package).
"""

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
from engine.deadlines.rules import CLOCKS, list_rules, set_rule
from engine.deadlines.seed import seed as seed_rules

__all__ = [
    "CLOCKS",
    "Due",
    "acknowledge",
    "breach",
    "breach_many",
    "claim_due",
    "escalate_leader",
    "escalate_leader_many",
    "list_rules",
    "overdue_by",
    "seed_rules",
    "set_rule",
    "warn",
    "warn_many",
]
