"""Reading a deployed version's stored XML: the file of a process, its user tasks, element diffs.

Works on ``sources`` ({file name: XML text} of the whole bundle, as stored with every
version) without SpiffWorkflow. The XML was validated at deploy time, but it is parsed again
only with the validation package's safe parser.

The *scope* of a process is its own ``bpmn:process`` element, the processes it calls
(``callActivity/@calledElement``, transitively) and the DMN decisions its business rule tasks
call, so that a diff of one process does not report edits to unrelated files of the bundle.
"""

from __future__ import annotations

from collections.abc import Iterator

from engine.validation import xmlsafe
from engine.validation._common import BPMN_NS, DMN_NAMESPACES, FORM_PROPERTY, SPIFF_NS, display, local, ns

SUBPROCESSES = ("subProcess", "transaction", "adHocSubProcess")
MANUAL_TASKS = ("userTask", "manualTask")  # what SpiffWorkflow treats as human tasks
# Diagram interchange (layout) namespaces: ignored by the diff.
_LAYOUT_NS_MARKERS = ("/DI", "/DC", "DMNDI")
_PREFIXES = {BPMN_NS: "bpmn", SPIFF_NS: "spiffworkflow", "http://www.w3.org/2001/XMLSchema-instance": "xsi"}
_CONTAINERS = ("extensionElements", "properties")
# Attributes at their BPMN default value: a tool may write or omit them (bpmn-js omits them), same meaning.
_DEFAULTS = {
    "cancelActivity": "true", "isInterrupting": "true", "parallelMultiple": "false", "isForCompensation": "false",
    "startQuantity": "1", "completionQuantity": "1", "triggeredByEvent": "false", "isClosed": "false",
    "gatewayDirection": "Unspecified", "instantiate": "false",
}


class Bundle:
    """The parsed BPMN and DMN files of one version."""

    def __init__(self, sources: dict[str, str]):
        self.roots: dict[str, object] = {}
        for name, text in sorted(sources.items()):
            data = text.encode("utf-8") if isinstance(text, str) else bytes(text)
            root, problems = xmlsafe.parse_xml(name, data)
            if root is not None and not problems:
                self.roots[name] = root
        self.sources = sources

    def _bpmn(self, tag: str) -> Iterator[tuple[str, object]]:
        for name, root in self.roots.items():
            for el in root.iter(f"{{{BPMN_NS}}}{tag}"):
                yield name, el

    def process(self, key: str) -> tuple[str, object] | tuple[None, None]:
        """(file name, bpmn:process element) of the process ``key``."""
        return next(((f, el) for f, el in self._bpmn("process") if el.get("id") == key), (None, None))

    def process_file(self, key: str) -> str | None:
        return self.process(key)[0]

    def decision(self, ident: str) -> tuple[str, object] | tuple[None, None]:
        for name, root in self.roots.items():
            if ns(root) in DMN_NAMESPACES:
                for el in root.iter(f"{{{ns(root)}}}decision"):
                    if el.get("id") == ident:
                        return name, el
        return None, None

    def scope(self, key: str) -> list[tuple[str, object]]:
        """(file, element) of the process ``key``, the processes it calls and the decisions it uses."""
        out, seen, todo = [], set(), [key]
        while todo:
            pid = todo.pop(0)
            if pid in seen:
                continue
            seen.add(pid)
            file, proc = self.process(pid)
            if proc is None:
                continue
            out.append((file, proc))
            for el in proc.iter(f"{{{BPMN_NS}}}callActivity"):
                if el.get("calledElement"):
                    todo.append(el.get("calledElement"))
            for el in proc.iter(f"{{{SPIFF_NS}}}calledDecisionId"):
                ident = (el.text or "").strip()
                if ident and ("dmn", ident) not in seen:
                    seen.add(("dmn", ident))
                    dfile, dec = self.decision(ident)
                    if dec is not None:
                        out.append((dfile, dec))
        return out

    def user_tasks(self, key: str) -> list[dict]:
        """Human tasks of ``key`` and of everything it calls, as SpiffWorkflow sees them.

        ``process`` is the (sub)process the task belongs to; the lane is the one of the
        outermost enclosing subprocess that lies in a lane, else the task's own lane.
        """
        out = []
        for file, proc in self.scope(key):
            if ns(proc) != BPMN_NS:
                continue
            lanes = self._lanes(self.roots[file])
            for el in proc.iter(*(f"{{{BPMN_NS}}}{t}" for t in MANUAL_TASKS)):
                chain = [a for a in reversed(list(el.iterancestors())) if ns(a) == BPMN_NS and local(a) in SUBPROCESSES]
                owner = chain[-1].get("id") if chain else proc.get("id")
                lane = next((lanes[n.get("id")] for n in [*chain, el] if n.get("id") in lanes), None)
                props = properties(el)
                out.append({"process": owner, "element_id": el.get("id"), "name": el.get("name") or el.get("id"),
                            "lane": lane, "candidate_group": props.get("candidateGroup"),
                            "form": props.get(FORM_PROPERTY)})
        return out

    @staticmethod
    def _lanes(root) -> dict[str, str]:
        """Node id -> lane name, over every lane of the document (as SpiffWorkflow reads them)."""
        found = {}
        for lane in root.iter(f"{{{BPMN_NS}}}lane"):
            for ref in lane.iterchildren(f"{{{BPMN_NS}}}flowNodeRef"):
                if ref.text and lane.get("name"):
                    found[ref.text.strip()] = lane.get("name")
        return found

    def elements(self, key: str) -> dict[str, dict]:
        """Every element with an id in the scope of ``key``: id -> {type, name, file, props}."""
        out: dict[str, dict] = {}
        for file, top in self.scope(key):
            for el in _with_ids(top):
                ident = el.get("id")
                if ident in out:
                    ident = f"{ident}@{file}"
                out[ident] = {"id": el.get("id"), "type": display(el), "name": el.get("name"), "file": file,
                              "props": signature(el)}
        return out


