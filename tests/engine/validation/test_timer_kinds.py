"""Timer values of the wrong kind for their slot (issue 17): an invalid ISO duration such as P20WD, a date function
in a duration slot, a duration in a date slot, refused with the element, in Chinese and English."""

import pytest

from engine.core.errors import DefinitionRejected
from engine.validation import parse_documents
from engine.validation.messages_zh import to_zh

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="defs" targetNamespace="t">\n'
)


def _timer(part: str, text: str) -> bytes:
    """start -> an intermediate timer X with ``text`` in ``part`` -> end."""
    return (HEAD + '<bpmn:process id="P" isExecutable="true">\n<bpmn:startEvent id="start"/>\n'
            f'<bpmn:intermediateCatchEvent id="X"><bpmn:timerEventDefinition><bpmn:{part}>{text}</bpmn:{part}>'
            '</bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>\n<bpmn:endEvent id="end"/>\n'
            '<bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="X"/>\n'
            '<bpmn:sequenceFlow id="f1" sourceRef="X" targetRef="end"/>\n'
            "</bpmn:process>\n</bpmn:definitions>\n").encode()


def only(files: dict[str, bytes], fragment: str):
    """The single problem whose message contains ``fragment``."""
    with pytest.raises(DefinitionRejected) as info:
        parse_documents(files)
    hits = [p for p in info.value.problems if fragment in p.message]
    assert len(hits) == 1, [str(p) for p in info.value.problems]
    return hits[0]


@pytest.mark.parametrize(
    "part, text, en, zh",
    [
        ("timeDuration", '"P20WD"', "timer timeDuration: unrecognised duration: P20WD (write e.g. 20 个工作日, 30 日, "
         "48 小时, or ISO 8601 such as P30D, R3/P1D)",
         "定时器 timeDuration：无法识别的期限：P20WD（请写成如“20 个工作日”“30 日”“48 小时”，或 ISO 8601 如 P30D、R3/P1D）"),
        ("timeDuration", "P20WD", "timer timeDuration: unrecognised duration: P20WD (write e.g. 20 个工作日, 30 日, "
         "48 小时, or ISO 8601 such as P30D, R3/P1D)",
         "定时器 timeDuration：无法识别的期限：P20WD（请写成如“20 个工作日”“30 日”“48 小时”，或 ISO 8601 如 P30D、R3/P1D）"),
        ("timeDuration", "add_workdays(20)", "timer timeDuration: add_workdays() gives a date-time, which cannot go in "
         "timeDuration (a duration or cycle): add_workdays(20) (use a date timer, or write e.g. 20 个工作日)",
         "定时器 timeDuration：add_workdays() 得出的是日期时间，不能写在 timeDuration（时长或循环）中：add_workdays(20)"
         "（请改为日期定时器，或写成如“20 个工作日”）"),
        ("timeDuration", 'due("20 个工作日") if urgent else add_days(30)', "timer timeDuration: due() gives a date-time",
         "定时器 timeDuration：due() 得出的是日期时间"),
        ("timeCycle", "add_days(7)", "timer timeCycle: add_days() gives a date-time, which cannot go in timeCycle",
         "定时器 timeCycle：add_days() 得出的是日期时间，不能写在 timeCycle（时长或循环）中"),
        ("timeDate", "timedelta(days=3)", "timer timeDate: timedelta() gives a duration, which cannot go in timeDate",
         "定时器 timeDate：timedelta() 得出的是时长，不能写在 timeDate（日期时间）中"),
        ("timeDate", '"P30D"', "timer timeDate: needs a date, but P30D is a duration",
         "定时器 timeDate：需要日期时间，而“P30D”是时长"),
        ("timeDate", 'petition_due if extended else "P30D"', "timer timeDate: needs a date, but P30D is a duration",
         "定时器 timeDate：需要日期时间，而“P30D”是时长"),
        ("timeDuration", '"P3D" if urgent else "P20WD"', "timer timeDuration: unrecognised duration: P20WD",
         "定时器 timeDuration：无法识别的期限：P20WD"),
    ],
)
def test_a_timer_value_of_the_wrong_kind_or_an_invalid_duration_is_refused(part, text, en, zh):
    p = only({"a.bpmn": _timer(part, text.replace('"', "&quot;"))}, "timer ")
    assert p.element == "X"
    assert p.message.startswith(en)
    assert to_zh(p.message).startswith(zh)


@pytest.mark.parametrize(
    "part, text",
    [
        ("timeDate", "add_workdays(20)"), ("timeDate", 'due("20 个工作日", accepted_on)'),
        ("timeDate", "add_days_from(received_on, 30)"), ("timeDuration", "timedelta(days=3)"),
        ("timeDuration", '"P3D" if urgent else "P20D"'), ("timeDate", "petition_due_final if extended else petition_due"),
    ],
)
def test_values_of_the_right_kind_pass(part, text):
    parse_documents({"a.bpmn": _timer(part, text.replace('"', "&quot;"))})
