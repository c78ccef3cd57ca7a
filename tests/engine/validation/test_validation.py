"""engine.validation: every check refuses a small hostile or broken upload with a located reason."""

import json

import pytest

from engine.core.errors import DefinitionRejected
from engine.validation import SUPPORTED_ELEMENTS, Document, executable_process_ids, parse_documents
from engine.validation.messages_zh import to_zh

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
    'xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="defs" targetNamespace="t">\n'
)
FORM = json.dumps({"type": "object", "properties": {"name": {"type": "string"}}}).encode()


def bpmn(body: str, executable: str = "true", extra: str = "") -> bytes:
    """A definitions document: process P (line 3) whose body starts on line 4."""
    return (HEAD + f'<bpmn:process id="P" isExecutable="{executable}">\n{body}\n</bpmn:process>\n{extra}'
            "</bpmn:definitions>\n").encode()  # fmt: skip


def chain(*middle: str) -> str:
    """start -> middle... -> end, one element per line; flows on the lines after."""
    ids = ["start", *(m.split('id="')[1].split('"')[0] for m in middle), "end"]
    nodes = ['<bpmn:startEvent id="start"/>', *middle, '<bpmn:endEvent id="end"/>']
    flows = [f'<bpmn:sequenceFlow id="f{i}" sourceRef="{a}" targetRef="{b}"/>' for i, (a, b) in
             enumerate(zip(ids, ids[1:], strict=False))]  # fmt: skip
    return "\n".join(nodes + flows)


def refused(files: dict[str, bytes], **kw) -> list:
    with pytest.raises(DefinitionRejected) as info:
        parse_documents(files, **kw)
    return info.value.problems


def only(files: dict[str, bytes], fragment: str):
    """The single problem whose message contains ``fragment``."""
    problems = refused(files)
    hits = [p for p in problems if fragment in p.message]
    assert len(hits) == 1, [str(p) for p in problems]
    return hits[0]


# ---------------------------------------------------------------- good documents


DMN = b"""<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="dd" name="d" namespace="t">
  <decision id="fee" name="Fee">
    <decisionTable id="dt" hitPolicy="%s">
      <input id="in1" label="Amount"><inputExpression id="ie1" typeRef="number"><text>amount</text></inputExpression></input>
      <output id="out1" name="fee" typeRef="number"/>
      <rule id="r1"><inputEntry id="e1"><text>%s</text></inputEntry><outputEntry id="o1"><text>%s</text></outputEntry></rule>
      <rule id="r2"><inputEntry id="e2"><text>-</text></inputEntry><outputEntry id="o2"><text>0</text></outputEntry></rule>
    </decisionTable>
  </decision>
</definitions>
"""


def dmn(policy="UNIQUE", entry="&gt; 1000", output="amount * 0.01") -> bytes:
    return DMN % (policy.encode(), entry.encode(), output.encode())


GOOD = chain(
    '<bpmn:userTask id="ask"><bpmn:extensionElements><spiffworkflow:properties><spiffworkflow:property '
    'name="formJsonSchemaFilename" value="ask.json"/></spiffworkflow:properties><spiffworkflow:preScript>x = 1'
    "</spiffworkflow:preScript></bpmn:extensionElements></bpmn:userTask>",
    '<bpmn:businessRuleTask id="rate"><bpmn:extensionElements><spiffworkflow:calledDecisionId>fee'
    "</spiffworkflow:calledDecisionId></bpmn:extensionElements></bpmn:businessRuleTask>",
    '<bpmn:scriptTask id="calc"><bpmn:script>total = amount + fee</bpmn:script></bpmn:scriptTask>',
)


