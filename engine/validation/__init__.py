"""Validation of uploaded BPMN/DMN/form files before anything is compiled or stored.

Uploads are untrusted: XML is parsed without DTDs, entities, XInclude or network access,
BPMN/DMN are checked against the OMG schemas in ``engine/schema``, and every expression is
compiled in ``engine.sandbox``. This package must not import SpiffWorkflow; what SpiffWorkflow
3.2 supports is hard-coded here (see ``nodes.SUPPORTED_ELEMENTS``).
"""

from __future__ import annotations

from collections import defaultdict

from engine.core.errors import DefinitionRejected, Problem

from . import bpmn, dmn, forms, xmlsafe, xsd
from ._common import BPMN_NS, DMN_NAMESPACES, Document
from .bpmn import executable_process_ids
from .dmn import HIT_POLICIES
from .messages_zh import to_zh
from .nodes import EVENT_DEFINITIONS, SUPPORTED_ELEMENTS, UNSUPPORTED_ELEMENTS

__all__ = [
    "Document",
    "parse_documents",
    "executable_process_ids",
    "SUPPORTED_ELEMENTS",
    "UNSUPPORTED_ELEMENTS",
    "EVENT_DEFINITIONS",
    "HIT_POLICIES",
    "to_zh",
]

MAX_PROBLEMS_PER_FILE = 50
_KINDS = ((".bpmn20.xml", "bpmn"), (".bpmn", "bpmn"), (".dmn", "dmn"), (".json", "form"), (".xml", "xml"))


def _kind_by_name(filename: str) -> str | None:
    lower = filename.lower()
    return next((kind for suffix, kind in _KINDS if lower.endswith(suffix)), None)


def _kind_by_root(root) -> str | None:
    if root.tag == f"{{{BPMN_NS}}}definitions":
        return "bpmn"
    if any(root.tag == f"{{{uri}}}definitions" for uri in DMN_NAMESPACES):
        return "dmn"
    return None


def _sizes(files: dict[str, bytes], max_bytes: int) -> tuple[list[Problem], set[str]]:
    problems, bad = [], set()
    for name, data in files.items():
        reason = None
        if not isinstance(data, bytes | bytearray):
            reason = "file content is not bytes"
        elif len(data) > max_bytes:
            reason = f"file is too large ({len(data)} bytes, limit {max_bytes})"
        elif not data.strip():
            reason = "file is empty"
        elif _kind_by_name(name) is None:
            reason = "unsupported file type (use .bpmn, .bpmn20.xml, .dmn, .xml or .json)"
        if reason:
            problems.append(Problem(reason, file=name, element="file"))
            bad.add(name)
    total = sum(len(d) for d in files.values() if isinstance(d, bytes | bytearray))
    if total > max_bytes:
        problems.append(Problem(f"upload is too large ({total} bytes in total, limit {max_bytes})"))
    return problems, bad


def _parse_xml_document(name: str, data: bytes, expected: str) -> tuple[Document | None, list[Problem]]:
    root, problems = xmlsafe.parse_xml(name, data)
    if root is None:
        return None, problems
    kind = _kind_by_root(root)
    if kind is None or (expected != "xml" and kind != expected):
        wanted = {"bpmn": "bpmn:definitions", "dmn": "dmn:definitions"}.get(
            expected, "bpmn:definitions or dmn:definitions"
        )
        root_ns = root.tag[1:].split("}")[0] if root.tag.startswith("{") else "no namespace"
        return None, [Problem(f"root element must be {wanted} (found {root.tag.rsplit('}', 1)[-1]} in {root_ns})",
                              file=name, line=root.sourceline, element="definitions")]  # fmt: skip
    dups, problems = bpmn.duplicate_ids(name, root)
    schema = xsd.bpmn_schema() if kind == "bpmn" else xsd.dmn_schema(root.tag[1:].split("}")[0])
    for p in xsd.validate(name, root, schema):
        if not ("atomic type 'xs:ID'" in p.message and any(f"'{d}'" in p.message for d in dups)):
            problems.append(p)
    return Document(name, kind, bytes(data), root=root), problems


def _cap(problems: list[Problem]) -> list[Problem]:
    """At most MAX_PROBLEMS_PER_FILE per file, then one summary located at the next one."""
    per_file: dict[str | None, list[Problem]] = defaultdict(list)
    for p in problems:
        per_file[p.file].append(p)
    out = []
    for file, items in per_file.items():
        out.extend(items[:MAX_PROBLEMS_PER_FILE])
        if len(items) > MAX_PROBLEMS_PER_FILE:
            nxt = items[MAX_PROBLEMS_PER_FILE]
            out.append(Problem(f"{len(items) - MAX_PROBLEMS_PER_FILE} more problems not shown", file=file,
                               line=nxt.line, element=nxt.element))  # fmt: skip
    return out


def parse_documents(files: dict[str, bytes], max_bytes: int = 2_000_000) -> list[Document]:
    """Parse and check an upload; raise DefinitionRejected listing every problem found."""
    if not files:
        raise DefinitionRejected([Problem("no files uploaded")])
    problems, bad = _sizes(files, max_bytes)
    if any(p.file is None for p in problems):  # the whole upload is too large: parse nothing
        raise DefinitionRejected(problems)
    documents: list[Document] = []
    decisions: dict[str, str] = {}
    unreadable = False
    for name, data in files.items():
        if name in bad:
            continue
        expected = _kind_by_name(name)
        if expected == "form":
            schema, found = forms.parse_form(name, bytes(data))
            problems.extend(found)
            documents.append(Document(name, "form", bytes(data), form=schema))
            continue
        doc, found = _parse_xml_document(name, data, expected)
        problems.extend(found)
        if doc is None:
            unreadable = True
            continue
        documents.append(doc)
        if doc.kind == "dmn":
            ids, found = dmn.check_dmn(name, doc.root)
            problems.extend(found)
            for ident in ids:
                if ident in decisions:
                    problems.append(Problem(f"duplicate decision id '{ident}' (also in {decisions[ident]})",
                                            file=name, element=ident))  # fmt: skip
                decisions.setdefault(ident, name)
    form_names = {name for name in files if _kind_by_name(name) == "form"}
    bpmn_docs = [d for d in documents if d.kind == "bpmn"]
    if not unreadable:  # cross-file checks would only echo the unreadable file's absence
        problems.extend(bpmn.check_bundle(bpmn_docs, form_names, set(decisions)))
    if problems:
        raise DefinitionRejected(_cap(problems))
    return documents
