"""Browser tests: the real app on a live local server, driven in Debian's Chromium."""

import os
import shutil
import threading

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from review.storage import open_store
from tests.conftest import PASSWORD, add_user, make_app

# A loaded 2-core CI machine can take longer than Playwright's 5 s default to swap a fragment.
expect.set_options(timeout=15_000)
CHROMIUM = os.environ.get("CLAIMDESK_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not os.path.exists(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM}; install Debian's chromium package"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    }


def expect_ready(page, selector: str = "#main") -> None:
    """Wait until the page marks a region ready (claimdesk.js sets data-ready once htmx has loaded it).

    A boosted link swaps a page in and its controls answer a moment later; input before that goes
    unheard. People do not type that fast; a test can. The mark comes off as soon as a request that
    will replace the region leaves, so after a click this waits for the new page, not the old one.
    """
    expect(page.locator(selector)).to_have_attribute("data-ready", "")


class LiveServer:
    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()


@pytest.fixture(scope="session", autouse=True)
def _language_model_loaded():
    """Load the language model once per test process, before any page waits on the first pasted article.

    Building it takes ~2 s of CPU, once per process; paid inside the first paste it came to over 15 s on a
    loaded machine, past the wait for that page.
    """
    from review.extraction.languages import detect_language

    detect_language("The ministry said 2,500 homes were rebuilt in the region last year.")


@pytest.fixture
def live_app(tmp_path):
    app = make_app(tmp_path, WTF_CSRF_ENABLED=True)
    db = open_store(app.config["DB"])
    for name, role in [("checker", "checker"), ("editor", "editor"), ("admin", "admin")]:
        add_user(db, name, role)
    db.close()
    return app


@pytest.fixture
def live_server(live_app):
    with LiveServer(live_app) as server:
        yield server


class Problems(list):
    """Console errors, CSP violations and page errors seen during a test."""

    def __init__(self):
        super().__init__()
        self.allowed_statuses: set[int] = set()

    def allow(self, status: int) -> None:
        """Expect an HTTP error answer (Chromium logs every 4xx as a console error, htmx each one it does not swap)."""
        self.allowed_statuses.add(status)

    def unexpected(self) -> list[str]:
        allowed = [f"{said} {s} " for s in self.allowed_statuses for said in ("status of", "Error Code")]
        return [p for p in self if not any(a in p for a in allowed)]


@pytest.fixture
def problems(page):
    """Collect console errors, CSP violations and page errors; the test fails if any appear."""
    seen = Problems()
    page.on("console", lambda msg: seen.append(f"console {msg.type}: {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda error: seen.append(f"page error: {error}"))
    yield seen
    unexpected = seen.unexpected()
    assert unexpected == [], "browser reported problems:\n" + "\n".join(unexpected)


@pytest.fixture
def sign_in(page, live_server, problems):
    def do(username: str = "checker"):
        page.goto(f"{live_server.url}/login")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        return page

    return do


def claim_in_progress(app) -> int:
    """Create a manual claim the demo checker has accepted and started; return its id."""
    from review import claims, workflow
    from review.users import find_user

    db = open_store(app.config["DB"])
    claim = claims.create_manual_claim(db, text="The mayor said the new bridge cost $48 million.",
                                       claimant="Mayor Elena Marsh", url="https://herald.example/bridge")
    for action in ("accept", "start"):
        workflow.apply_action(db, claim["id"], action, find_user(db, "checker"))
    db.close()
    return claim["id"]
