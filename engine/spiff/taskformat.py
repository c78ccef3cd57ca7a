"""A task as stored, written and read without SpiffWorkflow's generic walk over every value: the same dict.

Spiff's ``TaskConverter`` stores a task as its ids, state and internal data, and its data as the change from its
parent's (``delta``: updates and deletions); every value goes through the serializer's registry, which walks it
looking for datetimes and the like. Most of a case's values are plain JSON (strings, numbers, flags, None):
``TaskFormat`` copies a dict of those as it is and hands anything else to the registry, as Spiff does. Ids read
back are made once per text (``uuid_of``): a task's id is also its parent's child and its children's parent.

The dict written and the task read back are Spiff's own (``tests/engine/spiff/test_taskformat.py`` compares them).
"""

from copy import copy
from uuid import UUID

from SpiffWorkflow.bpmn.serializer.default.workflow import TaskConverter
from SpiffWorkflow.bpmn.specs.mixins.events.event_types import CatchingEvent
from SpiffWorkflow.task import TaskState

from engine.spiff.quiet import QuietTask

_PLAIN = frozenset({str, int, float, bool, type(None)})
_CONTAINERS = (dict, list, set)
_WAITING = TaskState.WAITING
_IDS: dict[str, UUID] = {}  # id text -> UUID (ids are immutable, so sharing them is safe)
_TEXTS: dict[int, tuple[UUID, str]] = {}  # id() of a UUID -> (it, its text): a UUID hashes in Python, an int in C
_MAX = 20_000


def uuid_of(text: str) -> UUID:
    found = _IDS.get(text)
    if found is None:
        if len(_IDS) >= _MAX:
            _IDS.clear()
        found = _IDS[text] = UUID(text)
        _remember(found, text)
    return found


def _text(value: UUID) -> str:
    hit = _TEXTS.get(id(value))
    if hit is not None and hit[0] is value:
        return hit[1]
    text = str(value)
    _remember(value, text)
    return text


def _remember(value: UUID, text: str) -> None:
    if len(_TEXTS) >= _MAX:
        _TEXTS.clear()
    _TEXTS[id(value)] = (value, text)


def _plain_dict(value) -> bool:
    """A dict whose values are all JSON scalars (what the registry returns as a copy of it)."""
    return type(value) is dict and all(type(v) in _PLAIN for v in value.values())


class TaskFormat(TaskConverter):
    """Spiff's ``TaskConverter``, its dict built directly for plain values (see the module)."""

    def to_dict(self, task):
        parent_id = task._parent
        parent = task.workflow.tasks.get(parent_id) if parent_id is not None else None
        data = task.data
        if parent is None:
            delta = {}
        else:
            before = parent.data
            delta = {"updates": {k: v for k, v in data.items() if k not in before or v != before[k]},
                     "deletions": [k for k in before if k not in data]}
            data = {}
        internal = task.internal_data
        return {
            "id": _text(task.id),
            "parent": _text(parent_id) if parent is not None else None,
            "children": [_text(child) for child in task._children],
            "last_state_change": task.last_state_change,
            "state": task._state,
            "task_spec": task.task_spec.name,
            "triggered": task.triggered,
            "internal_data": dict(internal) if _plain_dict(internal) else self.registry.convert(internal),
            "data": data,
            "delta": delta,
        }

    def _restore(self, value, fresh: bool):
        """The registry's ``restore`` of ``value``; a plain dict is returned as is (a copy when ``fresh``)."""
        if type(value) is dict and "typename" not in value and all(type(v) in _PLAIN for v in value.values()):
            return dict(value) if fresh else value
        return self.registry.restore(value)

    def from_dict(self, dct, workflow):
        task_spec = workflow.spec.task_specs.get(dct["task_spec"])
        task = QuietTask(workflow, task_spec, state=dct["state"], id=uuid_of(dct["id"]))  # (quiet.py)
        task._parent = uuid_of(dct["parent"]) if dct["parent"] is not None else None
        task._children = [uuid_of(child) for child in dct["children"]]
        task.last_state_change = dct["last_state_change"]
        task.triggered = dct["triggered"]
        task.internal_data = self._restore(dct["internal_data"], True)
        if isinstance(task_spec, CatchingEvent) and task._state & _WAITING:
            task.workflow.top_workflow.event_manager.add_task(task)
        delta = dct.get("delta")
        parent = workflow.tasks.get(task._parent) if delta and task._parent is not None else None
        if parent is not None:
            data = {k: copy(v) if isinstance(v, _CONTAINERS) else v for k, v in parent.data.items()}
            data.update(self._restore(delta.get("updates", {}), False))
            for key in delta.get("deletions", {}):
                if key in data:
                    del data[key]
        else:
            data = self._restore(dct["data"], True)
        task.data = data
        return task
