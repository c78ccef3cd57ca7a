"""Run one case's workflow: create, load, step, complete, fire timers, dump.

The stored state never embeds the spec (specs are stored once per version and cached
here by definition id); the sandboxed script engine is attached when a workflow is made or loaded.
"""

import logging
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from threading import Lock
from uuid import UUID

from SpiffWorkflow.bpmn.serializer.default.workflow import WorkflowConverter
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.task import TaskState

from engine.core import jsontext
from engine.core.errors import Conflict, NotFound, StepFailed
from engine.core.types import TaskInfo
from engine.spiff.compiler import FORM_PROPERTY, REGISTRY, load_specs
from engine.spiff.decisions import record_decisions
from engine.spiff.scripting import script_engine
from engine.spiff.taskformat import compact, expand, uuid_of
from engine.spiff.walk import Case

# Spiff decides whether to gather every task's data (and walk the whole tree) for a log record by its loggers' own
# level (``logger.level < 20``), not the effective one: set on them, at what "spiff" has (engine.spiff).
for _name in ("spiff.task", "spiff.workflow"):
    if logging.getLogger(_name).level == logging.NOTSET:
        logging.getLogger(_name).setLevel(logging.getLogger("spiff").getEffectiveLevel())

# Lane names in the models -> candidate groups (roles). A lane may also be named by its group.
LANE_GROUPS = {
    "窗口受理": "intake",
    "访前工作室律师": "lawyer",
    "调解员": "mediator",
    "司法所": "supervisor",
    "街道领导": "leader",
}

_CONVERTER = REGISTRY.convert_to_dict[REGISTRY.typenames[BpmnWorkflow]].args[1].__self__
_ACTIVE = TaskState.READY | TaskState.WAITING | TaskState.STARTED
_TIMED: dict[int, tuple[object, bool]] = {}  # id(spec) -> (spec, whether any of its elements is a timer)


class _SpecCache:
    """Deserialized specs by content hash. Specs are immutable, so sharing is safe."""

    def __init__(self, size: int = 64):
        self._items: OrderedDict[str, tuple] = OrderedDict()
        self._size = size
        self._lock = Lock()

    def get(self, content_hash: str, load_json: Callable[[], str]) -> tuple:
        hit = self._items.get(content_hash)  # a dict read is atomic; the lock guards the order and the size
        if hit is not None:
            with self._lock:
                if content_hash in self._items:
                    self._items.move_to_end(content_hash)
            return hit
        specs = load_specs(load_json())
        record_decisions(specs[0], *specs[1].values())  # business rule tasks keep the rule that decided
        with self._lock:
            self._items[content_hash] = specs
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return specs


SPECS = _SpecCache()


def _timed(spec) -> bool:
    """Whether a process spec has a timer element (specs are immutable and few: remembered by identity)."""
    hit = _TIMED.get(id(spec))
    if hit is None or hit[0] is not spec:
        timed = any(isinstance(getattr(ts, "event_definition", None), TimerEventDefinition)
                    for ts in spec.task_specs.values())
        if len(_TIMED) > 1024:
            _TIMED.clear()
        hit = _TIMED[id(spec)] = (spec, timed)
    return hit[1]


def _dump_state(workflow: BpmnWorkflow) -> dict:
    """The workflow's dict as stored: Spiff's, its tasks compact (``engine.spiff.taskformat``)."""
    dct = WorkflowConverter.to_dict(_CONVERTER, workflow)
    dct["subprocesses"] = _CONVERTER.mapping_to_dict(workflow.subprocesses)
    dct["bpmn_events"] = REGISTRY.convert(workflow.bpmn_events)
    for d in (dct, *dct["subprocesses"].values()):
        compact(d["tasks"])
    return dct


