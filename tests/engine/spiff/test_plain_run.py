"""What the sandbox child would be sent and is provably plain (``engine.spiff.plain.run``) is answered in-process
with the child's own answer; anything else still goes to the child."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from engine import sandbox
from engine.core import calendar as core_calendar
from engine.core import clock, durations
from engine.spiff import isolated, plain, scripting

NOW = datetime(2026, 4, 30, 16, 5, tzinfo=ZoneInfo("Asia/Shanghai"))  # before the May holidays
CONTEXT = {"people_count": 6, "risk_level": "green", "difficult": False, "dispute_type": "contract",
           "amount": Decimal("1200.50"), "parties": [{"name": "张三"}], "due": "a value named like a helper"}
MAX = 1_000_000


def _as_the_child(op, src, context, external, monkeypatch):
    """What ``isolated._child_main`` computes: the deadline helpers over the given time and calendar."""
    cal = core_calendar.default_calendar()
    monkeypatch.setattr(clock, "now", lambda: NOW)
    monkeypatch.setattr(core_calendar, "default_calendar", lambda: cal)
    monkeypatch.setattr(durations, "default_calendar", lambda: cal)
    fns = scripting._deadline_functions()  # noqa: SLF001 - the child's functions
    fns = {**fns, **external} if external else fns
    context = dict(context)
    if op == "exec":
        sandbox.execute(src, context, fns, sandbox.Limits())
        return context
    return sandbox.evaluate(src, context, fns, sandbox.Limits())


@pytest.mark.parametrize("op, src, external", [
    ("exec", 'group_case = people_count >= 5\nkey_case = risk_level == "red" or group_case or difficult', None),
    ("exec", "a = amount > 1000\nb = not a\nc = a and b", None),
    ("exec", "route = dispute_type", None),
    ("eval", 'dmninputexpr in ("contract", "production_business")', {"dmninputexpr": "contract"}),
    ("eval", 'dmninputexpr not in ["contract", "labour"]', {"dmninputexpr": "loan"}),
    ("eval", "dmninputexpr >= 5", {"dmninputexpr": 6}),
    ("eval", "dispute_type in ('contract',) and people_count > 3", None),
    ("eval", "add_workdays(5)", None),
    ("eval", "add_days(3)", None),
    ("eval", "add_workdays(0)", None),
])
def test_a_plain_source_gets_the_childs_answer_in_process(op, src, external, monkeypatch):
    cal = core_calendar.default_calendar()
    got = plain.run(op, src, dict(CONTEXT), external, NOW, cal, MAX)
    expected = _as_the_child(op, src, CONTEXT, external, monkeypatch)
    assert got is not plain.UNSURE
    assert got == expected and type(got) is type(expected)


@pytest.mark.parametrize("op, src, external", [
    ("exec", "x = len(parties)", None),  # a call
    ("exec", "x = amount + 1", None),  # arithmetic
    ("exec", "x = 1\nif x:\n    y = 2", None),  # not only assignments
    ("exec", "x, y = 1, 2", None),  # not a plain name
    ("exec", "_x = 1", None),  # a private name
    ("exec", "due = 1", None),  # a helper's name
    ("exec", "dmninputexpr = 1", {"dmninputexpr": 1}),  # an external name
    ("exec", "x = parties", None),  # a list in the data
    ("exec", "x = missing", None),  # a missing name: the sandbox's error
    ("exec", "x = amount < 'a'", None),  # Decimal against str: the sandbox's error
    ("eval", "add_workdays(99999)", None),  # too much work to do here
    ("eval", "add_workdays(-1)", None),
    ("eval", "add_workdays(True)", None),
    ("eval", "add_workdays(n=5)", None),
    ("eval", "add_workdays(5)", {"add_workdays": 1}),  # the external context's meaning
    ("eval", "due('3 日')", None),  # another helper
    ("eval", "due == 'a value named like a helper'", None),  # ``due`` is the helper in the sandbox
    ("eval", "x in (1, y)", {"x": 1, "y": 2}),  # not only constants
    ("eval", "x in 'abc'", {"x": "a"}),
    ("eval", "x in (1,) in (True,)", {"x": 1}),  # chained membership
    ("eval", "type == 1", {"type": 1}),  # a name the sandbox refuses
    ("eval", "x == 1", {"x": [1]}),  # a list in the external context
])
def test_anything_else_is_left_to_the_child(op, src, external):
    assert plain.run(op, src, dict(CONTEXT), external, NOW, core_calendar.default_calendar(), MAX) is plain.UNSURE


def test_a_result_over_the_size_limit_is_left_to_the_child():
    assert plain.run("exec", "x = 1", dict(CONTEXT), None, NOW, core_calendar.default_calendar(), 10) is plain.UNSURE


def test_the_helper_names_are_the_childs():
    assert set(scripting._deadline_functions()) == plain.FUNCTION_NAMES  # noqa: SLF001


def test_the_pool_sends_a_child_only_what_is_not_plain(monkeypatch, one_child):
    sent = []
    request = isolated._Child.request  # noqa: SLF001

    def spy(self, job, timeout):
        sent.append(job[1])
        return request(self, job, timeout)

    monkeypatch.setattr(isolated._Child, "request", spy)  # noqa: SLF001
    pool = isolated.pool(1, 0)
    cal = core_calendar.default_calendar()
    assert pool.run("exec", "k = people_count >= 5", dict(CONTEXT), None, sandbox.Limits(), NOW, cal)["k"] is True
    assert pool.run("eval", "add_workdays(5)", {}, None, sandbox.Limits(), NOW, cal) == \
        cal.add_workdays(NOW, 5).isoformat()
    assert sent == []
    assert pool.run("exec", "k = people_count + 1", dict(CONTEXT), None, sandbox.Limits(), NOW, cal)["k"] == 7
    assert sent == ["k = people_count + 1"]
