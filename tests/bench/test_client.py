"""The benches' lean HTTP client against a real HTTP/1.1 server: keep-alive, Content-Length and chunked bodies, a
connection the server closes (the next request goes on a new one)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.bench.client import Client


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    connections: set = set()

    def log_message(self, *args):
        pass

    def do_POST(self):
        self.connections.add(self.client_address)
        seen = {"path": self.path, "body": json.loads(self.rfile.read(int(self.headers["Content-Length"]))),
                "auth": self.headers.get("Authorization")}
        out = json.dumps(seen).encode()
        if self.path == "/chunked":
            self.send_response(201)
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for part in (out[:5], out[5:]):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
            self.wfile.write(b"0\r\n\r\n")
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(out)))
        if self.path == "/close":
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(out)


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    _Handler.connections = set()
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_requests_share_one_connection_and_read_both_kinds_of_body(server):
    client = Client(server)
    client.headers["Authorization"] = "Bearer t"
    first = client.post("/plain?x=1", json={"n": 1})
    second = client.post("/chunked", json={"n": "二"})
    assert (first.status_code, first.json()) == (200, {"path": "/plain?x=1", "body": {"n": 1}, "auth": "Bearer t"})
    assert (second.status_code, second.json()["body"]) == (201, {"n": "二"})
    assert len(_Handler.connections) == 1
    client.close()


def test_a_connection_the_server_closes_is_replaced(server):
    client = Client(server)
    assert client.post("/close", json={"n": 1}).status_code == 200
    assert client.post("/plain", json={"n": 2}).json()["body"] == {"n": 2}
    assert len(_Handler.connections) == 2
    client.close()
