"""Fixtures of the Spiff tests: the sandboxed script environment models evaluate in."""


import pytest

from engine.spiff import isolated
from engine.spiff.scripting import SandboxEnvironment


@pytest.fixture(scope="module")
def env():
    return SandboxEnvironment()


@pytest.fixture
def one_child(monkeypatch):
    """A pool of one child of its own, so the test knows which process ran the script."""
    monkeypatch.setattr(isolated, "_POOL", None)
    yield
    isolated._POOL.close()  # noqa: SLF001
