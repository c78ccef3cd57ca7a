"""Restricted execution of user-authored snippets: script tasks, conditions, timers, DMN cells.

Source is compiled with RestrictedPython plus a policy (``policy``) that refuses imports, classes,
generators, dangerous names and attribute writes, and rewrites the code so that loops, calls,
growth-prone operators and container methods go through a per-call ``Budget`` (``budget``,
``methods``, ``safe_builtins``); ``run`` evaluates the result and translates errors.
Single C-level operations over adversarial nested data (e.g. ``==``, ``hash`` or ``sorted`` on huge
shared-structure lists) cannot be interrupted in-process: the engine therefore runs this sandbox in
killable child processes (``engine.spiff.isolated``); ``size`` bounds what a script leaves behind.
"""

from engine.sandbox.budget import Limits
from engine.sandbox.errors import SandboxError, SandboxLimitExceeded, SandboxRuntimeError, SandboxViolation
from engine.sandbox.policy import _compile, check_expression, check_script
from engine.sandbox.run import evaluate, execute

__all__ = [
    "Limits",
    "SandboxError",
    "SandboxLimitExceeded",
    "SandboxRuntimeError",
    "SandboxViolation",
    "_compile",
    "check_expression",
    "check_script",
    "evaluate",
    "execute",
]
