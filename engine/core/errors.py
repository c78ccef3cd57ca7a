"""Errors the engine raises; each carries a one-line, user-facing reason."""

from dataclasses import dataclass, field


class EngineError(Exception):
    """Base class: ``str(err)`` is a one-line reason fit for a user; ``code`` names the kind."""

    code = "error"


class NotFound(EngineError):
    code = "not_found"


class Conflict(EngineError):
    """The request lost a race or the object is not in a state that allows it."""

    code = "conflict"


class Forbidden(EngineError):
    """The user's role or communities do not allow this."""

    code = "forbidden"


class TooLarge(EngineError):
    """An uploaded file is over its size limit (413)."""

    code = "body_too_large"


class InvalidData(EngineError):
    """Form or case data does not match what the task expects."""

    code = "invalid_data"

    def __init__(self, message: str, errors: dict[str, str] | None = None):
        super().__init__(message)
        self.errors = errors or {}


@dataclass
class Problem:
    """One reason a BPMN/DMN definition was refused."""

    message: str
    file: str | None = None
    line: int | None = None
    element: str | None = None  # element id, or tag where it has none

    def __str__(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.line:
            where.append(f"line {self.line}")
        if self.element:
            where.append(f"element {self.element}")
        return f"{self.message} ({', '.join(where)})" if where else self.message


@dataclass
class DefinitionRejected(EngineError):
    problems: list[Problem] = field(default_factory=list)
    code = "definition_rejected"

    def __str__(self) -> str:
        first = str(self.problems[0]) if self.problems else "definition refused"
        more = f" (+{len(self.problems) - 1} more)" if len(self.problems) > 1 else ""
        return first + more


class DecisionFailed(InvalidData):
    """A decision table tried on sample input could not be evaluated (a cell fails on that input)."""

    code = "decision_failed"


class LedgerRejected(InvalidData):
    """A ledger file (台账) with bad rows: nothing was imported; ``problems`` locate each one."""

    code = "ledger_rejected"

    def __init__(self, message: str, problems: list, warnings: list | None = None,
                 unknown_terms: list | None = None):
        super().__init__(message)
        self.problems = problems  # engine.ledger.Problem: row, column, reason
        self.warnings = warnings or []
        self.unknown_terms = unknown_terms or []  # dicts: each distinct unknown wording, its rows, nearest terms


class MigrationRefused(EngineError):
    code = "migration_refused"


class StepFailed(EngineError):
    """A script, condition or timer of the model failed; recorded as an incident."""

    code = "step_failed"
