"""Run one function in many threads at once (a barrier releases them together) to race real transactions."""

import threading


def race(n: int, fn, timeout: float = 120) -> list[tuple]:
    """``fn(i)`` for i in 0..n-1, all started together; each result is ``("ok", value)`` or ``(exception class
    name, its code or message)``, in the order they finished."""
    barrier = threading.Barrier(n)
    results, lock = [], threading.Lock()

    def worker(i):
        barrier.wait()
        try:
            out = ("ok", fn(i))
        except Exception as err:  # collected for the caller's asserts
            out = (type(err).__name__, getattr(err, "code", str(err)))
        with lock:
            results.append(out)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
    return results
