"""A real HTTP server on 127.0.0.1 (free port, daemon thread) that records every hit.

Subclasses implement ``respond(method, path, headers) -> (status, headers, body)``."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class CloseDelimited(bytes):
    """A body sent without Content-Length, ended by closing the connection (as HTTP/1.0
    servers and broken proxies do): a body cut short this way looks complete on the wire."""


@dataclass
class Hit:
    method: str
    path: str
    status: int
    time: float
    headers: dict = field(default_factory=dict)


class RecordingServer:
    def __init__(self):
        self.hits: list[Hit] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                request_headers = {k.lower(): v for k, v in self.headers.items()}
                status, headers, body = server.respond("GET", self.path, request_headers)
                with server._lock:
                    server.hits.append(Hit("GET", self.path, status, time.time(), request_headers))
                self.send_response(status)
                for k, v in headers.items():
                    self.send_header(k, v)
                if isinstance(body, CloseDelimited):
                    self.send_header("Connection", "close")
                    self.close_connection = True
                else:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        class Server(ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                pass  # a crawl killed mid-response (the kill tests) is expected, not an error

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base_url = f"http://127.0.0.1:{self.port}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def respond(self, method: str, path: str, headers: dict) -> tuple[int, dict, bytes]:
        raise NotImplementedError

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    def paths(self) -> list[str]:
        with self._lock:
            return [h.path for h in self.hits]

    def reset(self) -> None:
        with self._lock:
            self.hits.clear()


def links_page(links: list[str]) -> bytes:
    """A home page that links to each of ``links`` (each link as its own headline)."""
    return ("<html><body>" + "".join(f'<h2><a href="{u}">{u}</a></h2>' for u in links) + "</body></html>").encode()
