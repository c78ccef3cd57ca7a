"""Plain conditions read in-process (``engine.spiff.plain``) give what the sandbox gives, and anything else is
left to the sandbox."""

from decimal import Decimal

import pytest

from engine import sandbox
from engine.spiff import plain

DATA = {"amount": 500, "big": 20000, "channel": "window", "flag": False, "none": None, "price": Decimal("9.50"),
        "ratio": 0.5}


@pytest.mark.parametrize("expression", [
    "amount >= 10000", "big >= 10000", "channel == 'window' and not flag", "1 < amount < 1000",
    "amount > 100 or big", "flag or channel", "none is None", "none is not None", "-amount < 0",
    "price <= 9.5", "ratio != 0.5", "not (amount == 500 and channel != 'phone')", "amount", "True", "'x'",
])
def test_a_plain_condition_has_the_sandboxs_value(expression):
    got = plain.evaluate(expression, DATA)
    assert got is not plain.UNSURE
    assert got == sandbox.evaluate(expression, dict(DATA)) and type(got) is type(sandbox.evaluate(expression, DATA))


@pytest.mark.parametrize("expression, data", [
    ("amount >= 10000", {}),  # a missing name: the sandbox's error
    ("amount >= 10000", {"amount": "5"}),  # str against int: the sandbox's error
    ("items == []", {"items": []}),  # a list
    ("x == 1", {"x": [1] * 10}),  # a list in the data
    ("len(x) > 1", {"x": "ab"}),  # a call
    ("x.y == 1", {"x": 1}),  # an attribute
    ("x[0] == 1", {"x": [1]}),  # a subscript
    ("x in 'abc'", {"x": "a"}),  # in
    ("__class__ == 1", {}),  # a private name
    ("x == 'a'", {"x": "a" * (plain.MAX_STR + 1)}),  # a long string
    ("amount +", {"amount": 1}),  # not Python
    ("amount + 1 > 2", {"amount": 1}),  # arithmetic
])
def test_anything_else_goes_to_the_sandbox(expression, data):
    assert plain.evaluate(expression, data) is plain.UNSURE


def test_the_script_environment_asks_no_child_for_a_plain_condition(monkeypatch):
    from engine.spiff.scripting import SandboxEnvironment

    env = SandboxEnvironment()
    env.processes = 1
    monkeypatch.setattr(env, "_isolated", lambda *args: "from the child")
    assert env.evaluate("amount >= 10000", {"amount": 5}) is False
    assert env.evaluate("date == 1", {"date": 1}) == "from the child"  # a sandbox function's name: its meaning
    assert env.evaluate("len(x) > 1", {"x": "ab"}) == "from the child"
