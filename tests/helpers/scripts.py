"""A one-script process for tests of the step bounds: a user task, then the given script task."""

from xml.sax.saxutils import escape

from engine import processes


def script_process(script: str, key: str = "scripted") -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="defs_{key}" targetNamespace="http://tiaojie.example/test">
  <bpmn:process id="{key}" name="脚本流程" isExecutable="true">
    <bpmn:laneSet id="ls"><bpmn:lane id="Lane_intake" name="窗口受理"><bpmn:flowNodeRef>first</bpmn:flowNodeRef><bpmn:flowNodeRef>second</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
    <bpmn:startEvent id="start"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="first"/>
    <bpmn:userTask id="first" name="第一步"/>
    <bpmn:sequenceFlow id="f2" sourceRef="first" targetRef="boom"/>
    <bpmn:scriptTask id="boom" name="脚本"><bpmn:script>{escape(script)}</bpmn:script></bpmn:scriptTask>
    <bpmn:sequenceFlow id="f3" sourceRef="boom" targetRef="second"/>
    <bpmn:userTask id="second" name="第二步"/>
    <bpmn:sequenceFlow id="f4" sourceRef="second" targetRef="end"/>
    <bpmn:endEvent id="end"/>
  </bpmn:process>
</bpmn:definitions>""".encode()


def deploy_script(db, script: str, key: str = "scripted"):
    """Deploy the process through the normal deploy (validation included)."""
    with db.begin() as conn:
        return processes.deploy(conn, {f"{key}.bpmn": script_process(script, key)}, actor="test")


# the attack of issue 14: passes validation, expands to 2**30 items, and compares two such lists
NESTED_COMPARE = "x = []\ny = []\n" + "x = [x, x]\ny = [y, y]\n" * 30 + "z = (x == y)\n"
