"""tiaojie engine: versioned BPMN processes, persistent cases and task queues.

Only ``engine.spiff`` imports SpiffWorkflow; everything else speaks the types in
``engine.core.types`` (Case, Task, Definition, Event).
"""
