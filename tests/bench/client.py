"""A lean HTTP client for the benches: one keep-alive connection (``http.client``, TCP_NODELAY), JSON in and out.

The bench's clients share the two cores with the service and PostgreSQL, so what a client spends is taken from
the service: httpx spent ~2 ms of CPU per full case (three requests) here, ``http.client`` a fraction of that.
The users' clients (browsers) run on their own machines.
"""

import http.client
import json
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
        self._conn = http.client.HTTPConnection(url.hostname, url.port, timeout=timeout)
        self.headers: dict[str, str] = {}

    def request(self, method: str, path: str, *, json_body=None, form: dict | None = None,
                params: dict | None = None) -> Answer:
        headers = dict(self.headers)
        body = None
        if json_body is not None:
            body, headers["Content-Type"] = json.dumps(json_body).encode(), "application/json"
        elif form is not None:
            body, headers["Content-Type"] = urllib.parse.urlencode(form).encode(), "application/x-www-form-urlencoded"
        if params:
            path = f"{path}?{urllib.parse.urlencode(params)}"
        for attempt in (1, 2):
            try:
                self._conn.request(method, path, body=body, headers=headers)
                r = self._conn.getresponse()
                return Answer(r.status, r.read())
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self._conn.close()  # a keep-alive connection the service closed: once more on a new one
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def get(self, path: str, params: dict | None = None) -> Answer:
        return self.request("GET", path, params=params)

    def post(self, path: str, json: dict | None = None, data: dict | None = None) -> Answer:
        return self.request("POST", path, json_body=json, form=data)

    def close(self) -> None:
        self._conn.close()