def test_good_bundle_is_accepted_with_its_kinds():
    files = {"a.bpmn": bpmn(GOOD), "fee.dmn": dmn(), "ask.json": FORM, "b.xml": bpmn(chain(), extra="")}
    files["b.xml"] = files["b.xml"].replace(b'id="P"', b'id="Q"')
    docs = parse_documents(files)
    assert [(d.filename, d.kind) for d in docs] == [
        ("a.bpmn", "bpmn"), ("fee.dmn", "dmn"), ("ask.json", "form"), ("b.xml", "bpmn")]  # fmt: skip
    assert all(isinstance(d, Document) for d in docs)
    assert docs[0].root.get("id") == "defs" and docs[2].form["type"] == "object"
    assert docs[0].data == files["a.bpmn"]
    assert executable_process_ids(docs) == ["P", "Q"]


@pytest.mark.parametrize("policy", ["UNIQUE", "FIRST", "COLLECT"])
@pytest.mark.parametrize("entry", ["&gt; 1000", '"a"', "? &lt; 5", "", "in (1, 2)", "1000"])
def test_dmn_policies_and_entry_forms_are_accepted(policy, entry):
    docs = parse_documents({"fee.dmn": dmn(policy, entry), "a.bpmn": bpmn(GOOD), "ask.json": FORM})
    assert docs[0].kind == "dmn"


def test_supported_list_excludes_what_tiaojie_refuses():
    assert {
        "userTask",
        "scriptTask",
        "businessRuleTask",
        "callActivity",
        "boundaryEvent",
    } <= SUPPORTED_ELEMENTS
    assert not {"serviceTask", "complexGateway"} & SUPPORTED_ELEMENTS


# ---------------------------------------------------------------- 1. sizes and file types


def test_file_too_large_and_total_too_large():
    p = refused({"a.bpmn": bpmn(chain())}, max_bytes=100)
    assert [x.message for x in p][0].startswith("file is too large (")
    assert any("upload is too large" in x.message for x in p)
    half = len(bpmn(chain())) + 10
    p = refused({"a.bpmn": bpmn(chain()), "b.bpmn": bpmn(chain())}, max_bytes=half)
    assert [x.message.split(" (")[0] for x in p] == ["upload is too large"]


def test_empty_file_and_unknown_extension():
    p = refused({"a.bpmn": b"  \n", "notes.txt": b"hello", "ok.bpmn": bpmn(chain())})
    assert [(x.file, x.message) for x in p] == [
        ("a.bpmn", "file is empty"),
        ("notes.txt", "unsupported file type (use .bpmn, .bpmn20.xml, .dmn, .xml or .json)"),
    ]


def test_xml_extension_is_sniffed():
    p = only({"x.xml": b"<html/>"}, "root element")
    assert (
        p.message == "root element must be bpmn:definitions or dmn:definitions (found html in no namespace)"
    )


# ---------------------------------------------------------------- 2. safe XML


def test_doctype_billion_laughs_is_refused_unexpanded():
    laughs = b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY l2 "&lol;&lol;&lol;&lol;">]>\n<lolz>&l2;</lolz>'
    p = only({"a.bpmn": laughs}, "DOCTYPE")
    assert (p.message, p.line) == ("DOCTYPE is not allowed", 2)


@pytest.mark.parametrize(
    "doc",
    [
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d>&x;</d>',
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY % p SYSTEM "http://evil.example/x.dtd"> %p;]><d/>',
        b'<?xml version="1.0"?><!DOCTYPE d SYSTEM "file:///etc/passwd"><d/>',
        '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE d [<!ENTITY x "y">]><d>&x;</d>'.encode("utf-16"),
    ],
    ids=["external-entity", "parameter-entity", "external-dtd", "utf16"],
)
def test_entities_and_dtds_are_refused(doc):
    p = only({"a.bpmn": doc}, "DOCTYPE")
    assert p.message == "DOCTYPE is not allowed" and "root" not in str(p)


def test_xinclude_is_refused_and_never_expanded():
    body = (
        chain()
        + '\n<xi:include xmlns:xi="http://www.w3.org/2001/XInclude" href="file:///etc/passwd" parse="text"/>'
    )
    p = only({"a.bpmn": bpmn(body)}, "XInclude")
    assert (p.message, p.line, p.element) == ("XInclude is not allowed", 7, "xi:include")


