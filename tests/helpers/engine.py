"""Small helpers shared by the engine tests."""


from engine import processes
from engine.cases import service
from tests.helpers.paths import FIXTURES


def bundle(*names: str) -> dict[str, bytes]:
    """Fixture files by name (forms are always included)."""
    files = {n: (FIXTURES / n).read_bytes() for n in names}
    for form in ("register.json", "review.json"):
        files.setdefault(form, (FIXTURES / form).read_bytes())
    return files


def deploy(db, *names: str):
    with db.begin() as conn:
        return processes.deploy(conn, bundle(*names), actor="test")


def start(db, key: str = "review", data: dict | None = None, actor: str = "alice"):
    with db.begin() as conn:
        return service.start_case(conn, key, data or {}, actor=actor)


def complete(db, task_id: str, data: dict | None = None, actor: str = "alice"):
    with db.begin() as conn:
        return service.complete_task(conn, task_id, data or {}, actor=actor)


def open_task(db, case_id: int, element_id: str):
    with db.begin() as conn:
        tasks = service.list_tasks(conn, case_id=case_id)
    matching = [t for t in tasks if t.element_id == element_id]
    assert matching, f"expected open task {element_id}, open: {[t.element_id for t in tasks]}"
    return matching[0]


def events(db, case_id: int) -> list:
    with db.begin() as conn:
        return service.case_events(conn, case_id)


TWO_TASK_REGISTER = {"amount": 500, "channel": "window", "summary": "邻里纠纷"}  # the gateway routes to 调解
TWO_TASK_MEDIATE = {"outcome": "调解成功"}


def two_task_case(db):
    """The bench's case on ``two_task.bpmn``: start, complete 登记, complete 调解; one transaction each."""
    with db.begin() as conn:
        case = service.start_case(conn, "two_task", {}, actor="bench")
    with db.begin() as conn:
        case = service.complete_task(conn, case.open_tasks[0].id, dict(TWO_TASK_REGISTER), actor="bench")
    with db.begin() as conn:
        case = service.complete_task(conn, case.open_tasks[0].id, dict(TWO_TASK_MEDIATE), actor="bench")
    assert case.status == "completed", case.status
    return case
