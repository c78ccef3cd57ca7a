"""Browser tests: the real service on a free port, driven by Playwright in Debian's Chromium.

The service runs in a thread of the test process on the PostgreSQL test database, so
``time_machine.travel`` in a test moves the service's clock too. Chromium is /usr/bin/chromium
(installed by ``scripts/system-deps --browser``, which ``make test`` runs); Playwright's own
browser download is never used. Set TIAOJIE_SCREENSHOTS=docs/screenshots to save the pages
the tests visit (``make screenshots``).
"""

import os
from pathlib import Path

import pytest

from engine import processes
from engine.deadlines import seed as sla_seed
from engine.processes.deploy import load_dir
from tests.helpers.api import make_app
from tests.helpers.live import LiveServer
from tests.helpers.paths import BPMN_DIR

CHROMIUM = os.environ.get("TIAOJIE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]
VIEWPORT = {"width": 1366, "height": 768}




@pytest.fixture
def live(pg_db):
    """The service with the project's processes, SLA rules and the test users (tests/helpers/api.py)."""
    app = make_app(pg_db)
    with pg_db.begin() as conn:
        sla_seed.seed(conn, actor="test")
        processes.deploy(conn, load_dir(BPMN_DIR), actor="test")
    server = LiveServer(app).start()
    server.db = pg_db
    yield server
    server.stop()


@pytest.fixture(scope="module")
def chromium():
    """One browser per test module. Module scope (not session): Playwright's sync API keeps an
    event loop running in this thread while it is open, which would break later tests of the
    same worker that call asyncio.run()."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/system-deps --browser (make test does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def new_page(chromium, live):
    """new_page(lang='zh-CN') -> a page in a fresh browser context (its own cookies)."""
    contexts = []

    def make(lang: str = "zh-CN"):
        context = chromium.new_context(viewport=VIEWPORT, locale=lang, base_url=live.url,
                                       timezone_id="Asia/Shanghai")
        context.set_default_timeout(15000)
        contexts.append(context)
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
        return page

    yield make
    for context in contexts:
        context.close()


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