def test_malformed_xml_reports_parser_message_and_line():
    p = only(
        {"a.bpmn": HEAD.encode() + b'<bpmn:process id="P">\n<bpmn:task id="t">\n</bpmn:definitions>'},
        "malformed",
    )
    assert p.message.startswith("malformed XML: Opening and ending tag mismatch") and p.line == 5


# ---------------------------------------------------------------- 3. BPMN root and XSD


def test_bpmn_root_must_be_bpmn_definitions():
    p = only({"a.bpmn": b'<definitions xmlns="http://example.com/x"/>'}, "root element")
    assert p.message == "root element must be bpmn:definitions (found definitions in http://example.com/x)"


def test_xsd_errors_are_reported_with_line_and_element():
    p = only({"a.bpmn": bpmn(chain('<bpmn:task id="t" foo="1"/>'))}, "XSD")
    assert p.message == "XSD: Element 'bpmn:task', attribute 'foo': The attribute 'foo' is not allowed."
    assert (p.line, p.element) == (5, "t")


# ---------------------------------------------------------------- 4. executability


def test_no_executable_process():
    p = only({"a.bpmn": bpmn(chain(), executable="false")}, "executable")
    assert (p.message, p.line, p.element) == ("no executable process (isExecutable is not true)", 3, "P")


def test_missing_is_executable_is_ambiguous():
    doc = bpmn(chain()).replace(b' isExecutable="true"', b"")
    msgs = [p.message for p in refused({"a.bpmn": doc})]
    assert msgs[0].startswith("process has no isExecutable attribute") and "no executable process" in msgs[1]


def test_non_executable_processes_are_not_checked_further():
    other = '<bpmn:process id="Doc" isExecutable="false"><bpmn:complexGateway id="cg"/></bpmn:process>\n'
    assert parse_documents({"a.bpmn": bpmn(chain(), extra=other)})[0].kind == "bpmn"


# ---------------------------------------------------------------- 5. supported elements


@pytest.mark.parametrize(
    "element, message",
    [
        ('<bpmn:complexGateway id="X"/>', "unsupported element bpmn:complexGateway"),
        (
            '<bpmn:serviceTask id="X"/>',
            "unsupported element bpmn:serviceTask (tiaojie has no service connectors)",
        ),
    ],
)
def test_unsupported_elements(element, message):
    p = only({"a.bpmn": bpmn(chain(element))}, "unsupported")
    assert (p.message, p.line, p.element) == (message, 5, "X")


def test_event_definitions_spiff_ignores_are_refused():
    ev = '<bpmn:intermediateCatchEvent id="X"><bpmn:linkEventDefinition id="L" name="l"/></bpmn:intermediateCatchEvent>'
    p = only({"a.bpmn": bpmn(chain(ev))}, "unsupported")
    assert (p.message, p.element) == (
        "unsupported element bpmn:linkEventDefinition in bpmn:intermediateCatchEvent",
        "X",
    )


# ---------------------------------------------------------------- 6. structure


def test_missing_start_event():
    body = '<bpmn:task id="t"/>\n<bpmn:endEvent id="end"/>\n<bpmn:sequenceFlow id="f" sourceRef="t" targetRef="end"/>'
    msgs = {(p.message, p.element) for p in refused({"a.bpmn": bpmn(body)})}
    assert ("missing start event", "P") in msgs and ("bpmn:task has no incoming sequence flow", "t") in msgs


def test_dangling_sequence_flow():
    body = chain() + '\n<bpmn:sequenceFlow id="bad" sourceRef="start" targetRef="Task_9"/>'
    p = only({"a.bpmn": bpmn(body)}, "dangling")
    assert (p.message, p.line, p.element) == (
        "dangling sequence flow: targets unknown element 'Task_9'",
        7,
        "bad",
    )


