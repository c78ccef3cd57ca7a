"""A case's tasks are ``QuietTask`` (``engine.spiff.quiet``): Spiff's state changes without the log record Spiff
builds even when its logger drops it, Spiff's own record when the logger is enabled, stored as Spiff's ``Task`` (the
typename the compact form leaves out, ``engine.spiff.taskformat``)."""

import json
import logging

from SpiffWorkflow.task import Task, TaskState

from engine.processes.deploy import check
from engine.spiff.quiet import QuietTask
from engine.spiff.runtime import Run
from tests.helpers.engine import TWO_TASK_REGISTER, bundle


def _two_task() -> tuple:
    (two_task,) = [c for c in check(bundle("two_task.bpmn")) if c.key == "two_task"]
    return Run.start(two_task.content_hash, lambda: two_task.spec_json, {}), two_task


def test_a_cases_tasks_are_quiet_from_start_to_load_and_stored_as_spiffs_task():
    run, compiled = _two_task()
    assert run.wf.tasks and all(type(t) is QuietTask for t in run.wf.tasks.values())
    run.complete(run.ready_user_tasks()[0].id, dict(TWO_TASK_REGISTER))
    assert all(type(t) is QuietTask for t in run.wf.tasks.values())  # the children Spiff added on the way
    stored = json.loads(run.dump())
    assert {t.get("typename", "Task") for t in stored["tasks"].values()} == {"Task"}  # compact: Task left out
    loaded = Run.load(compiled.content_hash, lambda: compiled.spec_json, run.dump())
    assert all(type(t) is QuietTask for t in loaded.wf.tasks.values())
    assert loaded.dump() == run.dump()


def test_a_state_change_builds_no_record_at_warning_and_spiffs_record_at_info(monkeypatch, caplog):
    run, _ = _two_task()
    built = []
    real = Task.collect_log_extras
    monkeypatch.setattr(Task, "collect_log_extras", lambda self, dct=None: built.append(self) or real(self, dct))
    task = next(t for t in run.wf.tasks.values() if t.state == TaskState.FUTURE)
    before = task.last_state_change
    # at_level sets the level through setLevel, which also clears the logger's isEnabledFor cache
    with caplog.at_level(logging.WARNING, logger="spiff.task"):
        task._set_state(TaskState.READY)  # noqa: SLF001
    assert task.state == TaskState.READY and task.last_state_change >= before and built == []
    with caplog.at_level(logging.INFO, logger="spiff.task"):
        task._set_state(TaskState.STARTED)  # noqa: SLF001
    assert task.state == TaskState.STARTED and built == [task]
    assert [r.getMessage() for r in caplog.records if r.name == "spiff.task"] == ["State changed to STARTED"]
