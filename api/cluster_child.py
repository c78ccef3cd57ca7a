"""One HTTP worker of the cluster (``api.cluster``): uvicorn serving the connections its parent hands it.

The parent runs ``python -m api.cluster_child --fd N …`` with one end of a ``SOCK_SEQPACKET``
socketpair as fd N (the channel). The parent accepts every TCP connection itself and passes each one
here (SCM_RIGHTS); this worker answers on the channel ``r`` once its app has started, ``t`` for each
connection it has taken off the channel (until then the parent keeps a copy, to give it to another
worker should this one die first) and ``-`` each time one of its connections closes, so the parent
knows how many each worker holds; and ``h`` every second from its event loop (a loop blocked for longer than
the parent's ``--worker-timeout`` gets the worker killed and replaced).

The worker stops gracefully (uvicorn's own shutdown: running requests finish) on ``s`` from the parent,
on SIGTERM/SIGINT, or when the channel closes (the parent is gone: no orphans). Before it stops taking
connections it adopts the ones already queued on the channel, then closes the channel, so the parent
sends nothing more and nothing handed over is dropped.
"""

import argparse
import asyncio
import logging
import socket
import sys

import uvicorn
from uvicorn.config import STARTUP_FAILURE

CONNECTION, READY, TAKEN, CLOSED, ALIVE, STOP = b"c", b"r", b"t", b"-", b"h", b"s"

log = logging.getLogger("uvicorn.error")


class Connections(set):
    """uvicorn's set of live connections (``ServerState.connections``), telling the parent of each close."""

    def __init__(self, tell) -> None:
        super().__init__()
        self._tell = tell

    def discard(self, item) -> None:
        if item in self:
            super().discard(item)
            self._tell(CLOSED)

    def remove(self, item) -> None:
        if item not in self:
            raise KeyError(item)
        self.discard(item)


class Intake:
    """Stands where uvicorn keeps its listening servers: its shutdown closes this to stop taking connections."""

    def __init__(self, server: "ChannelServer") -> None:
        self.server = server

    def close(self) -> None:
        self.server.close_channel()

    async def wait_closed(self) -> None:
        return None


class ChannelServer(uvicorn.Server):
    """uvicorn's server, taking its connections from the channel instead of a listening socket."""

    def __init__(self, config: uvicorn.Config, channel: socket.socket) -> None:
        super().__init__(config)
        self.channel: socket.socket | None = channel
        self.server_state.connections = Connections(self.tell)
        self._adopting: set[asyncio.Task] = set()

    def tell(self, message: bytes) -> None:
        if self.channel is None:
            return
        try:
            self.channel.send(message)
        except OSError:  # the parent is gone, or its side is full (it is stopping): nothing to count
            pass

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await self.lifespan.startup()
        if self.lifespan.should_exit:
            sys.exit(STARTUP_FAILURE)
        self.loop = asyncio.get_running_loop()
        self.channel.setblocking(False)
        self.loop.add_reader(self.channel.fileno(), self.receive)
        self.servers = [Intake(self)]
        self.started = True
        self.tell(READY)

    async def on_tick(self, counter: int) -> bool:
        if counter % 10 == 0:  # uvicorn's main loop ticks every 0.1 s
            self.tell(ALIVE)
        return await super().on_tick(counter)

    def create_protocol(self) -> asyncio.Protocol:
        return self.config.http_protocol_class(  # type: ignore[call-arg]
            config=self.config, server_state=self.server_state, app_state=self.lifespan.state
        )

    def receive(self) -> None:
        """Adopt every connection waiting on the channel; stop on ``s`` or when the parent is gone."""
        while self.channel is not None:
            try:
                message, fds, _flags, _addr = socket.recv_fds(self.channel, 16, 4)
            except BlockingIOError:
                return
            except OSError:
                message, fds = b"", []
            for fd in fds:
                self.tell(TAKEN)
                self.adopt(socket.socket(fileno=fd))
            if not message and not fds:  # the parent is gone: stop reading the closed channel
                self.loop.remove_reader(self.channel.fileno())
            if message == STOP or (not message and not fds):
                self.should_exit = True  # uvicorn's main loop notices within 0.1 s and shuts down
                return

    def adopt(self, sock: socket.socket) -> None:
        task = self.loop.create_task(self._adopt(sock))
        self._adopting.add(task)
        task.add_done_callback(self._adopting.discard)

    async def _adopt(self, sock: socket.socket) -> None:
        made: list[asyncio.Protocol] = []

        def factory() -> asyncio.Protocol:
            made.append(self.create_protocol())
            return made[0]

        try:
            await self.loop.connect_accepted_socket(factory, sock)
        except Exception as err:  # reset by the client before it could be served
            log.debug("a connection handed over could not be adopted: %s", err)
            sock.close()
            if not made:
                self.tell(CLOSED)

    def close_channel(self) -> None:
        """Take the connections already sent, then close the channel (the parent then sends no more)."""
        if self.channel is None:
            return
        self.loop.remove_reader(self.channel.fileno())
        self.receive()
        self.channel.close()
        self.channel = None


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fd", type=int, required=True, help="the channel to the parent (inherited)")
    ap.add_argument("--app", default="api.main:app")
    ap.add_argument("--log-level", default="info")
    ap.add_argument("--no-access-log", action="store_true")
    ap.add_argument("--loop", default="auto")
    ap.add_argument("--http", default="auto")
    a = ap.parse_args(argv)
    channel = socket.socket(fileno=a.fd)
    config = uvicorn.Config(a.app, log_level=a.log_level, access_log=not a.no_access_log, loop=a.loop, http=a.http)
    ChannelServer(config, channel).run()


if __name__ == "__main__":
    main()