def test_task_without_outgoing_flow():
    body = (
        chain()
        + '\n<bpmn:task id="lonely"/>\n<bpmn:sequenceFlow id="g" sourceRef="start" targetRef="lonely"/>'
    )
    problems = refused({"a.bpmn": bpmn(body)})
    assert [(p.message, p.line, p.element) for p in problems] == [
        ("bpmn:task has no outgoing sequence flow", 7, "lonely")
    ]


def test_boundary_and_event_subprocess_need_no_incoming():
    body = chain('<bpmn:userTask id="u"/>') + (
        '\n<bpmn:boundaryEvent id="b" attachedToRef="u"><bpmn:timerEventDefinition>'
        '<bpmn:timeDuration>"PT1H"</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>'
        '\n<bpmn:endEvent id="late"/><bpmn:sequenceFlow id="fb" sourceRef="b" targetRef="late"/>'
        '\n<bpmn:subProcess id="esp" triggeredByEvent="true"><bpmn:startEvent id="es"><bpmn:signalEventDefinition/>'
        '</bpmn:startEvent><bpmn:endEvent id="ee"/><bpmn:sequenceFlow id="fe" sourceRef="es" targetRef="ee"/>'
        "</bpmn:subProcess>"
    )
    assert parse_documents({"a.bpmn": bpmn(body)})[0].kind == "bpmn"


def test_duplicate_ids():
    p = only({"a.bpmn": bpmn(chain('<bpmn:task id="start"/>'))}, "duplicate")
    assert (p.message, p.line, p.element) == ("duplicate id 'start' (first used on line 4)", 5, "start")


def test_call_activity_to_unknown_process():
    p = only({"a.bpmn": bpmn(chain('<bpmn:callActivity id="c" calledElement="Nope"/>'))}, "call")
    assert (p.message, p.line, p.element) == ("call activity calls unknown process 'Nope'", 5, "c")


def test_user_task_form_missing_from_upload():
    p = only({"a.bpmn": bpmn(GOOD), "fee.dmn": dmn()}, "form")
    assert (p.message, p.line, p.element) == ("form file 'ask.json' is not in the upload", 5, "ask")


def test_gateway_flow_without_condition():
    body = chain('<bpmn:exclusiveGateway id="g" default="f9"/>') + (
        '\n<bpmn:sequenceFlow id="f9" sourceRef="g" targetRef="end"/>'
    )
    p = only({"a.bpmn": bpmn(body)}, "condition")
    assert (p.message, p.line, p.element) == (
        "sequence flow leaving gateway 'g' has no condition and is not the default flow",
        8,
        "f1",
    )


# ---------------------------------------------------------------- 7. expressions


def test_condition_does_not_compile():
    body = chain('<bpmn:exclusiveGateway id="g" default="f1"/>') + (
        '\n<bpmn:sequenceFlow id="flow_x" sourceRef="g" targetRef="end">'
        "<bpmn:conditionExpression>__import__('os')</bpmn:conditionExpression></bpmn:sequenceFlow>"
    )
    p = only({"a.bpmn": bpmn(body)}, "does not compile")
    assert p.message.startswith("condition does not compile: ") and "(line 1)" in p.message
    assert (p.element, p.line) == ("flow_x", 9)


@pytest.mark.parametrize(
    "element, label",
    [
        ('<bpmn:scriptTask id="X"><bpmn:script>import os</bpmn:script></bpmn:scriptTask>', "script"),
        (
            '<bpmn:task id="X"><bpmn:extensionElements><spiffworkflow:postScript>x = (</spiffworkflow:postScript>'
            "</bpmn:extensionElements></bpmn:task>",
            "postScript",
        ),  # fmt: skip
        (
            '<bpmn:intermediateCatchEvent id="X"><bpmn:timerEventDefinition><bpmn:timeDate>open("f")'
            "</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>",
            "timer expression",
        ),  # fmt: skip
    ],
)
def test_scripts_and_timers_must_compile(element, label):
    p = only({"a.bpmn": bpmn(chain(element))}, "does not compile")
    assert p.message.startswith(f"{label} does not compile: ") and (p.element, p.line) == ("X", 5)


