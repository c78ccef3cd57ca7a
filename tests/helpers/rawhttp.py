"""One keep-alive HTTP/1.1 connection on a plain socket, reading the pid ``tests.helpers.pid_app`` answers.

Unlike the bench client (``tests/bench/client.py``) it never reconnects: the cluster tests need to see which
worker holds a connection, and that a connection of a killed worker breaks."""
import socket


class Conn:
    def __init__(self, port: int, timeout: float = 10) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.buf = b""

    def get(self, path: str) -> int:
        """GET ``path``; the pid in the body (raises OSError if the connection breaks)."""
        self.sock.sendall(f"GET {path} HTTP/1.1\r\nHost: t\r\n\r\n".encode())
        while b"\r\n\r\n" not in self.buf:
            self._more()
        head, _, self.buf = self.buf.partition(b"\r\n\r\n")
        length = int(next(h.split(b":")[1] for h in head.split(b"\r\n") if h.lower().startswith(b"content-length")))
        while len(self.buf) < length:
            self._more()
        body, self.buf = self.buf[:length], self.buf[length:]
        if not head.startswith(b"HTTP/1.1 200"):
            raise OSError(f"answered {head.splitlines()[0]!r}")
        return int(body)

    def _more(self) -> None:
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionResetError("closed by the server")
        self.buf += chunk

    def close(self) -> None:
        self.sock.close()

    def __enter__(self) -> "Conn":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
