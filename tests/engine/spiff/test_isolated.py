"""Scripts run in supervised child processes: a child past its time is killed and replaced (issue 14)."""

import os
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from engine import sandbox
from engine.spiff import isolated
from engine.spiff.scripting import SandboxEnvironment

# 2**28 leaves compared in one C call: seconds of work the sandbox's budget cannot interrupt
COMPARE = "x = []\ny = []\n" + "x = [x, x]\ny = [y, y]\n" * 28 + "z = (x == y)\nx = y = 0\n"


def _pids(pool) -> set[int]:
    return {c.proc.pid for c in pool._idle}  # noqa: SLF001


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True




def test_a_child_past_its_time_is_killed_and_replaced_and_the_next_script_runs(one_child):
    env = SandboxEnvironment()
    env.limits = sandbox.Limits(max_seconds=0.2)
    env.processes = 1
    pool = isolated.pool(env.processes, env.memory_mb)
    context = {"n": 1}
    env.execute("n = n + 1", context)
    assert context == {"n": 2}
    before = _pids(pool)
    with pytest.raises(sandbox.SandboxLimitExceeded, match="脚本超出时间或内存限制"):
        env.execute(COMPARE, {})
    killed = before - _pids(pool)
    assert len(killed) == 1 and not any(_alive(p) for p in killed)
    context = {"n": 41}
    env.execute("n = n + 1\nwhen = add_workdays(1)", context)  # a replacement, warm or started now
    assert context["n"] == 42 and context["when"]
    assert env.evaluate("n * 2", context) == 84
    assert not killed & _pids(pool)


def test_errors_and_results_come_back_from_the_child():
    env = SandboxEnvironment()
    with pytest.raises(sandbox.SandboxRuntimeError, match="ZeroDivisionError"):
        env.execute("a = 1 / 0", {})
    with pytest.raises(sandbox.SandboxLimitExceeded, match="too large"):
        env.execute('s = "x" * 100000\nl = [s] * 30', {})
    with pytest.raises(sandbox.SandboxRuntimeError, match="cannot be stored"):
        env.execute("it = iter([1, 2])", {})
    context = {"d": "2026-03-02"}
    env.execute("from_d = add_days_from(d, 15)\nf = lambda v: v", context)
    assert set(context) == {"d", "from_d"}
    at = datetime(2026, 3, 2, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
    context = {"at": at, "amount": Decimal("1.50"), "day": date(2026, 3, 2)}
    env.execute("later = at + timedelta(days=1)\ndouble = amount * 2\nnext_day = day + timedelta(days=1)", context)
    assert (context["later"], context["double"], context["next_day"]) == (
        at + timedelta(days=1), Decimal("3.00"), date(2026, 3, 3))
    assert context["later"].tzinfo == ZoneInfo("Asia/Shanghai")