def properties(el) -> dict[str, str]:
    """``spiffworkflow:property`` name/value pairs directly under the element's extensions."""
    props = {}
    for ext in el.iterchildren(f"{{{BPMN_NS}}}extensionElements"):
        for p in ext.iter(f"{{{SPIFF_NS}}}property"):
            if p.get("name"):
                props[p.get("name")] = p.get("value", "")
    return props


def _is_layout(el) -> bool:
    return any(marker in ns(el) for marker in _LAYOUT_NS_MARKERS)


def _with_ids(top) -> Iterator[object]:
    """``top`` and its descendants that carry an id, skipping diagram layout."""
    stack = [top]
    while stack:
        el = stack.pop()
        if not isinstance(el.tag, str) or _is_layout(el):
            continue
        if el.get("id"):
            yield el
        stack.extend(reversed(list(el)))


def _attr_name(qname: str) -> str:
    if not qname.startswith("{"):
        return qname
    uri, name = qname[1:].split("}", 1)
    prefix = _PREFIXES.get(uri)
    return f"{prefix}:{name}" if prefix else name


def signature(el) -> dict:
    """What makes the element what it is, without its id-bearing children or layout.

    Attributes by name; text of id-less descendants by their local name (conditions, scripts,
    timer expressions, flowNodeRef lists…); ``spiffworkflow:property`` values as
    ``property:<name>``. A key seen several times holds a list in document order.
    """
    sig: dict[str, list] = {}

    def put(key, value):
        sig.setdefault(key, []).append(value)

    for name, value in el.attrib.items():
        if name != "id" and _DEFAULTS.get(name, object()) != value:
            put(_attr_name(name), value)
    if el.text and el.text.strip():
        put("text", el.text.strip())
    stack = list(reversed(list(el)))
    while stack:
        child = stack.pop()
        if not isinstance(child.tag, str) or _is_layout(child) or child.get("id"):
            continue
        tag = local(child)
        if ns(child) == SPIFF_NS and tag == "property" and child.get("name"):
            put(f"property:{child.get('name')}", child.get("value", ""))
            continue
        if tag not in _CONTAINERS:
            if child.text and child.text.strip():
                put(tag, child.text.strip())
            for name, value in child.attrib.items():
                put(f"{tag}@{_attr_name(name)}", value)
        stack.extend(reversed(list(child)))
    return {k: v[0] if len(v) == 1 else v for k, v in sig.items()}


def _brief(item: dict) -> dict:
    return {"id": item["id"], "type": item["type"], "name": item["name"]}


def diff(old: Bundle, new: Bundle, key: str) -> dict:
    """Elements added, removed and changed (by id) between two versions of ``key``."""
    a, b = old.elements(key), new.elements(key)
    added = [_brief(b[k]) for k in b if k not in a]
    removed = [_brief(a[k]) for k in a if k not in b]
    changed = []
    for k in (k for k in b if k in a):
        before, after = a[k], b[k]
        changes = {}
        if before["type"] != after["type"]:
            changes["type"] = [before["type"], after["type"]]
        for prop in sorted(set(before["props"]) | set(after["props"])):
            x, y = before["props"].get(prop), after["props"].get(prop)
            if isinstance(x, list) != isinstance(y, list) and x is not None and y is not None:
                x, y = (x if isinstance(x, list) else [x]), (y if isinstance(y, list) else [y])
            if x != y:
                changes[prop] = [x, y]
        if changes:
            changed.append({**_brief(after), "changes": changes})
    return {"added": added, "removed": removed, "changed": changed}


def diff_forms(old: dict, new: dict) -> dict:
    """Form files (JSON Schemas) added, removed or changed between two versions; ``values``: for each changed
    file, every changed value with its path (``properties.phone.title``) and its old and new value."""
    changed = sorted(n for n in set(old) & set(new) if old[n] != new[n])
    return {
        "added": sorted(set(new) - set(old)),
        "removed": sorted(set(old) - set(new)),
        "changed": changed,
        "values": {n: value_changes(old[n], new[n]) for n in changed},
    }


def _leaves(value, path: str = "") -> dict[str, object]:
    """path -> value of a JSON document's leaves; a list of plain values (enum, required) is one leaf."""
    if isinstance(value, dict) and value:
        out = {}
        for k, v in value.items():
            out.update(_leaves(v, f"{path}.{k}" if path else str(k)))
        return out
    if isinstance(value, list) and any(isinstance(v, dict | list) for v in value):
        out = {}
        for i, v in enumerate(value):
            out.update(_leaves(v, f"{path}[{i}]"))
        return out
    return {path: value}


def value_changes(old, new) -> list[dict]:
    """Each value that differs between two JSON documents: {path, old, new} (None where absent), in the new
    document's order, removed paths last."""
    a, b = _leaves(old), _leaves(new)
    out = [{"path": p, "old": a.get(p), "new": v} for p, v in b.items() if p not in a or a[p] != v]
    out += [{"path": p, "old": v, "new": None} for p, v in a.items() if p not in b]
    return out
