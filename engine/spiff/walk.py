"""A case's tasks by state without SpiffWorkflow's iterator objects: the same tasks, in the same order.

``BpmnWorkflow.get_tasks(state=…)`` walks the task tree with a ``BpmnTaskIterator``: a filter object per call,
a list popped from its head, ``Task.children`` rebuilt as a list at every node, a depth counter. A step asks it
a dozen times (Spiff's own engine steps, the ready user tasks before and after, the timers, the diagram's states),
so ``tasks`` does the same depth-first walk on the tree's own fields: every task the iterator would visit, in its
order, kept when its state is in the mask (and its spec's ``manual`` equals ``manual``, when given). What the
iterator does, it does too: it descends below a task only when the task is at least the lowest state the mask
needs (a predicted task's children are only walked for a predicted mask), and into a called or embedded process
from the task that runs it, before that task's own children.

Spiff's iterator stops descending at depth 1000; ``tasks`` answers None for a tree that could be that deep (as
many tasks and processes as that), and the caller asks Spiff (``Case`` falls back by itself).
"""

from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.task import TaskState

from engine.spiff.quiet import QuietTask

_MAYBE, _FUTURE, _COMPLETED = TaskState.MAYBE, TaskState.FUTURE, TaskState.COMPLETED
_PREDICTED, _DEFINITE, _FINISHED = TaskState.PREDICTED_MASK, TaskState.DEFINITE_MASK, TaskState.FINISHED_MASK
_DEPTH_LIMIT = 1000  # the iterators' max_depth
_LAZY_LIMIT = 900  # a lazy walk's caller may add tasks while it walks: a margin below the depth limit


def _size(workflow, subprocesses: bool) -> int:
    """An upper bound of the iterator's depth counter: the tasks it can walk, and one per process it enters."""
    size = len(workflow.tasks)
    if subprocesses:
        for sub in workflow.subprocesses.values():
            size += len(sub.tasks) + 1
    return size


def _walk(workflow, state: int, manual: bool | None, subprocesses: bool):
    """Spiff's depth-first walk, lazily as its iterator: a task's children are read when the task is reached,
    and the task is matched then (what the caller does with it can change what comes next)."""
    subs = workflow.subprocesses if subprocesses else None
    min_state = _MAYBE if state & _PREDICTED else _FUTURE if state & _DEFINITE else _COMPLETED
    finished_only = state <= _FINISHED
    stack = [workflow.task_tree]
    pop, push = stack.pop, stack.extend
    while stack:
        task = pop()
        sub = subs.get(task.id) if subs else None
        children = task._children
        if sub is None:
            if children and task._state >= min_state:
                known = task.workflow.tasks
                push([known.get(c) for c in reversed(children)])
        else:
            if children:
                known = task.workflow.tasks
                push([known.get(c) for c in reversed(children)])
            # as the iterator: a finished process is descended into unless the mask asks for finished tasks only
            if not (task._state >= _FINISHED and finished_only):
                stack.append(sub.task_tree)
        if task._state & state and (manual is None or task.task_spec.manual == manual):
            yield task


def tasks(workflow, state: int = TaskState.ANY_MASK, manual: bool | None = None) -> list | None:
    """``workflow.get_tasks(state=state, manual=manual)`` of a top-level workflow (None: ask Spiff, see above)."""
    if _size(workflow, True) >= _DEPTH_LIMIT:
        return None
    return list(_walk(workflow, state, manual, True))


class Case(BpmnWorkflow):
    """The top-level workflow of a case: Spiff's own, its queries by state (and ``manual``) answered by ``tasks``.

    Spiff's engine steps ask ``get_tasks(state=READY)`` of the top workflow after every pass, and every completed
    task has the workflow update its waiting tasks (``update_waiting_tasks``, Spiff's plain ``TaskIterator``: the
    top workflow's own tree, lazily). Called processes (``BpmnSubWorkflow``) keep Spiff's iterators. Stored and
    restored as a ``BpmnWorkflow`` (the serializer is given the state, never this class). Its tasks are
    ``QuietTask`` (``quiet.py``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for task in self.tasks.values():  # the tasks Spiff made while setting up a new workflow
            task.__class__ = QuietTask

    def get_tasks(self, first_task=None, **kwargs):
        if first_task is None and kwargs.keys() <= {"state", "manual"}:
            found = tasks(self, kwargs.get("state", TaskState.ANY_MASK), kwargs.get("manual"))
            if found is not None:
                return found
        return super().get_tasks(first_task, **kwargs)

    def update_waiting_tasks(self) -> None:
        if _size(self, False) >= _LAZY_LIMIT:
            return super().update_waiting_tasks()
        for task in _walk(self, TaskState.WAITING, None, False):
            task.task_spec._update(task)
