"""Tasks: the queue as a user sees it, who may do what (permissions), assignment, drafts, handover.

What code outside ``engine.tasks`` may use; inside the engine, modules import the sibling modules directly.
Claim and release exist once: ``engine.tasks.assignment`` (checked per user by ``engine.tasks.work``).
"""

from engine.tasks.assignment import check_target, handover
from engine.tasks.drafts import MAX_DRAFT_BYTES, get_draft, save_draft
from engine.tasks.permissions import in_group, may_work
from engine.tasks.queue import TASKS_CURSOR, form, queue, summary
from engine.tasks.saved_filters import delete_filter, list_filters, save_filter
from engine.tasks.work import assign_task, claim_task, complete_task, delegate_task, release_task

__all__ = [
    "MAX_DRAFT_BYTES",
    "TASKS_CURSOR",
    "assign_task",
    "check_target",
    "claim_task",
    "complete_task",
    "delegate_task",
    "delete_filter",
    "form",
    "get_draft",
    "handover",
    "in_group",
    "list_filters",
    "may_work",
    "queue",
    "release_task",
    "save_draft",
    "save_filter",
    "summary",
]
