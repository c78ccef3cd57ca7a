"""Scripts and expressions run in supervised child processes, so that no script can stop the server.

Some work cannot be interrupted inside a process (one C-level ``x == y`` over 2**30 shared items);
the sandbox's budget cannot stop it, a signal cannot either. So every script and expression goes to a
small pool of warm child interpreters (``python -m engine.spiff.isolated``) over a pipe: the child
runs the sandbox (budget, stored-size bound), under an address-space limit, and answers with the
bounded result. The parent waits at most the time budget plus a grace; then it SIGKILLs the child,
starts a replacement and fails the step. A child whose parent is gone exits by its own alarm.

Results come back as pickles read by an unpickler that accepts only the plain data types of task
data, so even a child that escaped the sandbox cannot run code in the server.
"""

from __future__ import annotations

import io
import os
import pickle
import select
import signal
import struct
import subprocess
import sys
import threading
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from engine import sandbox
from engine.spiff import plain

_HEADER = struct.Struct(">I")
_ROOT = str(Path(__file__).resolve().parents[2])
_SAFE = {
    ("builtins", n) for n in ("set", "frozenset", "range", "slice", "complex", "bytearray")
} | {("datetime", n) for n in ("datetime", "date", "time", "timedelta", "timezone")} | {
    ("decimal", "Decimal"), ("zoneinfo", "ZoneInfo"), ("zoneinfo._zoneinfo", "ZoneInfo"), ("copyreg", "_reconstructor"),
}
_ERRORS = {c.__name__: c for c in (sandbox.SandboxViolation, sandbox.SandboxLimitExceeded, sandbox.SandboxRuntimeError)}


class _DataUnpickler(pickle.Unpickler):
    def find_class(self, module, name):
        if (module, name) in _SAFE:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not task data")


class _DataPickler(pickle.Pickler):
    def reducer_override(self, obj):
        if isinstance(obj, ZoneInfo):  # by key, not through getattr(ZoneInfo, "_unpickle")
            return ZoneInfo, (obj.key,)
        return NotImplemented


def _dumps(obj) -> bytes:
    buf = io.BytesIO()
    _DataPickler(buf, protocol=pickle.HIGHEST_PROTOCOL).dump(obj)
    return buf.getvalue()


def _send(f, obj) -> None:
    body = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    f.write(_HEADER.pack(len(body)) + body)
    f.flush()


def _read_exact(fd: int, n: int) -> bytes:
    chunks, left = [], n
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


class _Child:
    def __init__(self, memory_mb: int):
        # no secrets in the child's environment: no database URL, signing key or SMTP password
        env = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "LC_ALL", "TZ", "VIRTUAL_ENV")}
        env["PYTHONPATH"] = os.pathsep.join(p for p in (_ROOT, os.environ.get("PYTHONPATH")) if p)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "engine.spiff.isolated", str(memory_mb)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, cwd=_ROOT, start_new_session=True,
        )
        self.calendar = None  # the calendar object last sent to this child

    def request(self, job: tuple, timeout: float):
        """The child's answer, or None when it is past ``timeout`` (then it is killed) or has died."""
        try:
            _send(self.proc.stdin, job)
            fd = self.proc.stdout.fileno()
            ready, _, _ = select.select([fd], [], [], timeout)
            if not ready:
                self.kill()
                return None
            (size,) = _HEADER.unpack(_read_exact(fd, _HEADER.size))
            body = _read_exact(fd, size)
        except (OSError, EOFError, ValueError, struct.error):
            self.kill()
            return None
        try:
            return _DataUnpickler(io.BytesIO(body)).load()
        except (pickle.UnpicklingError, ValueError, TypeError, EOFError, AttributeError) as err:
            return ("err", "SandboxRuntimeError", f"the script left a value that cannot be stored ({err})", None)
        except Exception:  # noqa: BLE001 - anything else: do not trust this child again
            self.kill()
            return None

    def kill(self) -> None:
        try:
            self.proc.kill()
        except OSError:
            pass
        self.proc.wait()
        for f in (self.proc.stdin, self.proc.stdout):
            try:
                f.close()
            except OSError:
                pass


