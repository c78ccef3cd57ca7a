"""A SpiffWorkflow script environment that runs every expression in ``engine.sandbox``."""

from datetime import date, datetime, timedelta
from decimal import Decimal

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment

from engine import sandbox
from engine.core import clock, durations
from engine.core.settings import get_settings
from engine.spiff import isolated, plain


def _limits() -> sandbox.Limits:
    s = get_settings()
    return sandbox.Limits(
        max_steps=s.sandbox_max_steps,
        max_seconds=s.sandbox_max_seconds,
        max_sequence=s.sandbox_max_sequence,
        max_result_bytes=s.script_result_max_bytes,
    )


def _day(value) -> date:
    """A date from a form value: "YYYY-MM-DD" (or an ISO datetime: its Shanghai day)."""
    from engine.core.calendar import local_day

    if isinstance(value, datetime):
        return local_day(value)
    if isinstance(value, date):
        return value
    text = str(value)
    if len(text) == 10:
        return date.fromisoformat(text)
    return local_day(datetime.fromisoformat(text))


def _deadline_functions() -> dict:
    from engine.core.calendar import default_calendar, end_of_day

    def add_workdays(n):
        """End of the n-th working day from now (first day not counted), ISO datetime."""
        return default_calendar().add_workdays(clock.now(), int(n)).isoformat()

    def add_days(n):
        """End of the n-th natural day from now, rolled past holidays, ISO datetime."""
        return default_calendar().add_days(clock.now(), int(n)).isoformat()

    def add_days_from(day, n):
        """End of natural day D+n, D a date ("YYYY-MM-DD", e.g. a form's accepted_on), ISO datetime.

        n >= 0: a limit as the law counts it (first day not counted, a last day that is a rest day
        rolls to the next working day). n < 0: the end of day D+n as it is, never rolled (a warning
        ahead of a limit must not move later).
        """
        d = _day(day)
        n = int(n)
        if n >= 0:
            return default_calendar().add_days(d, n).isoformat()
        return end_of_day(d + timedelta(days=n)).isoformat()

    def years_after(day, n):
        """The last day of a period of n years from date D (民法典 第201–203条), "YYYY-MM-DD".

        The corresponding day n years on (29 February → 28 February when there is none), moved to
        the next working day if it is a rest day. E.g. the one-year labour arbitration limitation.
        """
        d = _day(day)
        year = d.year + int(n)
        try:
            last = d.replace(year=year)
        except ValueError:  # 29 February into a common year: the month's last day
            last = date(year, 2, 28)
        return default_calendar().next_workday(last).isoformat()
    def due(duration, start=None):
        """When ``duration`` ("20 个工作日", "15 日", "48 小时", "3 个月", "P30D") from ``start`` ends, ISO datetime.

        ``start``: None (now), a date or an ISO date string (counted from 00:00 Shanghai of that day,
        the day itself not counted) or a datetime. Counted by the office calendar.
        """
        return durations.due(str(duration), clock.now() if start is None else start).isoformat()

    return {
        "add_workdays": add_workdays,
        "add_days": add_days,
        "add_days_from": add_days_from,
        "years_after": years_after,
        "due": due,
        "timedelta": timedelta,
        "date": date,
        "datetime": datetime,
        "Decimal": Decimal,
    }


class SandboxEnvironment(BasePythonScriptEngineEnvironment):
    """Evaluates conditions/timers/DMN cells and executes scripts in the sandbox."""

    def __init__(self):
        super().__init__({})
        self.functions = _deadline_functions()
        self.limits = _limits()
        s = get_settings()
        self.processes, self.memory_mb = s.sandbox_processes, s.sandbox_memory_mb

    def _isolated(self, op, src, context, external_context):
        from engine.core.calendar import default_calendar

        pool = isolated.pool(self.processes, self.memory_mb)
        return pool.run(op, src, context, external_context or None, self.limits, clock.now(), default_calendar())

    def evaluate(self, expression, context, external_context=None):
        if self.processes > 0:
            if not external_context:  # a plain comparison of task data needs no child process (engine.spiff.plain)
                value = plain.evaluate(expression, {k: v for k, v in context.items() if k not in self.functions})
                if value is not plain.UNSURE:
                    return value
            return self._isolated("eval", expression, context, external_context)
        functions = self.functions if not external_context else {**self.functions, **external_context}
        return sandbox.evaluate(expression, context, functions, self.limits)

    def execute(self, script, context, external_context=None):
        if self.processes > 0:
            result = self._isolated("exec", script, context, external_context)
            context.clear()
            context.update(result)
            return True
        functions = self.functions if not external_context else {**self.functions, **external_context}
        sandbox.execute(script, context, functions, self.limits)
        return True

    def call_service(self, context, **kwargs):
        raise sandbox.SandboxViolation("service tasks are not supported")


_ENGINE: PythonScriptEngine | None = None


def script_engine() -> PythonScriptEngine:
    """The shared script engine; re-attached to every workflow after it is loaded."""
    global _ENGINE
    if _ENGINE is None:
        _ENGINE = PythonScriptEngine(environment=SandboxEnvironment())
    return _ENGINE
