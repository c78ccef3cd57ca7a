"""SpiffWorkflow's task without the log record it builds on every state change when nobody would read it.

Spiff 3.2's ``Task._set_state`` formats ``f'State changed to {TaskState.get_name(value)}'`` and a dict of
extras (``collect_log_extras``: two more ``get_name`` calls, each building two dicts) *before* it calls
``logger.info``, so the work is done even though tiaojie keeps the ``spiff`` loggers at WARNING (they would
log task data): about 5 % of a two-task case's CPU here. ``QuietTask`` does the same state change and leaves
the record out unless the ``spiff.task`` logger is enabled for INFO, in which case it is Spiff's own method.

A case's tasks are ``QuietTask``: the root of a new case's workflow (``walk.Case``), every child Spiff adds
(``_add_child``), and every task read back (``taskformat.TaskFormat``). They are stored as Spiff's ``Task``
(same typename, same dict). The tasks of a called process's workflow that Spiff creates in a step (its root and
what that root adds) are Spiff's own until the case is next read back.
"""

import logging
import time

from SpiffWorkflow.task import Task, TaskState

_LOG = logging.getLogger("spiff.task")  # the logger SpiffWorkflow.task logs to


class QuietTask(Task):
    """``Task`` with ``_set_state`` building its log record only when the record would be emitted."""

    def _set_state(self, value: int) -> None:
        if _LOG.isEnabledFor(logging.INFO):
            Task._set_state(self, value)
        elif value != self._state:
            self.last_state_change = time.time()
            self._state = value

    def _add_child(self, task_spec, state: int = TaskState.MAYBE) -> Task:
        task = Task._add_child(self, task_spec, state)
        task.__class__ = QuietTask  # Spiff makes a plain Task (its READY child's one record is already made)
        return task


def register(registry) -> None:
    """Store and restore ``QuietTask`` as Spiff's ``Task`` in ``registry`` (a configured serializer registry)."""
    registry.typenames[QuietTask] = registry.typenames[Task]
