"""Baseline (1): SpiffWorkflow as it comes, in memory, with its own serializer.

Loads a case state (Spiff's JSON, which embeds the spec), completes the first user task,
runs engine steps and serializes again. No database, no sandbox, no form check.
"""

import time

from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.spiff.parser.process import SpiffBpmnParser
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.task import TaskState

from tests.helpers.engine import FIXTURES


def steps_per_second(n: int, data: dict) -> float:
    parser = SpiffBpmnParser()
    parser.add_bpmn_files([str(FIXTURES / "review_v1.bpmn")])
    spec, subs = parser.get_spec("review"), parser.get_subprocess_specs("review")
    serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(SPIFF_CONFIG))
    states = []
    for _ in range(n):
        wf = BpmnWorkflow(spec, subs)
        wf.do_engine_steps()
        states.append(serializer.serialize_json(wf))
    t0 = time.perf_counter()
    for state in states:
        wf = serializer.deserialize_json(state)
        wf.refresh_timers()
        task = wf.get_tasks(state=TaskState.READY, manual=True)[0]
        task.data.update(data)
        task.run()
        wf.do_engine_steps()
        serializer.serialize_json(wf)
    return n / (time.perf_counter() - t0)
