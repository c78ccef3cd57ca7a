"""Tiny ASGI apps for the cluster tests (``api.cluster``): they answer with the pid of the worker serving.

``app`` answers ``GET /`` with the worker's pid, and ``GET /slow?s=…`` after sleeping that long (a request
in flight while the cluster stops), ``GET /hang`` never (it blocks the event loop); ``broken`` fails its lifespan startup (a deployment that cannot start).
"""
import asyncio
import os
import time
from urllib.parse import parse_qs


async def _lifespan(receive, send, fail: bool) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            if fail:
                await send({"type": "lifespan.startup.failed", "message": "broken on purpose"})
                return
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


async def app(scope, receive, send) -> None:
    if scope["type"] == "lifespan":
        return await _lifespan(receive, send, fail=False)
    if scope["path"] == "/hang":
        time.sleep(3600)  # blocks the event loop, as a buggy handler would
    if scope["path"] == "/slow":
        await asyncio.sleep(float(parse_qs(scope["query_string"].decode())["s"][0]))
    body = str(os.getpid()).encode()
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-type", b"text/plain"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


async def broken(scope, receive, send) -> None:
    if scope["type"] == "lifespan":
        return await _lifespan(receive, send, fail=True)

