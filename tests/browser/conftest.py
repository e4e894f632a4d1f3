"""A live server and Debian's Chromium driven by Playwright, with axe-core checks.

Browser tests are skipped with a printed reason when Chromium is missing, unless
ELEARN_REQUIRE_BROWSER=1 (set by .ci/run), which turns the skip into a failure.
"""

import os
import shutil

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

from elearn import create_app
from tests.factories import FAST_PASSWORD_HASH
from tests.helpers import clear_tables, gunicorn

CHROMIUM = os.environ.get("ELEARN_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


def _chromium_available() -> bool:
    return os.path.exists(CHROMIUM) or shutil.which("chromium") is not None


def pytest_collection_modifyitems(config, items):
    if _chromium_available():
        return
    reason = f"Chromium not found at {CHROMIUM}: install Debian's chromium package"
    if os.environ.get("ELEARN_REQUIRE_BROWSER") == "1":
        raise pytest.UsageError(f"browser tests are required but {reason}")
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def live_app(database_url):
    app = create_app(
        {
            "TESTING": True,
            "ENV": "testing",
            "SECRET_KEY": "browser-test-secret",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "PASSWORD_HASH_METHOD": FAST_PASSWORD_HASH,
        }
    )
    return app


@pytest.fixture(scope="session")
def live_server(database_url):
    """The app served by gunicorn in its own process, as `make run` serves it."""
    # Staff sign in with a password alone in the other browser tests; test_accounts.py sets up
    # and uses two-factor sign-in as a learner who turns it on.
    with gunicorn(
        database_url,
        threads=4,
        TWO_FACTOR_ROLES="[]",
        SECRET_KEY="browser-test-secret",
        PASSWORD_HASH_METHOD=FAST_PASSWORD_HASH,
    ) as url:
        yield url


@pytest.fixture(autouse=True)
def _clean(live_app):
    yield
    clear_tables(live_app)


@pytest.fixture(scope="session")
def browser():

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1024, "height": 800})
    page = context.new_page()
    errors: list[str] = []

    def on_console(message):
        # A page answered with 4xx on purpose (a form error, the 404 page) logs "Failed to
        # load resource"; failed sub-resources are caught by on_response instead.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            errors.append(message.text)

    def on_response(response):
        if response.status >= 400 and response.request.resource_type != "document":
            errors.append(f"{response.status} for {response.url}")

    page.on("console", on_console)
    page.on("response", on_response)
    page.console_errors = errors
    yield page
    context.close()


@pytest.fixture
def axe_check():
    """Run axe-core with its defaults (WCAG 2.2 AA and best practices) and fail on any finding."""

    axe = Axe()

    def check(page):
        results = axe.run(page)
        assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"
        assert page.console_errors == [], f"{page.url}: console errors {page.console_errors}"

    return check
