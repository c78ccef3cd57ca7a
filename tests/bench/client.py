"""A lean HTTP client for the benches: one keep-alive connection (a socket with TCP_NODELAY), JSON in and out.

The bench's clients share the two cores with the service and PostgreSQL, so what a client spends is taken from
the service: httpx spent ~2 ms of CPU per full case (three requests) here, ``http.client`` ~1.4 ms (it parses
every response's headers with the ``email`` package); this client writes the request in one ``sendall`` and reads
the status line, the headers it needs (length, chunked, close) and the body. The users' clients (browsers) run on
their own machines.
"""

import json
import socket
import urllib.parse


class Answer:
    """A response: ``status_code``, ``text``, ``json()``."""

    __slots__ = ("status_code", "content")

    def __init__(self, status_code: int, content: bytes):
        self.status_code, self.content = status_code, content

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.content)

    def raise_for_status(self) -> None:
        if self.status_code >= 400:
            raise RuntimeError(f"HTTP {self.status_code}: {self.text[:300]}")


class Client:
    """Requests to one service on one keep-alive connection (reconnects when the service closed it)."""

    def __init__(self, base: str, timeout: float = 30):
        url = urllib.parse.urlsplit(base)
        self._addr, self._timeout = (url.hostname, url.port or 80), timeout
        self._host = f"Host: {url.netloc}\r\n"
        self._sock: socket.socket | None = None
        self._file = None
        self.headers: dict[str, str] = {}

    def _connect(self) -> None:
        self._sock = socket.create_connection(self._addr, self._timeout)
        self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._file = self._sock.makefile("rb")

    def request(self, method: str, path: str, *, json_body=None, form: dict | None = None,
                params: dict | None = None) -> Answer:
        headers = dict(self.headers)
        body = b""
        if json_body is not None:
            body, headers["Content-Type"] = json.dumps(json_body).encode(), "application/json"
        elif form is not None:
            body, headers["Content-Type"] = urllib.parse.urlencode(form).encode(), "application/x-www-form-urlencoded"
        if params:
            path = f"{path}?{urllib.parse.urlencode(params)}"
        lines = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        message = f"{method} {path} HTTP/1.1\r\n{self._host}{lines}Content-Length: {len(body)}\r\n\r\n".encode() + body
        for attempt in (1, 2):
            try:
                if self._sock is None:
                    self._connect()
                self._sock.sendall(message)
                return self._response()
            except (ConnectionResetError, BrokenPipeError, _Closed):
                self.close()  # a keep-alive connection the service closed: once more on a new one
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def _response(self) -> Answer:
        f = self._file
        status_line = f.readline()
        if not status_line:
            raise _Closed("the service closed the connection")
        status = int(status_line.split(None, 2)[1])
        length, chunked, close = None, False, False
        while (line := f.readline()) not in (b"\r\n", b"\n", b""):
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"transfer-encoding":
                chunked = b"chunked" in value.lower()
            elif name == b"connection":
                close = b"close" in value.lower()
        if chunked:
            parts = []
            while (size := int(f.readline().split(b";")[0], 16)) > 0:
                parts.append(f.read(size))
                f.readline()
            while f.readline() not in (b"\r\n", b"\n", b""):  # trailers
                pass
            content = b"".join(parts)
        elif length is not None:
            content = f.read(length)
        else:
            content, close = f.read(), True
        if close:
            self.close()
        return Answer(status, content)

    def get(self, path: str, params: dict | None = None) -> Answer:
        return self.request("GET", path, params=params)

    def post(self, path: str, json: dict | None = None, data: dict | None = None) -> Answer:
        return self.request("POST", path, json_body=json, form=data)

    def close(self) -> None:
        if self._sock is not None:
            self._file.close()
            self._sock.close()
            self._sock = self._file = None


class _Closed(ConnectionError):
    pass
