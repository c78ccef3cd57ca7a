"""Cases: registration, the workflow steps of a case, its read side, attachments, migration, pauses.

What code outside ``engine.cases`` may use; inside the engine, modules import the sibling modules directly.
"""

from engine.cases.access import check_visible
from engine.cases.attachments import download as download_attachment
from engine.cases.attachments import list_for_case as list_attachments
from engine.cases.attachments import upload as upload_attachment
from engine.cases.clock_actions import for_rows as allowed_clock_actions
from engine.cases.dates import CASE_DATES, change_dates
from engine.cases.failed_emails import drop_email, retry_email  # issue 17, 异常
from engine.cases.incidents import for_case as case_exceptions
from engine.cases.incidents import overview as exceptions_overview
from engine.cases.incidents import retry as retry_incident
from engine.cases.incidents import skip as skip_incident
from engine.cases.migration import migrate_case
from engine.cases.pause import approve_extension, case_clocks, pause_clocks, resume_clocks
from engine.cases.query import MAX_ROWS as SEARCH_MAX_ROWS
from engine.cases.query import SEARCH_PII_ROLES, export_rows, search_cases
from engine.cases.read import FULL_PARTY_ROLES, detail, related_item, search, task_item
from engine.cases.readonly import CaseFiled, check_not_filed
from engine.cases.registration import Registration, register_case
from engine.cases.search_export import to_xlsx as search_xlsx
from engine.cases.service import (
    cancel_case,
    case_events,
    complete_task,
    get_case,
    list_tasks,
    start_case,
)
from engine.cases.signed import SignedAgreementMissing
from engine.cases.supervision import cancel, migrate, preview_migration
from engine.cases.suspension import end as end_case
from engine.cases.suspension import resume as reactivate_case
from engine.cases.suspension import suspend as suspend_case
from engine.cases.timers import fire_timer

__all__ = [
    "SEARCH_MAX_ROWS",
    "SEARCH_PII_ROLES",
    "export_rows",
    "search_cases",
    "search_xlsx",
    "CaseFiled",
    "check_not_filed",
    "CASE_DATES",
    "change_dates",
    "FULL_PARTY_ROLES",
    "Registration",
    "approve_extension",
    "cancel",
    "cancel_case",
    "case_clocks",
    "case_events",
    "check_visible",
    "allowed_clock_actions",
    "complete_task",
    "detail",
    "download_attachment",
    "fire_timer",
    "get_case",
    "list_attachments",
    "list_tasks",
    "migrate",
    "migrate_case",
    "pause_clocks",
    "preview_migration",
    "register_case",
    "related_item",
    "resume_clocks",
    "search",
    "SignedAgreementMissing",
    "start_case",
    "task_item",
    "upload_attachment",
    # issue 17, 异常
    "case_exceptions",
    "drop_email",
    "end_case",
    "exceptions_overview",
    "reactivate_case",
    "retry_email",
    "retry_incident",
    "skip_incident",
    "suspend_case",
]
