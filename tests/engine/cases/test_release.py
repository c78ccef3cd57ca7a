"""A step frees its workflow when it returns (``Run.release``), not when Python's cyclic collector next runs."""

import gc
import weakref

from engine.cases import service
from engine.spiff.runtime import Run
from tests.helpers.engine import TWO_TASK_MEDIATE, TWO_TASK_REGISTER, deploy
from tests.helpers.ledger import MEDIATED
from tests.helpers.process_driver import drive


def _watch(monkeypatch) -> list[list[weakref.ref]]:
    """Weak references to each released run's workflows (the top one and its called processes') and tasks."""
    released = []
    release = Run.release

    def watched(run):
        workflows = [run.wf, *run.wf.subprocesses.values()]
        released.append([weakref.ref(w) for w in workflows] + [weakref.ref(t) for w in workflows
                                                                for t in w.tasks.values()])
        release(run)

    monkeypatch.setattr(Run, "release", watched)
    return released


def test_each_steps_workflow_and_tasks_are_freed_as_the_step_returns(db, monkeypatch):
    deploy(db, "two_task.bpmn")
    released = _watch(monkeypatch)
    gc.collect()
    gc.disable()  # only reference counting frees anything here
    try:
        with db.begin() as conn:
            case = service.start_case(conn, "two_task", {}, actor="t")
        with db.begin() as conn:
            case = service.complete_task(conn, case.open_tasks[0].id, dict(TWO_TASK_REGISTER), actor="t")
        with db.begin() as conn:
            case = service.complete_task(conn, case.open_tasks[0].id, dict(TWO_TASK_MEDIATE), actor="t")
        alive = [r() for refs in released for r in refs if r() is not None]
    finally:
        gc.enable()
    assert case.status == "completed"
    assert len(released) == 3 and all(len(refs) > 3 for refs in released)  # the workflow and its tasks, each step
    assert alive == []


def test_called_processes_are_freed_with_their_case(db, monkeypatch):
    """A dispute in 人民调解 runs it as a called process, with the leader's 包案 in parallel."""
    released = _watch(monkeypatch)
    gc.collect()
    gc.disable()
    try:
        case, done = drive(db, "dispute_case", MEDIATED[:4])
        alive = [r() for refs in released for r in refs if r() is not None]
    finally:
        gc.enable()
    assert done == ["intake", "lawyer_review", "leader_take_charge", "mediation_accept"]
    assert max(len(refs) for refs in released) > 20  # the called process's workflow and tasks among them
    assert alive == []


def test_a_released_run_is_still_read_back_whole_from_its_stored_state(db):
    """Releasing happens after the state is written: the next step loads the case as it was."""
    deploy(db, "two_task.bpmn")
    with db.begin() as conn:
        case = service.start_case(conn, "two_task", {}, actor="t")
    with db.begin() as conn:
        case = service.complete_task(conn, case.open_tasks[0].id, dict(TWO_TASK_REGISTER), actor="t")
    assert [t.element_id for t in case.open_tasks] == ["mediate"]
    with db.begin() as conn:
        assert service.get_case(conn, case.id).data["summary"] == TWO_TASK_REGISTER["summary"]