def _timer(part: str, text: str) -> bytes:
    ev = (f'<bpmn:intermediateCatchEvent id="X"><bpmn:timerEventDefinition><bpmn:{part}>{text}'
          f"</bpmn:{part}></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>")  # fmt: skip
    return bpmn(chain(ev))


@pytest.mark.parametrize(
    "part, text",
    [
        ("timeDuration", "P7D"), ("timeDuration", "PT1H"), ("timeCycle", "R3/PT10M"), ("timeCycle", "R/P7D"),
        ("timeDate", "2027-01-10T09:00:00+08:00"), ("timeDuration", "20 个工作日"), ("timeDuration", "30 日"),
        ("timeDuration", "48 小时"), ("timeDuration", "十五日"), ("timeDate", "received_on + 15 日"),
        ("timeDate", "自受理之日起 60 日"), ("timeDate", 'due("15 日", received_on)'), ("timeDuration", '"P30D"'),
        ("timeDate", "add_days(15)"), ("timeDate", "petition_due_final if petition_extended else petition_due"),
    ],
)
def test_timers_in_iso_the_office_way_or_python_are_accepted(part, text):
    parse_documents({"a.bpmn": _timer(part, text)})


@pytest.mark.parametrize(
    "part, text, en, zh",
    [
        ("timeDuration", "30 工作", "timer timeDuration: unrecognised duration: 30 工作 (write e.g. 20 个工作日, "
         "30 日, 48 小时, or ISO 8601 such as P30D, R3/P1D)",
         "定时器 timeDuration：无法识别的期限：30 工作（请写成如“20 个工作日”“30 日”“48 小时”，或 ISO 8601 如 P30D、R3/P1D）"),
        ("timeDuration", "P3X", "timer timeDuration: unrecognised duration: P3X (write e.g. 20 个工作日, 30 日, "
         "48 小时, or ISO 8601 such as P30D, R3/P1D)",
         "定时器 timeDuration：无法识别的期限：P3X（请写成如“20 个工作日”“30 日”“48 小时”，或 ISO 8601 如 P30D、R3/P1D）"),
        ("timeCycle", "P1D", "timer timeCycle: needs a cycle, but P1D is a duration",
         "定时器 timeCycle：需要循环，而“P1D”是时长"),
        ("timeCycle", "每 3 日", "timer timeCycle: a cycle timer is written as an ISO 8601 cycle such as R3/P1D: 每 3 日",
         "定时器 timeCycle：循环定时器请写成 ISO 8601 循环，如 R3/P1D：每 3 日"),
        ("timeDuration", "0 日", "timer timeDuration: a duration must be more than zero: 0 日",
         "定时器 timeDuration：期限必须大于零：0 日"),
        ("timeDate", "受理日起 3 日", "timer timeDate: unrecognised start date: 受理日",
         "定时器 timeDate：无法识别的起算日期：受理日"),
        ("timeDate", 'due("3 工作")', "timer timeDate: unrecognised duration: 3 工作 (write e.g. 20 个工作日, 30 日, "
         "48 小时, or ISO 8601 such as P30D, R3/P1D)",
         "定时器 timeDate：无法识别的期限：3 工作（请写成如“20 个工作日”“30 日”“48 小时”，或 ISO 8601 如 P30D、R3/P1D）"),
    ],
)
def test_malformed_timer_is_refused_located_in_zh_and_en(part, text, en, zh):
    p = only({"a.bpmn": _timer(part, text)}, "timer ")
    assert (p.message, p.element, p.line) == (en, "X", 5)
    assert to_zh(p.message) == zh


