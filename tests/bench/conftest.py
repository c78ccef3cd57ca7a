"""Fixtures of the bench tests: a real HTTP server for the benches' client."""

import pytest

from tests.helpers import echo_http


@pytest.fixture
def server():
    """The base URL of an echo server (tests.helpers.echo_http), shut down after the test."""
    httpd, base = echo_http.start()
    yield base
    httpd.shutdown()
    httpd.server_close()
