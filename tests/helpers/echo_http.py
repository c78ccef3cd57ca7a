"""A real HTTP/1.1 server for the benches' client tests: it answers a POST with what it was sent, as JSON, with a
Content-Length body, a chunked body (``/chunked``) or a closed connection after the answer (``/close``), and keeps
the addresses of the connections it saw."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class EchoHandler(BaseHTTPRequestHandler):
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



def start() -> tuple[ThreadingHTTPServer, str]:
    """A running echo server (its connection set emptied) and its base URL."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), EchoHandler)
    EchoHandler.connections = set()
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}"