def _load_state(dct: dict, spec, subprocess_specs) -> BpmnWorkflow:
    """The workflow of a stored dict, compact (``_dump_state``) or in Spiff's full form (states stored before)."""
    for d in (dct, *dct["subprocesses"].values()):
        expand(d["tasks"])
    workflow = Case(spec, subprocess_specs, script_engine=script_engine(), deserializing=True)
    workflow.tasks = _CONVERTER.mapping_from_dict(dct["tasks"], uuid_of, workflow=workflow)
    workflow.task_tree = workflow.tasks.get(uuid_of(dct["root"]))
    _CONVERTER.set_default_attributes(workflow, dct)
    _CONVERTER.subprocesses_from_dict(dct["subprocesses"], workflow)
    workflow.bpmn_events = REGISTRY.restore(dct.pop("bpmn_events", []))
    return workflow


def _failed(err: Exception) -> StepFailed:
    task = getattr(err, "task", None)
    element = getattr(getattr(task, "task_spec", None), "bpmn_id", None) if task else None
    reason = str(err.args[0]) if getattr(err, "args", None) else str(err)
    inner = getattr(err, "exception", None)
    if inner is not None and str(inner) not in reason:
        reason = f"{reason}: {inner}"
    failure = StepFailed(f"step failed at {element or 'an element'}: {reason}")
    failure.element = element
    return failure


@dataclass
class View:
    """What a step writes of the workflow, read in one walk (``Run.view``)."""

    ready: list[TaskInfo]  # the ready user tasks (``Run.ready_user_tasks``)
    next_timer_at: datetime | None  # ``Run.next_timer_at``
    element_states: dict[str, dict[str, list[str]]]  # ``Run.element_states``


