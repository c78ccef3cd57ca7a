"""The listening socket of several workers must give accepted connections TCP_NODELAY.

Without it every keep-alive response after the first waits for a delayed ACK (~40 ms).
"""

import asyncio
import socket

from api.serve import tcp_socket


def _nodelay_of_accepted(sock: socket.socket) -> int:
    async def main() -> int:
        seen: list[int] = []

        async def handle(reader, writer):
            seen.append(writer.get_extra_info("socket").getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            writer.close()

        server = await asyncio.start_server(handle, sock=sock)
        port = sock.getsockname()[1]
        _, writer = await asyncio.open_connection("127.0.0.1", port)
        for _ in range(100):
            if seen:
                break
            await asyncio.sleep(0.01)
        writer.close()
        server.close()
        await server.wait_closed()
        return seen[0]

    return asyncio.run(main())


def test_our_socket_gets_nodelay_on_accepted_connections():
    assert _nodelay_of_accepted(tcp_socket("127.0.0.1", 0)) != 0


def test_a_socket_without_the_protocol_would_not():
    plain = socket.socket(socket.AF_INET)  # what uvicorn's --workers binds
    plain.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    plain.bind(("127.0.0.1", 0))
    assert _nodelay_of_accepted(plain) == 0
