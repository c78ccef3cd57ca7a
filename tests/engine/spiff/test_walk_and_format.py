"""The step's shortcuts give what SpiffWorkflow itself gives: the tasks by state (``engine.spiff.walk``), the task
dicts written and read (``engine.spiff.taskformat``), the one-walk view of a step (``Run.view``)."""

import copy
import json
from uuid import UUID

import pytest
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.task import TaskState

from engine.core.errors import StepFailed
from engine.processes.deploy import check, load_dir
from engine.spiff import quiet, walk
from engine.spiff.runtime import Run, _dump_state, _load_state
from tests.helpers.engine import bundle
from tests.helpers.paths import ROOT

SPIFF = BpmnWorkflowSerializer.configure(SPIFF_CONFIG)  # Spiff's own serializer, its own task converter
quiet.register(SPIFF)  # a case's tasks are QuietTask, which Spiff's converter writes as the Task it is
_SPIFF_WF = SPIFF.convert_to_dict[SPIFF.typenames[BpmnWorkflow]].args[1].__self__
MASKS = [TaskState.READY, TaskState.WAITING, TaskState.COMPLETED, TaskState.FINISHED_MASK, TaskState.MAYBE,
         TaskState.NOT_FINISHED_MASK, TaskState.ANY_MASK, TaskState.READY | TaskState.WAITING | TaskState.STARTED]
DATA = {"amount": 20000, "channel": "window", "summary": "邻里纠纷", "outcome": "调解成功", "accepted": True,
        "accepted_on": "2026-01-05", "received_on": "2026-01-05", "mediation_result": "success", "agreed": True}


def _processes():
    compiled = check(load_dir(ROOT / "bpmn")) + check(bundle("two_task.bpmn", "office_timers.bpmn", "timer_panel.bpmn"))
    return [(c.key, c.content_hash, c.spec_json) for c in compiled]


def _spiff_dump(wf) -> dict:
    dct = _SPIFF_WF.to_dict(wf)
    for key in ("spec", "subprocess_specs"):
        dct.pop(key)
    return dct


def _spiff_load(dct: dict, spec, subs) -> BpmnWorkflow:
    wf = BpmnWorkflow(spec, subs, deserializing=True)
    wf.tasks = _SPIFF_WF.mapping_from_dict(dct["tasks"], UUID, workflow=wf)
    wf.task_tree = wf.tasks.get(UUID(dct["root"]))
    _SPIFF_WF.set_default_attributes(wf, dct)
    _SPIFF_WF.subprocesses_from_dict(dct["subprocesses"], wf)
    wf.bpmn_events = SPIFF.restore(dct.pop("bpmn_events", []))
    return wf


def _full(dct: dict) -> dict:
    """A compact stored dict (``engine.spiff.taskformat``) in Spiff's full form: every task's id, typename and
    default-valued keys written out."""
    out = copy.deepcopy(dct)
    for d in (out, *out["subprocesses"].values()):
        for key, task in d["tasks"].items():
            root = task["parent"] is None
            delta = task.pop("delta", {})
            full = {"id": key, "parent": task["parent"], "children": task["children"],
                    "last_state_change": task["last_state_change"], "state": task["state"],
                    "task_spec": task["task_spec"], "triggered": task.get("triggered", False),
                    "internal_data": task.get("internal_data", {}), "data": task.get("data", {}) if root else {},
                    "delta": {} if root else {"updates": delta.get("updates", {}),
                                              "deletions": delta.get("deletions", [])},
                    "typename": task.get("typename", "Task")}
            d["tasks"][key] = full
    return out


def _same_tasks(a, b) -> None:
    assert list(a.tasks) == list(b.tasks)
    for task_id, t in a.tasks.items():
        u = b.tasks[task_id]
        for attr in ("_state", "data", "internal_data", "_parent", "_children", "last_state_change", "triggered"):
            assert getattr(t, attr) == getattr(u, attr), attr
        assert t.task_spec is u.task_spec


def _check(run: Run) -> int:
    """Compare everything at this point of the case; returns how many tasks the workflow has."""
    wf = run.wf
    for mask in MASKS:
        for manual in (None, True, False):
            ours = walk.tasks(wf, mask, manual)
            assert [t.id for t in ours] == [t.id for t in BpmnWorkflow.get_tasks(wf, state=mask, manual=manual)]
    dumped = _dump_state(wf)
    assert _full(dumped) == _spiff_dump(wf)  # Spiff's dict, less what the compact form leaves out
    text = json.dumps(dumped, ensure_ascii=False, separators=(",", ":"), default=str)
    spiff_text = json.dumps(_spiff_dump(wf), ensure_ascii=False, separators=(",", ":"), default=str)
    assert len(text) < len(spiff_text)
    theirs = _spiff_load(json.loads(spiff_text), wf.spec, wf.subprocess_specs)
    for stored in (text, spiff_text):  # compact, and Spiff's full form (states stored before it) read the same
        ours = _load_state(json.loads(stored), wf.spec, wf.subprocess_specs)
        _same_tasks(ours, theirs)
        assert list(ours.subprocesses) == list(theirs.subprocesses)
        for key, sub in ours.subprocesses.items():
            _same_tasks(sub, theirs.subprocesses[key])
        assert set(ours.event_manager.tasks) == set(theirs.event_manager.tasks)
    view = run.view()
    assert view.ready == run.ready_user_tasks()
    assert view.next_timer_at == run.next_timer_at()
    assert view.element_states == run.element_states()
    assert [t.id for t in view.ready] == [str(t.id) for t in BpmnWorkflow.get_tasks(wf, state=TaskState.READY,
                                                                                     manual=True)]
    return len(wf.tasks) + sum(len(s.tasks) for s in wf.subprocesses.values())


@pytest.mark.parametrize(("key", "content_hash", "spec_json"), _processes(), ids=lambda v: v if len(v) < 40 else "")
def test_the_shortcuts_give_what_spiff_gives_along_a_case(key, content_hash, spec_json):
    run = Run.start(content_hash, lambda: spec_json, dict(DATA))
    checked = [_check(run)]
    for _ in range(12):  # complete the first ready task with data most forms take, as far as the process goes
        ready = run.ready_user_tasks()
        if not ready:
            break
        try:
            run.complete(ready[0].id, dict(DATA))
        except StepFailed:
            break
        run = Run.load(content_hash, lambda: spec_json, run.dump())
        checked.append(_check(run))
    assert all(n > 0 for n in checked)  # each point compared had a task tree


def test_a_workflow_too_deep_for_the_walk_is_left_to_spiff():
    (two_task,) = [c for c in check(bundle("two_task.bpmn")) if c.key == "two_task"]
    run = Run.start(two_task.content_hash, lambda: two_task.spec_json, {})
    root = run.wf.task_tree
    for _ in range(walk._DEPTH_LIMIT):  # noqa: SLF001 - pad the tree past the limit with finished tasks
        root._children.append(UUID(int=len(run.wf.tasks) + 1))  # noqa: SLF001
        run.wf.tasks[root._children[-1]] = type(root)(run.wf, root.task_spec, state=TaskState.COMPLETED,  # noqa: SLF001
                                                       id=root._children[-1])  # noqa: SLF001
    assert walk.tasks(run.wf, TaskState.READY) is None
    assert [t.id for t in run.wf.get_tasks(state=TaskState.READY)] == [
        t.id for t in BpmnWorkflow.get_tasks(run.wf, state=TaskState.READY)]
