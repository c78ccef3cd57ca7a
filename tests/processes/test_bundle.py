"""Static conventions of the shipped process set in bpmn/ (kept when the models are edited in a modeler)."""

import json

import pytest
from lxml import etree

from engine.processes.deploy import check
from tests.helpers.process_driver import BPMN_DIR, bundle

NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
    "spiffworkflow": "http://spiffworkflow.org/bpmn/schema/1.0/core",
}
LANES = {"窗口受理", "访前工作室律师", "调解员", "司法所", "街道领导"}
PROCESSES = {"dispute_case", "leader_case", "people_mediation", "labour_mediation", "petition_handling"}
MODELS = sorted(BPMN_DIR.glob("*.bpmn"))
FORMS = sorted((BPMN_DIR / "forms").glob("*.json"))


def test_bundle_compiles_with_every_process():
    compiled = {cp.key: cp for cp in check(bundle())}
    assert set(compiled) == PROCESSES
    for cp in compiled.values():
        for task in cp.user_tasks:
            assert task["lane"] in LANES, task
            assert task["form"] in cp.forms, task


@pytest.mark.parametrize("path", MODELS, ids=lambda p: p.name)
def test_model_conventions(path):
    root = etree.parse(str(path)).getroot()
    (process,) = root.xpath("bpmn:process", namespaces=NS)
    assert process.get("isExecutable") == "true"
    lanes = process.xpath("bpmn:laneSet/bpmn:lane", namespaces=NS)
    assert lanes and {ln.get("name") for ln in lanes} <= LANES
    in_lanes = set(process.xpath("bpmn:laneSet//bpmn:flowNodeRef/text()", namespaces=NS))
    for task in process.xpath("bpmn:userTask", namespaces=NS):
        assert task.get("id") in in_lanes, task.get("id")
    for task in process.xpath(".//bpmn:userTask", namespaces=NS):
        form = task.xpath(".//spiffworkflow:property[@name='formJsonSchemaFilename']/@value", namespaces=NS)
        assert form and (BPMN_DIR / "forms" / form[0]).is_file(), task.get("id")
        assert task.get("name"), task.get("id")
    for gw in process.xpath(".//bpmn:exclusiveGateway", namespaces=NS):
        outgoing = process.xpath(f".//bpmn:sequenceFlow[@sourceRef='{gw.get('id')}']", namespaces=NS)
        assert len(outgoing) == 1 or gw.get("default"), f"{gw.get('id')} needs a default flow"
    # a diagram for the process and for every embedded subprocess, and a shape for every node
    planes = set(root.xpath("//bpmndi:BPMNPlane/@bpmnElement", namespaces=NS))
    assert f"Collaboration_{process.get('id')}" in planes
    assert set(process.xpath(".//bpmn:subProcess/@id", namespaces=NS)) <= planes
    drawn = set(root.xpath("//bpmndi:BPMNShape/@bpmnElement|//bpmndi:BPMNEdge/@bpmnElement", namespaces=NS))
    nodes = process.xpath(".//bpmn:*[bpmn:incoming or bpmn:outgoing or self::bpmn:sequenceFlow]", namespaces=NS)
    assert {n.get("id") for n in nodes} <= drawn


@pytest.mark.parametrize("path", FORMS, ids=lambda p: p.name)
def test_form_conventions(path):
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["type"] == "object" and schema["title"] and schema["description"]
    assert set(schema["required"]) <= set(schema["properties"])

    def walk(node):
        if isinstance(node, dict):
            if "enum" in node:
                assert len(node["x-enumNames"]) == len(node["enum"]), node
                assert all(v == v.lower() and " " not in v for v in node["enum"]), node
            if node.get("type") == "number":
                assert node.get("minimum") == 0, node
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
