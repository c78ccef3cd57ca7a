"""The benches' lean HTTP client against a real HTTP/1.1 server: keep-alive, Content-Length and chunked bodies, a
connection the server closes (the next request goes on a new one)."""

from tests.bench.client import Client
from tests.helpers.echo_http import EchoHandler


def test_requests_share_one_connection_and_read_both_kinds_of_body(server):
    client = Client(server)
    client.headers["Authorization"] = "Bearer t"
    first = client.post("/plain?x=1", json={"n": 1})
    second = client.post("/chunked", json={"n": "二"})
    assert (first.status_code, first.json()) == (200, {"path": "/plain?x=1", "body": {"n": 1}, "auth": "Bearer t"})
    assert (second.status_code, second.json()["body"]) == (201, {"n": "二"})
    assert len(EchoHandler.connections) == 1
    client.close()


def test_a_connection_the_server_closes_is_replaced(server):
    client = Client(server)
    assert client.post("/close", json={"n": 1}).status_code == 200
    assert client.post("/plain", json={"n": 2}).json()["body"] == {"n": 2}
    assert len(EchoHandler.connections) == 2
    client.close()