class Run:
    """A loaded workflow of one case. Not thread-safe; one per request."""

    def __init__(self, workflow: BpmnWorkflow):
        self.wf = workflow
        self.wf.script_engine = script_engine()
        self.loaded_parties = None  # the parties as loaded, to tell whether a step changed them

    # -- lifecycle -------------------------------------------------------------------------
    @classmethod
    def start(cls, content_hash: str, load_json: Callable[[], str], data: dict) -> "Run":
        spec, subs = SPECS.get(content_hash, load_json)
        run = cls(Case(spec, subs, script_engine=script_engine()))
        run.wf.task_tree.data.update(data)
        run.advance()
        return run

    @classmethod
    def load(cls, content_hash: str, load_json: Callable[[], str], state: str) -> "Run":
        spec, subs = SPECS.get(content_hash, load_json)
        run = cls(_load_state(jsontext.loads(state), spec, subs))
        run.loaded_parties = run._last_data().get("parties")
        return run

    def dump(self, max_bytes: int | None = None) -> str:
        """The workflow state as stored; ``StepFailed`` when it takes more than ``max_bytes`` (UTF-8)."""
        state = jsontext.dumps(_dump_state(self.wf))
        if max_bytes is not None and len(state) * 3 > max_bytes and len(state.encode()) > max_bytes:
            mb = f"{max_bytes / 1_000_000:.3g}"
            raise StepFailed(f"the case's workflow state would take {len(state.encode()):,} bytes, over the limit "
                             f"of {mb} MB; the step is not saved / 案件流程状态超过上限 {mb} MB，本步未保存")
        return state

    # -- stepping --------------------------------------------------------------------------
    def advance(self) -> None:
        """Fire due timers and run engine steps until only user tasks or waits remain."""
        try:
            self.wf.refresh_timers()
            self.wf.do_engine_steps()
            # a clock counted from a past date (a back-dated acceptance, a limitation already close)
            # can be due the moment its timer starts waiting: fire it now, not at the next sweep
            for _ in range(3):
                due = self.next_timer_at()
                if due is None or due > datetime.now(UTC):
                    break
                self.wf.refresh_timers()
                self.wf.do_engine_steps()
        except SpiffWorkflowException as err:
            raise _failed(err) from None

    def complete(self, task_id: str, data: dict) -> None:
        self.wf.refresh_timers()  # a deadline that passed may have cancelled this task
        task = self._ready_user_task(task_id)
        task.data.update(data)
        try:
            task.run()
        except SpiffWorkflowException as err:
            raise _failed(err) from None
        self.advance()

    def skip(self, element: str, task_id: str | None = None, data: dict | None = None) -> int:
        """Run on as ``advance`` (after completing ``task_id`` with ``data``, when given), but the failing
        ``element`` is marked complete without running it (a supervisor's 跳过, issue 17); returns how many
        times it was skipped. Another element that fails still fails."""
        skipped = 0
        if task_id is not None:
            task = self._ready_user_task(task_id)
            task.data.update(data or {})
        for _ in range(20):  # an element in a loop fails once per pass
            try:
                if task_id is not None and skipped == 0 and task.state == TaskState.READY:
                    task.run()
                self.advance()
                return skipped
            except (SpiffWorkflowException, StepFailed) as err:
                failure = err if isinstance(err, StepFailed) else _failed(err)
                errored = [t for t in self.wf.get_tasks(state=TaskState.ERROR)
                           if getattr(t.task_spec, "bpmn_id", None) == element]
                if failure.element != element or not errored:
                    raise failure from None
                for t in errored:
                    t.complete()
                    skipped += 1
        return skipped

    def cancel(self) -> None:
        """Cancel the whole workflow (every open task and wait)."""
        self.wf.cancel()

    def _ready_user_task(self, task_id: str):
        try:
            task = self.wf.get_task_from_id(UUID(task_id))
        except (ValueError, SpiffWorkflowException):
            task = None
        if task is None:
            raise NotFound(f"task {task_id} not found in this case")
        if not task.task_spec.manual or task.state != TaskState.READY:
            raise Conflict(f"task {task_id} is no longer open ({TaskState.get_name(task.state)})")
        return task

    def release(self) -> None:
        """Break the workflow's reference cycles (each task and the workflow hold each other, as do the workflow
        and its event manager) so that the step's objects are freed when its last reference goes, not left to
        Python's cyclic collector (a two-task case left ~76 such objects; collecting them cost ~3 % of the
        process's CPU per case).
        The run is not usable afterwards."""
        top = self.wf
        top.event_manager.tasks = {}  # the top workflow's: called processes' catching tasks are in it too
        top.event_manager.workflow = None
        for wf in (top, *top.subprocesses.values()):
            for task in wf.tasks.values():
                task.workflow = None
            wf.tasks = {}
            wf.task_tree = None
        top.subprocesses = {}

    # -- reading ---------------------------------------------------------------------------
    @property
    def completed(self) -> bool:
        return self.wf.is_completed()

    @property
    def data(self) -> dict:
        if self.wf.is_completed():
            return dict(self.wf.data) or self._last_data()
        return self._last_data()

    def _last_data(self) -> dict:
        last = self.wf.last_task or self.wf.task_tree
        return dict(last.data)

    def view(self) -> View:
        """The ready user tasks, the next timer and the diagram's states, read in one walk of the tree."""
        found = self.wf.get_tasks(state=_ACTIVE | TaskState.COMPLETED)
        timers = self._next_timer(t for t in found if t._state == TaskState.WAITING) if self._timed() else None
        return View(self._infos(t for t in found if t._state == TaskState.READY and t.task_spec.manual), timers,
                    self._states(found))

    def ready_user_tasks(self) -> list[TaskInfo]:
        return self._infos(self.wf.get_tasks(state=TaskState.READY, manual=True))

    def _infos(self, tasks) -> list[TaskInfo]:
        out, timed = [], self._timed()
        for t in tasks:
            ts = t.task_spec
            props = (getattr(ts, "extensions", None) or {}).get("properties", {})
            lane = ts.lane
            out.append(
                TaskInfo(
                    id=str(t.id),
                    element_id=ts.bpmn_id or ts.name,
                    name=ts.bpmn_name or ts.bpmn_id or ts.name,
                    lane=lane,
                    group=props.get("candidateGroup") or LANE_GROUPS.get(lane, lane),
                    form_key=props.get(FORM_PROPERTY),
                    process_key=t.workflow.spec.name,
                    due_at=self._due_of(t) if timed else None,
                )
            )
        return out

    def _timed(self) -> bool:
        """Whether the workflow's processes have any timer element (without one, no task waits on a timer)."""
        return _timed(self.wf.spec) or any(_timed(s) for s in self.wf.subprocess_specs.values())

    def _due_of(self, user_task) -> datetime | None:
        """Earliest waiting timer on the task or on a (sub)process that contains it."""
        due = []
        task = user_task
        while task is not None:
            for sibling in task.parent.children if task.parent is not None else ():
                ed = getattr(sibling.task_spec, "event_definition", None)
                # on an enclosing (sub)process only an interrupting timer ends this task; a non-interrupting
                # one there is a reminder running beside it (e.g. a limitation warning), not its due time
                bounds = task is user_task or getattr(sibling.task_spec, "cancel_activity", True)
                if isinstance(ed, TimerEventDefinition) and sibling.state == TaskState.WAITING and bounds:
                    value = sibling._get_internal_data("event_value")
                    if isinstance(value, str):
                        due.append(datetime.fromisoformat(value))
            parent_id = getattr(task.workflow, "parent_task_id", None)
            task = self.wf.get_task_from_id(parent_id) if parent_id is not None else None
        return min(due) if due else None

    def shift_timers(self, delta) -> int:
        """Move every waiting timer by ``delta`` (a resumed case's clocks stood still)."""
        moved = 0
        for t in self.wf.get_tasks(state=TaskState.WAITING):
            if not isinstance(getattr(t.task_spec, "event_definition", None), TimerEventDefinition):
                continue
            value = t._get_internal_data("event_value")
            if isinstance(value, str):
                t._set_internal_data(event_value=(datetime.fromisoformat(value) + delta).isoformat())
                moved += 1
            elif isinstance(value, dict) and isinstance(value.get("next"), str):
                value["next"] = (datetime.fromisoformat(value["next"]) + delta).isoformat()
                moved += 1
        return moved

    def next_timer_at(self) -> datetime | None:
        if not self._timed():
            return None
        return self._next_timer(self.wf.get_tasks(state=TaskState.WAITING))

    def _next_timer(self, waiting) -> datetime | None:
        values = []
        for t in waiting:
            if not isinstance(getattr(t.task_spec, "event_definition", None), TimerEventDefinition):
                continue
            value = t._get_internal_data("event_value")
            if isinstance(value, dict):  # a cycle: none left once its repetitions are used up (R3/…)
                value = value.get("next") if value.get("cycles") != 0 else None
            if isinstance(value, str):
                values.append(datetime.fromisoformat(value))
        return min(values) if values else None

    def element_states(self) -> dict[str, dict[str, list[str]]]:
        """{process key: {"active": element ids, "completed": element ids}}, for highlighting diagrams.

        Active: ready or started tasks and waiting events (timers); the case's own process and
        each called process are listed under their own key.
        """
        return self._states(self.wf.get_tasks(state=_ACTIVE | TaskState.COMPLETED))

    @staticmethod
    def _states(tasks) -> dict[str, dict[str, list[str]]]:
        out: dict[str, dict[str, set]] = {}
        for t in tasks:
            element = getattr(t.task_spec, "bpmn_id", None)
            if not element:
                continue
            key = out.setdefault(t.workflow.spec.name, {"active": set(), "completed": set()})
            key["active" if t._state & _ACTIVE else "completed"].add(element)
        return {k: {"active": sorted(v["active"]), "completed": sorted(v["completed"] - v["active"])}
                for k, v in out.items()}
