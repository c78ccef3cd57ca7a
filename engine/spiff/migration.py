"""Diff a running workflow against another version and migrate it when that is safe."""

from dataclasses import dataclass, field

from SpiffWorkflow.bpmn.util.diff import diff_workflow, migrate_workflow
from SpiffWorkflow.task import TaskState

from engine.core.errors import MigrationRefused
from engine.spiff.compiler import REGISTRY
from engine.spiff.runtime import SPECS, Run

ACTIVE = TaskState.READY | TaskState.WAITING | TaskState.STARTED | TaskState.ERROR


@dataclass
class MigrationPlan:
    reasons: list[str] = field(default_factory=list)  # why it is unsafe; empty when safe
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)

    @property
    def safe(self) -> bool:
        return not self.reasons


def _element(ts) -> str:
    return getattr(ts, "bpmn_id", None) or ts.name


def plan(run: Run, content_hash: str, load_json) -> tuple[MigrationPlan, tuple]:
    """Compare the case's workflow with the target version's specs."""
    spec, subs = SPECS.get(content_hash, load_json)
    top, sp_diffs = diff_workflow(REGISTRY, run.wf, spec, subs)
    p = MigrationPlan()
    diffs = [top, *sp_diffs.values()]
    for sp_id, d in sp_diffs.items():
        sub = run.wf.subprocesses[sp_id]
        if d is None and not sub.completed:
            p.reasons.append(f"called process '{sub.spec.name}' is missing from the new version while running")
    for d in diffs:
        if d is None:
            continue
        for task in d.removed:
            el = _element(task.task_spec)
            p.removed.append(el)
            if task.state & ACTIVE:
                p.reasons.append(f"element '{el}' is active in this case but removed in the new version")
            elif task.state & (TaskState.COMPLETED | TaskState.CANCELLED):
                p.reasons.append(f"element '{el}' was already passed by this case and is removed in the new version")
        p.changed += sorted({_element(t.task_spec) for t in d.changed})
    p.added = sorted({_element(ts) for ts in spec.task_specs.values() if ts.name not in run.wf.spec.task_specs})
    p.removed = sorted(set(p.removed))
    p.reasons = sorted(set(p.reasons))
    return p, (spec, subs, top, sp_diffs)


def migrate(run: Run, content_hash: str, load_json) -> MigrationPlan:
    """Move the workflow onto the target specs; refuses (changing nothing) when unsafe."""
    p, (spec, subs, top, sp_diffs) = plan(run, content_hash, load_json)
    if not p.safe:
        raise MigrationRefused("migration refused: " + "; ".join(p.reasons))
    # Keep running clocks: timers that are already waiting keep their due time.
    clocks = {t.id: dict(t.internal_data) for t in run.wf.get_tasks(state=TaskState.WAITING)
              if getattr(t.task_spec, "event_definition", None) is not None}
    run.wf.subprocess_specs = subs
    migrate_workflow(top, run.wf, spec)
    for sp_id, d in sp_diffs.items():
        if d is not None:
            sub = run.wf.subprocesses[sp_id]
            migrate_workflow(d, sub, subs[sub.spec.name])
    run.advance()
    for t in run.wf.get_tasks(state=TaskState.WAITING):
        if t.id in clocks and "event_value" in clocks[t.id]:
            t.internal_data.update(clocks[t.id])
    return p
