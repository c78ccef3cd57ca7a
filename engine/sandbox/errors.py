"""Exceptions raised by the sandbox; ``str(err)`` is always a one-line reason fit for a user."""

from __future__ import annotations


class SandboxError(Exception):
    """Base class; ``str(err)`` is a one-line reason fit for a user."""

    def __init__(self, message: str, lineno: int | None = None):
        super().__init__(message)
        self.lineno = lineno


class SandboxViolation(SandboxError):
    """The source uses a construct that is refused (found at compile time)."""


class SandboxLimitExceeded(SandboxError):
    """The code ran out of steps, time or size budget."""


class SandboxRuntimeError(SandboxError):
    """The user code raised an exception."""
