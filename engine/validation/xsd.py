"""XSD validation against the OMG schemas copied into ``engine/schema``."""

from __future__ import annotations

import copy
import threading
from functools import cache
from pathlib import Path

from lxml import etree

from engine.core.errors import Problem

from ._common import BPMN_NS, DMN_NAMESPACES, SPIFF_NS, display, owner_id

SCHEMA_DIR = Path(__file__).resolve().parents[1] / "schema"
MAX_XSD_ERRORS = 20

_DMN_FILES = {
    "http://www.omg.org/spec/DMN/20151101/dmn.xsd": "DMN.xsd",
    "http://www.omg.org/spec/DMN/20180521/MODEL/": "DMN12.xsd",
    "https://www.omg.org/spec/DMN/20191111/MODEL/": "DMN13.xsd",
}
_XSD = "http://www.w3.org/2001/XMLSchema"
_lock = threading.Lock()  # lxml XMLSchema objects are not safe for concurrent validation


def _load(path: Path, patch=None) -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
    tree = etree.parse(str(path), parser)
    if patch:
        patch(tree)
    return etree.XMLSchema(tree)


def _patch_dmn12(tree) -> None:
    """SpiffWorkflow ships a wrong DMNDI12.xsd; accept any DMNDI content instead."""
    root = tree.getroot()
    for imp in root.findall(f"{{{_XSD}}}import"):
        root.remove(imp)
    for ref in root.iter(f"{{{_XSD}}}element"):
        if ref.get("ref") == "dmndi:DMNDI":
            any_el = etree.Element(f"{{{_XSD}}}any", namespace="##other", processContents="lax")
            any_el.set("minOccurs", "0")
            ref.getparent().replace(ref, any_el)


@cache
def bpmn_schema() -> etree.XMLSchema:
    return _load(SCHEMA_DIR / "BPMN20.xsd")


@cache
def dmn_schema(namespace: str) -> etree.XMLSchema:
    name = _DMN_FILES[namespace]
    return _load(SCHEMA_DIR / "dmn" / name, _patch_dmn12 if name == "DMN12.xsd" else None)


def _readable(message: str) -> str:
    message = message.replace(f"{{{BPMN_NS}}}", "bpmn:").replace(f"{{{SPIFF_NS}}}", "spiffworkflow:")
    for uri in DMN_NAMESPACES:
        message = message.replace(f"{{{uri}}}", "dmn:")
    return message


def _preprocess(root):
    """Same rewrite as SpiffWorkflow's BpmnValidator (bpmn-js writes formalExpression here)."""
    path = ".//bpmn:correlationPropertyRetrievalExpression/bpmn:formalExpression"
    found = root.xpath(path, namespaces={"bpmn": BPMN_NS})
    if not found:
        return root
    root = copy.deepcopy(root)
    for el in root.xpath(path, namespaces={"bpmn": BPMN_NS}):
        el.tag = f"{{{BPMN_NS}}}messagePath"
    return root


def validate(filename: str, root, schema: etree.XMLSchema) -> list[Problem]:
    """XSD errors of ``root`` as Problems (at most MAX_XSD_ERRORS and a summary)."""
    target = _preprocess(root) if root.tag == f"{{{BPMN_NS}}}definitions" else root
    with _lock:
        ok = schema.validate(target)
        errors = [] if ok else list(schema.error_log)
    by_line = _elements_by_line(root) if errors else {}
    problems = []
    for err in errors[:MAX_XSD_ERRORS]:
        el = by_line.get(err.line)
        element = (owner_id(el) or display(el)) if el is not None else "document"
        problems.append(
            Problem(f"XSD: {_readable(err.message)}", file=filename, line=err.line, element=element)
        )
    if len(errors) > MAX_XSD_ERRORS:
        last = errors[MAX_XSD_ERRORS]
        problems.append(
            Problem(
                f"XSD: {len(errors) - MAX_XSD_ERRORS} more schema errors not shown",
                file=filename,
                line=last.line,
                element="document",
            )
        )
    return problems


def _elements_by_line(root) -> dict[int, object]:
    found: dict[int, object] = {}
    for el in root.iter():
        if isinstance(el.tag, str) and el.sourceline not in found:
            found[el.sourceline] = el
    return found