@pytest.mark.parametrize(
    "entry, output, fragment, element",
    [
        ("__import__('os')", "1", "input entry does not compile", "e1"),
        ("&gt; 1", "open('x')", "output entry does not compile", "o1"),
        ('"a", "b"', "1", "is a comma list", "e1"),
    ],
)
def test_dmn_cells_must_compile(entry, output, fragment, element):
    p = only({"fee.dmn": dmn("UNIQUE", entry, output), "a.bpmn": bpmn(GOOD), "ask.json": FORM}, fragment)
    assert (p.file, p.line, p.element) == ("fee.dmn", 7, element)


# ---------------------------------------------------------------- 8. DMN structure


def test_dmn_hit_policy_must_be_supported():
    p = only({"fee.dmn": dmn("ANY"), "a.bpmn": bpmn(GOOD), "ask.json": FORM}, "hit policy")
    assert (p.message, p.element, p.line) == (
        "hit policy ANY is not supported (use UNIQUE, FIRST or COLLECT)",
        "dt",
        4,
    )


def test_dmn_decision_needs_a_table_and_known_namespace():
    lit = (b'<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="d" name="d" namespace="t">\n'
           b'<decision id="fee" name="f"><literalExpression id="l"><text>1</text></literalExpression></decision>'
           b"</definitions>")  # fmt: skip
    p = only({"fee.dmn": lit, "a.bpmn": bpmn(GOOD), "ask.json": FORM}, "decisionTable")
    assert (p.message, p.element) == (
        "decision has no decisionTable (only decision tables are supported)",
        "fee",
    )
    p = only({"x.dmn": b'<definitions xmlns="http://www.omg.org/spec/DMN/20100101/x"/>'}, "root element")
    assert p.message.startswith("root element must be dmn:definitions")


# ---------------------------------------------------------------- 9. forms


@pytest.mark.parametrize(
    "data, fragment, line",
    [
        (b'{"type": "object",\n "x": }', "invalid JSON: Expecting value", 2),
        (b"[1, 2]", "form must be a JSON object, not an array", 1),
        (b'{"type": 5}', "invalid JSON Schema at type", None),
        (b'{"type": "string"}', 'form schema must have "type": "object"', None),
        (b"\xff\xfe{}", "form is not UTF-8", None),
        (b'{"type": "object", "$ref": "https://evil.example/s.json"}', "only local references", None),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply", None),
    ],
)
def test_form_files(data, fragment, line):
    p = only({"ask.json": data, "a.bpmn": bpmn(GOOD), "fee.dmn": dmn()}, fragment)
    assert (p.file, p.line) == ("ask.json", line)


# ---------------------------------------------------------------- 10. hostile input


def test_deeply_nested_xml_is_refused_cleanly():
    p = only({"a.bpmn": b"<a>" * 10_000 + b"</a>" * 10_000}, "malformed")
    assert "Excessive depth" in p.message and p.line == 1


def test_huge_attribute_and_text_are_refused():
    body = (
        chain(f'<bpmn:task id="t" name="{"x" * 20_000}"/>')
        + f"\n<bpmn:textAnnotation id='a'><bpmn:text>{'y' * 300_000}</bpmn:text></bpmn:textAnnotation>"
    )
    msgs = sorted(p.message for p in refused({"a.bpmn": bpmn(body)}))
    assert msgs == ["attribute name is too long (20000 characters, limit 10000)",
                    "text is too long (300000 characters, limit 200000)"]  # fmt: skip


def test_all_problems_are_reported_not_just_the_first():
    body = chain(
        '<bpmn:complexGateway id="cg"/>',
        '<bpmn:scriptTask id="s"><bpmn:script>import os</bpmn:script></bpmn:scriptTask>',
    )
    problems = refused({"a.bpmn": bpmn(body), "b.json": b"[]"})
    assert {p.element for p in problems} >= {"cg", "s"} and any(p.file == "b.json" for p in problems)
    assert all(p.file and (p.line or p.element) for p in problems)
