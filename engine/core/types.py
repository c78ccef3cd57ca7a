"""The engine's own types: what the rest of tiaojie sees instead of SpiffWorkflow objects."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

ROLES = ("intake", "mediator", "lawyer", "supervisor", "leader", "admin")
# Roles that see every community's cases; the others see only their own communities.
ALL_COMMUNITIES = ("supervisor", "leader", "admin")
# The caseworkers: they work in their own communities only (ROLES less ALL_COMMUNITIES).
CASEWORKER_ROLES = ("intake", "mediator", "lawyer")


@dataclass
class Definition:
    """One deployed version of a process key."""

    id: int
    key: str
    version: int
    name: str
    content_hash: str
    created_at: datetime
    created_by: str | None = None
    is_new: bool = True  # False when the deploy matched an existing version by hash


@dataclass
class TaskInfo:
    """A user task as the workflow runtime reports it (before it is stored)."""

    id: str
    element_id: str
    name: str
    lane: str | None
    group: str | None
    form_key: str | None
    process_key: str
    due_at: datetime | None = None


@dataclass
class Task:
    id: str
    case_id: int
    element_id: str
    name: str
    group: str | None
    assignee: str | None
    status: str  # ready | claimed | completed | cancelled
    form_key: str | None
    created_at: datetime
    claimed_at: datetime | None = None
    completed_at: datetime | None = None
    completed_by: str | None = None
    due_at: datetime | None = None
    case_number: str | None = None
    process_key: str | None = None


@dataclass
class Case:
    id: int
    case_number: str
    process_key: str
    definition_id: int
    definition_version: int
    status: str  # active | completed | cancelled | error
    data: dict[str, Any]
    channel: str | None = None
    dispute_type: str | None = None
    community: str | None = None
    summary: str | None = None
    amount: float | None = None
    risk_level: str | None = None
    outcome: str | None = None
    next_timer_at: datetime | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    completed_at: datetime | None = None
    open_tasks: list[Task] = field(default_factory=list)


@dataclass
class Event:
    id: int
    case_id: int
    at: datetime
    actor: str | None
    kind: str
    task_id: str | None
    data: dict[str, Any]


@dataclass
class TaskView:
    """A task with the case fields that scope and describe it (no personal data)."""

    id: str
    case_id: int
    element_id: str
    name: str
    group: str | None
    assignee: str | None
    owner: str | None
    status: str
    form_key: str | None
    created_at: datetime
    due_at: datetime | None
    completed_by: str | None
    process_key: str
    case_number: str
    community: str | None
    dispute_type: str | None


@dataclass
class Person:
    id: int
    username: str
    role: str
    active: bool
    display_name: str | None
    communities: list[str]


@dataclass
class User:
    """A logged-in user as the rules see them: role, communities, preferences."""

    id: int
    username: str
    role: str
    communities: list[str] = field(default_factory=list)
    display_name: str | None = None
    email: str | None = None
    locale: str = "zh-CN"
    session_id: str | None = None
    must_change_password: bool = False  # after an admin's reset: only changing the password is allowed

    @property
    def sees_all_communities(self) -> bool:
        return self.role in ALL_COMMUNITIES
