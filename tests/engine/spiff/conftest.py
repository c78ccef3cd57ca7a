"""Fixtures of the Spiff tests: the sandboxed script environment models evaluate in."""

import pytest

from engine.spiff.scripting import SandboxEnvironment


@pytest.fixture(scope="module")
def env():
    return SandboxEnvironment()
