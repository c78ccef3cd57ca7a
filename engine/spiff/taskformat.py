"""A task as stored, written and read without SpiffWorkflow's generic walk over every value.

Spiff's ``TaskConverter`` stores a task as its ids, state and internal data, and its data as the change from its
parent's (``delta``: updates and deletions); every value goes through the serializer's registry, which walks it
looking for datetimes and the like. Most of a case's values are plain JSON (strings, numbers, flags, None):
``TaskFormat`` copies a dict of those as it is and hands anything else to the registry, as Spiff does. Ids read
back are made once per text (``uuid_of``): a task's id is also its parent's child and its children's parent.

The dict is written compact: Spiff's, less what the reader knows (the id, which is the task's key, the typename
``Task``, and keys holding their defaults: ``triggered`` false, empty ``internal_data``, a child's empty ``data``
and a delta with no change). A two-task case's state 3.1 → 2.0 kB of text; PostgreSQL compresses less and the
step's message is shorter (client and server CPU per case −3 % together, measured alternating). ``expand`` puts
back the id and typename before Spiff's registry reads the dicts; ``from_dict`` reads both forms, so states
stored in Spiff's full form before read as they did. Stock Spiff cannot read the compact form: only this module
does. What is read back is what Spiff itself reads back from its own dict
(``tests/engine/spiff/test_walk_and_format.py`` compares them along every shipped process).
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
_TASK = "Task"  # the typename Spiff's registry gives its Task (and QuietTask, quiet.register)


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
        """The task's dict without what its reader knows (``COMPACT``): its id (its key in the workflow's tasks),
        and the keys that hold their defaults (not triggered, no internal data, no data change from its parent)."""
        parent_id = task._parent
        parent = task.workflow.tasks.get(parent_id) if parent_id is not None else None
        data = task.data
        out = {
            "parent": _text(parent_id) if parent is not None else None,
            "children": [_text(child) for child in task._children],
            "last_state_change": task.last_state_change,
            "state": task._state,
            "task_spec": task.task_spec.name,
        }
        if task.triggered:
            out["triggered"] = True
        internal = task.internal_data
        if internal:
            out["internal_data"] = dict(internal) if _plain_dict(internal) else self.registry.convert(internal)
        if parent is None:
            if data:
                out["data"] = data
        else:
            before = parent.data
            updates = {k: v for k, v in data.items() if k not in before or v != before[k]}
            deletions = [k for k in before if k not in data]
            if updates or deletions:
                out["delta"] = {"updates": updates, "deletions": deletions} if deletions else {"updates": updates}
        return out

    def _restore(self, value, fresh: bool):
        """The registry's ``restore`` of ``value``; a plain dict is returned as is (a copy when ``fresh``)."""
        if type(value) is dict and "typename" not in value and all(type(v) in _PLAIN for v in value.values()):
            return dict(value) if fresh else value
        return self.registry.restore(value)

    def from_dict(self, dct, workflow):
        """The task of ``dct``, written compact (``to_dict``) or in Spiff's full form (states stored before)."""
        task_spec = workflow.spec.task_specs.get(dct["task_spec"])
        task = QuietTask(workflow, task_spec, state=dct["state"], id=uuid_of(dct["id"]))  # (quiet.py)
        task._parent = uuid_of(dct["parent"]) if dct["parent"] is not None else None
        task._children = [uuid_of(child) for child in dct["children"]]
        task.last_state_change = dct["last_state_change"]
        task.triggered = dct.get("triggered", False)
        internal = dct.get("internal_data")
        task.internal_data = self._restore(internal, True) if internal else {}
        if isinstance(task_spec, CatchingEvent) and task._state & _WAITING:
            task.workflow.top_workflow.event_manager.add_task(task)
        delta = dct.get("delta")
        parent = workflow.tasks.get(task._parent) if task._parent is not None else None
        if parent is not None and (delta or "data" not in dct):  # Spiff's: a delta; compact: a delta or none
            data = {k: copy(v) if isinstance(v, _CONTAINERS) else v for k, v in parent.data.items()}
            if delta:
                data.update(self._restore(delta.get("updates", {}), False))
                for key in delta.get("deletions", ()):
                    if key in data:
                        del data[key]
        else:
            stored = dct.get("data")
            data = self._restore(stored, True) if stored else {}
        task.data = data
        return task


def compact(tasks: dict) -> None:
    """Drop the typename of the tasks of a workflow's dict that are Spiff's ``Task`` (what ``expand`` puts back)."""
    for value in tasks.values():
        if value.get("typename") == _TASK:
            del value["typename"]


def expand(tasks: dict) -> None:
    """Give the task dicts of a stored workflow what Spiff's registry needs to read them: their ids (their keys)
    and their typename (``Task`` where none is written). A dict in Spiff's full form is left as it is."""
    for key, value in tasks.items():
        if "id" not in value:
            value["id"] = key
        if "typename" not in value:
            value["typename"] = _TASK
