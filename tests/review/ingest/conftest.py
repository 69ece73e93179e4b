"""Fixtures for the ingest tests: a local web server with canned responses."""

import http.server
import threading

import pytest

from tests.review.ingest.samples import ARTICLE, HTML_PAGE


class Handler(http.server.BaseHTTPRequestHandler):
    routes: dict = {}

    def do_GET(self):
        status, headers, body = self.routes.get(self.path, (404, {}, b"not found"))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        try:
            for chunk in body if isinstance(body, list) else [body]:
                self.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client stopped reading, as it should past the size cap

    def log_message(self, *args):
        pass


@pytest.fixture
def web():
    """Serve canned responses from a local HTTP server in a thread."""
    routes = {"/article": (200, {"Content-Type": "text/html; charset=utf-8"}, HTML_PAGE.encode()),
              "/old": (301, {"Location": "/article"}, b""),
              "/notes.txt": (200, {"Content-Type": "text/plain"}, ("Plain notes\n\n" + ARTICLE).encode()),
              "/report.pdf": (200, {"Content-Type": "application/pdf"}, b"%PDF-1.7")}
    handler = type("Routes", (Handler,), {"routes": routes})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_address[1]}"
    server.routes = routes
    yield server
    server.shutdown()
    server.server_close()
    thread.join()