class Pool:
    """Warm children shared by the threads of one process; a killed child is replaced."""

    def __init__(self, size: int, memory_mb: int):
        self.size, self.memory_mb = max(1, size), memory_mb
        self.pid = os.getpid()
        self._idle: list[_Child] = []
        self._count = 0
        self._cond = threading.Condition()

    def _take(self) -> _Child:
        with self._cond:
            while not self._idle and self._count >= self.size:
                self._cond.wait()
            if self._idle:
                return self._idle.pop()
            self._count += 1
        try:
            return _Child(self.memory_mb)
        except BaseException:
            self._lost()
            raise

    def _give(self, child: _Child) -> None:
        with self._cond:
            self._idle.append(child)
            self._cond.notify()

    def _lost(self) -> None:
        with self._cond:
            self._count -= 1
            self._cond.notify()

    def warm(self) -> None:
        """Start the missing children in the background (the first script of a process waits less)."""
        with self._cond:
            missing = self.size - self._count
            self._count += max(0, missing)
        for _ in range(missing):
            self._replace()

    def _replace(self) -> None:
        """A child died: start its replacement in the background, so the next script finds it warm."""
        def start():
            try:
                child = _Child(self.memory_mb)
            except OSError:
                self._lost()
                return
            self._give(child)
        threading.Thread(target=start, daemon=True, name="sandbox-child-start").start()

    def run(self, op: str, src: str, context: dict, external: dict | None, limits: sandbox.Limits, now: datetime,
            calendar):
        """Execute (``op`` "exec": the new context) or evaluate (``op`` "eval": the value) in a child; what is
        provably plain (``engine.spiff.plain.run``) is answered here, as the child would, without the round trip."""
        answer = plain.run(op, src, context, external, now, calendar, limits.max_result_bytes)
        if answer is not plain.UNSURE:
            return answer
        child = self._take()
        sent = calendar if child.calendar is not calendar else None
        timeout = limits.max_seconds * 1.5 + 1.0
        answer = child.request((op, src, context, external, limits, now, sent), timeout)
        if answer is None:
            self._replace()
            raise sandbox.SandboxLimitExceeded(
                f"the script was stopped: time or memory limit exceeded ({limits.max_seconds:g} s) / 脚本超出时间或内存限制，已被终止")
        if sent is not None:
            child.calendar = calendar
        self._give(child)
        if answer[0] == "ok":
            return answer[1]
        _, kind, message, lineno = answer
        raise _ERRORS.get(kind, sandbox.SandboxRuntimeError)(message, lineno)

    def close(self) -> None:
        with self._cond:
            idle, self._idle = self._idle, []
            self._count -= len(idle)
        for child in idle:
            child.kill()


_POOL: Pool | None = None
_POOL_LOCK = threading.Lock()


def pool(size: int, memory_mb: int) -> Pool:
    """This process's pool (a forked process gets its own)."""
    global _POOL
    with _POOL_LOCK:
        if _POOL is None or _POOL.pid != os.getpid():
            _POOL = Pool(size, memory_mb)
            _POOL.warm()
        return _POOL


# -- the child ----------------------------------------------------------------------------------
def _child_main(memory_mb: int) -> None:
    import resource

    from engine.core import calendar as core_calendar
    from engine.core import clock, durations
    from engine.spiff import scripting

    if memory_mb > 0:
        limit = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a Ctrl-C of the server's terminal is the server's to handle
    inp, out = os.fdopen(os.dup(0), "rb"), os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # whatever prints goes to stderr, never into the answers
    state = {"calendar": None, "now": None}
    core_calendar.default_calendar = durations.default_calendar = lambda: state["calendar"]
    clock.now = lambda: state["now"]
    functions = scripting._deadline_functions()  # noqa: SLF001 - the same functions as in the server
    while True:
        head = inp.read(_HEADER.size)
        if len(head) < _HEADER.size:
            return  # the server closed the pipe
        (size,) = _HEADER.unpack(head)
        op, src, context, external, limits, now, calendar = pickle.loads(inp.read(size))  # noqa: S301 - from the server
        state["now"] = now
        if calendar is not None:
            state["calendar"] = calendar
        signal.alarm(int(limits.max_seconds * 2) + 5)  # orphaned (server gone): the kernel ends this process
        fns = functions if not external else {**functions, **external}
        try:
            if op == "exec":
                sandbox.execute(src, context, fns, limits)
                value = context
            else:
                value = sandbox.evaluate(src, context, fns, limits)
            try:
                answer = _dumps(("ok", value))
            except Exception as exc:  # noqa: BLE001 - a value that is not data
                raise sandbox.SandboxRuntimeError(f"the script left a value that cannot be stored ({exc})") from None
        except sandbox.SandboxError as err:
            answer = pickle.dumps(("err", type(err).__name__, str(err), err.lineno))
        except MemoryError:
            answer = pickle.dumps(("err", "SandboxLimitExceeded", "out of memory / 脚本内存超限", None))
        signal.alarm(0)
        out.write(_HEADER.pack(len(answer)) + answer)
        out.flush()


if __name__ == "__main__":
    _child_main(int(sys.argv[1]) if len(sys.argv) > 1 else 0)
