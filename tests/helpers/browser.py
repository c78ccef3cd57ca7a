"""Browser-test helpers: log in, screenshots for the README, a task to work on, a queue row."""

import os
from datetime import UTC, datetime
from pathlib import Path

from tests.helpers.api import PASSWORD
from tests.helpers.process_driver import accept_on, drive, intake, review

SCREENSHOTS = os.environ.get("TIAOJIE_SCREENSHOTS")


def login(page, username: str, next_path: str = "/") -> None:
    page.goto(f"/login?next={next_path}")
    page.get_by_label("用户名").or_(page.get_by_label("User name")).fill(username)
    page.get_by_label("密码").or_(page.get_by_label("Password")).fill(PASSWORD)
    page.get_by_role("button", name="登录").or_(page.get_by_role("button", name="Log in")).click()
    page.wait_for_url(lambda url: "/login" not in url)


def shot(page, name: str) -> None:
    """Save a screenshot for the README when TIAOJIE_SCREENSHOTS names a folder."""
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOTS) / f"{name}.png"), full_page=False)


def mediation_task(db, start: datetime | None = None, session: bool = False, **over):
    """A dispute_case of 福田社区 driven to its people-mediation acceptance task (mediator group, due in
    3 workdays by its SLA rule), or on to the mediation session, due when the 30-day mediation term ends."""
    start = start or datetime.now(UTC)
    steps = [("intake", intake(**over)), ("lawyer_review", review("people_mediation"))]
    if session:
        steps.append(("mediation_accept", accept_on(start)))
    case, _ = drive(db, "dispute_case", steps, start=start)
    [task] = [t for t in case.open_tasks if t.element_id == ("mediation_session" if session else "mediation_accept")]
    assert task.group == "mediator"
    assert task.due_at is not None
    return case, task


def queue_row(page, section: str, case_number: str):
    """The row of ``case_number`` in the queue section ``section`` (ready, mine, ...)."""
    return page.get_by_test_id(f"queue-{section}").get_by_role("row").filter(has_text=case_number)
