"""BPMN bundle checks: executability, call graph, ids, then per-process checks."""

from __future__ import annotations

from engine.core.errors import Problem

from . import expressions, nodes
from ._common import BPMN_NS, Document, display, is_bpmn, local, problem, short

_SUBPROCESSES = ("subProcess", "transaction", "adHocSubProcess")




def duplicate_ids(file: str, root) -> tuple[set[str], list[Problem]]:
    """Ids used twice in one document (BPMN and DMN ids are all xs:ID)."""
    seen: dict[str, int] = {}
    dups: set[str] = set()
    problems = []
    for el in root.iter():
        ident = el.get("id") if isinstance(el.tag, str) else None
        if ident is None:
            continue
        if ident in seen:
            dups.add(ident)
            problems.append(problem(f"duplicate id '{short(ident)}' (first used on line {seen[ident]})",
                                    file, el, short(ident)))  # fmt: skip
        else:
            seen[ident] = el.sourceline
    return dups, problems


def is_executable(process) -> bool:
    return (process.get("isExecutable") or "").strip() == "true"


def executable_process_ids(documents: list[Document]) -> list[str]:
    """Ids of the processes marked isExecutable="true" (SpiffWorkflow also counts a missing attribute)."""
    return [
        el.get("id")
        for doc in documents
        if doc.kind == "bpmn"
        for el in doc.root
        if is_bpmn(el, "process") and el.get("id") and is_executable(el)
    ]


def check_bundle(docs: list[Document], forms: set[str], decisions: set[str]) -> list[Problem]:
    """Checks across all BPMN documents; only executable (and called) processes in depth."""
    problems: list[Problem] = []
    processes: dict[str, tuple[Document, object]] = {}
    for doc in docs:
        for el in doc.root:
            if not is_bpmn(el, "process"):
                if is_bpmn(el, "dataStore"):
                    problems.append(problem("unsupported element bpmn:dataStore (tiaojie has no data stores)",
                                            doc.filename, el))  # fmt: skip
                continue
            pid = el.get("id")
            if el.get("isExecutable") is None:
                problems.append(problem("process has no isExecutable attribute (BPMN reads it as false, "
                                        "SpiffWorkflow as true); set it explicitly", doc.filename, el))  # fmt: skip
            if not pid:
                problems.append(problem("process has no id", doc.filename, el, "bpmn:process"))
            elif pid in processes:
                other = processes[pid][0].filename
                problems.append(
                    problem(f"duplicate process id '{short(pid)}' (also in {other})", doc.filename, el)
                )
            else:
                processes[pid] = (doc, el)
    executable = [pid for pid, (_, el) in processes.items() if is_executable(el)]
    if not executable:
        problems.append(_no_executable(docs))
        return problems
    checked = _call_closure(executable, processes, problems)
    _check_subprocess_ids(checked, processes, problems)
    contexts = {}
    for pid in checked:
        doc, el = processes[pid]
        ctx = contexts.setdefault(doc.filename, nodes.Context(doc.filename, doc.root, forms, decisions))
        nodes.check_container(ctx, el, "process")
    for ctx in contexts.values():
        problems.extend(ctx.problems)
    for doc in docs:
        if doc.filename not in contexts:
            continue
        for top in doc.root:
            if is_bpmn(top, "process") and top.get("id") not in checked:
                continue
            if local(top) == "BPMNDiagram":
                continue
            expressions.check_bpmn_tree(problems, doc.filename, top)
    return problems


def _no_executable(docs: list[Document]) -> Problem:
    if not docs:
        return Problem("no executable process (the upload has no BPMN file)")
    for doc in docs:
        for el in doc.root:
            if is_bpmn(el, "process"):
                return problem("no executable process (isExecutable is not true)", doc.filename, el)
    return problem("no executable process (isExecutable is not true)", docs[0].filename, docs[0].root)


def _call_closure(executable: list[str], processes: dict, problems: list) -> list[str]:
    """Executable processes plus every process they call (transitively)."""
    checked, queue, seen = [], list(executable), set(executable)
    while queue:
        pid = queue.pop(0)
        checked.append(pid)
        doc, el = processes[pid]
        for call in el.iter(f"{{{BPMN_NS}}}callActivity"):
            called = call.get("calledElement")
            if not called:
                problems.append(problem("call activity has no calledElement", doc.filename, call))
            elif called not in processes:
                problems.append(
                    problem(f"call activity calls unknown process '{short(called)}'", doc.filename, call)
                )
            elif not is_executable(processes[called][1]):
                problems.append(problem(f"call activity calls process '{short(called)}', which is not executable "
                                        "(isExecutable is not true)", doc.filename, call))  # fmt: skip
            elif called not in seen:
                seen.add(called)
                queue.append(called)
    return checked


def _check_subprocess_ids(checked: list[str], processes: dict, problems: list) -> None:
    """SpiffWorkflow keys subprocesses by id next to processes: they must not collide."""
    owners: dict[str, str] = {}
    for pid in checked:
        doc, el = processes[pid]
        for sub in el.iter(*(f"{{{BPMN_NS}}}{name}" for name in _SUBPROCESSES)):
            sid = sub.get("id")
            if not sid:
                problems.append(problem(f"{display(sub)} has no id", doc.filename, sub, display(sub)))
            elif sid in processes:
                problems.append(problem(f"subprocess id '{short(sid)}' is also the id of a process",
                                        doc.filename, sub))  # fmt: skip
            elif sid in owners and owners[sid] != doc.filename:
                problems.append(problem(f"subprocess id '{short(sid)}' is also used in {owners[sid]}",
                                        doc.filename, sub))  # fmt: skip
            else:
                owners[sid] = doc.filename
