"""Tasks: the queue as a user sees it, who may do what (permissions), assignment, drafts, handover.

What code outside ``engine.tasks`` may use; inside the engine, modules import the sibling modules directly.
Claim and release exist once: ``engine.tasks.assignment`` (checked per user by ``engine.tasks.work``).
"""

from engine.tasks.assignment import TASK_GROUPS, check_target
from engine.tasks.drafts import MAX_DRAFT_BYTES, get_draft, save_draft
from engine.tasks.handover import handover, preview
from engine.tasks.leader import led_cases
from engine.tasks.permissions import actions, in_group, may_work
from engine.tasks.queue import TASKS_CURSOR, describe, form, queue, summary
from engine.tasks.saved_filters import delete_filter, list_filters, save_filter
from engine.tasks.screening import context as screening_context
from engine.tasks.work import (
    assign_task,
    claim_task,
    complete_task,
    delegate_task,
    eligible_assignees,
    release_task,
)

__all__ = [
    "MAX_DRAFT_BYTES",
    "TASK_GROUPS",
    "TASKS_CURSOR",
    "actions",
    "assign_task",
    "check_target",
    "claim_task",
    "complete_task",
    "delegate_task",
    "describe",
    "eligible_assignees",
    "delete_filter",
    "form",
    "get_draft",
    "handover",
    "in_group",
    "led_cases",
    "list_filters",
    "may_work",
    "preview",
    "queue",
    "release_task",
    "save_draft",
    "screening_context",
    "save_filter",
    "summary",
]
