"""tiaojie engine: versioned BPMN processes, persistent cases and task queues.

The domain packages (``engine.cases``, ``engine.tasks``, ``engine.processes``, ``engine.deadlines``,
``engine.notifications``, ``engine.people``, ``engine.ledger``, ``engine.reports``, ``engine.ops``) sit over
``engine.core`` and the owners of SQL (``engine.store``), SpiffWorkflow (``engine.spiff``), the sandbox and
parsing (``engine.validation``). Callers outside the engine open transactions with ``Database``.
"""

from engine.store.db import Database

__all__ = ["Database"]
